import type { Application, ApplicationDocument, DocumentFile, DocumentType } from '@openkyc/core';
import type { TechnestFileCategory, TechnestFileSlot, UpdateCustomerBody } from './technest-api.js';

/**
 * The provider-neutral application → Technest's shapes: the personal details
 * PATCHed onto the customer, and one upload per file slot.
 */

/**
 * The customer PATCH body. Decisions:
 * - `country` is the country of residence, `address.country`: Technest's slot
 *   rules depend on "the customer's country" (which proof of address applies),
 *   a residence concept. Technest has no nationality field, so
 *   `person.nationality` is not sent.
 * - `address.state` is `stateCode` when given (ISO 3166-2 subdivision, what a
 *   banking rail matches on), else `state`, else `null`.
 * - Optional fields that are absent are sent as `null`, as in Technest's own
 *   example (`"line2": null`), so a PATCH also clears a stale earlier value.
 * - `middleName` has no Technest field and is not sent.
 */
export function toCustomerPatch(application: Application): UpdateCustomerBody {
  const { person, address } = application;
  return {
    email: person.email,
    first_name: person.firstName,
    last_name: person.lastName,
    date_of_birth: person.dateOfBirth,
    phone: person.phone,
    country: address.country,
    address: {
      line1: address.line1,
      line2: emptyToNull(address.line2),
      city: address.city,
      state: emptyToNull(address.stateCode) ?? emptyToNull(address.state),
      postal_code: address.postalCode,
      country: address.country,
    },
  };
}

function emptyToNull(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value;
}

/** Document type → the slot its front goes to. Only types Technest accepts are here. */
export const DOCUMENT_SLOTS = {
  passport: 'id_file',
  drivers_license: 'id_file',
  residence_permit: 'id_file',
  proof_of_address: 'proof_of_address_file',
  selfie: 'liveness_check_file',
} as const satisfies Partial<Record<DocumentType, TechnestFileSlot>>;

export type AcceptedDocumentType = keyof typeof DOCUMENT_SLOTS;

export const IDENTITY_DOCUMENT_TYPES = ['passport', 'drivers_license', 'residence_permit'] as const satisfies readonly AcceptedDocumentType[];
/** Two-sided: the back goes to `id_file_back`, and is required. */
export const TWO_SIDED_DOCUMENT_TYPES = ['drivers_license', 'residence_permit'] as const satisfies readonly AcceptedDocumentType[];

export const SLOT_CATEGORIES: Readonly<Record<TechnestFileSlot, TechnestFileCategory>> = {
  id_file: 'id_document',
  id_file_back: 'id_document_back',
  proof_of_address_file: 'proof_of_address',
  liveness_check_file: 'liveness_check',
};

/** One file to upload into one slot. */
export interface SlotUpload {
  readonly slot: TechnestFileSlot;
  readonly category: TechnestFileCategory;
  readonly file: DocumentFile;
  /** Index in `application.documents`, for error paths. */
  readonly documentIndex: number;
}

export function isAcceptedDocumentType(type: DocumentType): type is AcceptedDocumentType {
  return Object.hasOwn(DOCUMENT_SLOTS, type);
}

/**
 * The uploads for an application that passed validation, in slot order
 * (`id_file`, `id_file_back`, `proof_of_address_file`, `liveness_check_file`).
 * The back of an identity document goes to `id_file_back` (a passport's too,
 * when one is sent).
 */
export function documentUploads(application: Application): SlotUpload[] {
  const uploads: SlotUpload[] = [];
  application.documents.forEach((document: ApplicationDocument, documentIndex) => {
    if (!isAcceptedDocumentType(document.type)) return; // refused by validation before any call
    const slot = DOCUMENT_SLOTS[document.type];
    uploads.push({ slot, category: SLOT_CATEGORIES[slot], file: document.front, documentIndex });
    if (slot === 'id_file' && document.back !== undefined) {
      uploads.push({ slot: 'id_file_back', category: SLOT_CATEGORIES.id_file_back, file: document.back, documentIndex });
    }
  });
  const order: readonly TechnestFileSlot[] = ['id_file', 'id_file_back', 'proof_of_address_file', 'liveness_check_file'];
  return uploads.sort((a, b) => order.indexOf(a.slot) - order.indexOf(b.slot));
}
