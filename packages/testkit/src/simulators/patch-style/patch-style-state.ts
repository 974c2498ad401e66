import { randomBytes } from 'node:crypto';
import { isAddressProofType, kycDocuments, PATCH_STYLE_PROOF_OF_ADDRESS } from './patch-style-kyc-data.js';

/**
 * In-memory model of one patch-style account: customers, scripted outcomes and
 * the sandbox e-mail rules. HTTP handlers, the review runner and the public
 * simulator object all work on this; nothing here does I/O.
 */

export const PATCH_STYLE_CUSTOMER_STATUSES = [
  'CREATED',
  'UNDER_REVIEW',
  'NEEDS_ADDITIONAL_INFORMATION',
  'ACTIVE',
  'REJECTED',
  'DEACTIVATED',
] as const;
/** `CREATED`, `UNDER_REVIEW`, `NEEDS_ADDITIONAL_INFORMATION`, `ACTIVE`, `REJECTED` or `DEACTIVATED`. */
export type PatchStyleCustomerStatus = (typeof PATCH_STYLE_CUSTOMER_STATUSES)[number];

/** Statuses in which `PATCH` is accepted; any other answers `PATCH_NOT_ALLOWED`. */
export const PATCH_STYLE_PATCHABLE_STATUSES: readonly PatchStyleCustomerStatus[] = ['CREATED', 'NEEDS_ADDITIONAL_INFORMATION', 'REJECTED'];

/** Codes the contract lists for `rejectionReason`; any string is accepted by `setOutcome`. */
export const PATCH_STYLE_REJECTION_REASONS = ['DOCUMENT_EXPIRED', 'DATA_MISMATCH', 'FRAUD_SUSPECTED', 'UNDERAGE'] as const;
export const DEFAULT_REJECTION_REASON = 'DOCUMENT_EXPIRED';

export interface PatchStyleCustomerRecord {
  id: string;
  type: 'INDIVIDUAL';
  status: PatchStyleCustomerStatus;
  email: string;
  firstName: string;
  lastName: string;
  verificationLink: string;
  createdAt: Date;
  updatedAt: Date;
  /** Everything PATCHed so far, merged (never returned by the API; for tests). */
  kycData: Record<string, unknown>;
  /** Only meaningful while NEEDS_ADDITIONAL_INFORMATION. */
  requiredDocuments: string[];
  requiredFields: string[];
  /** Only meaningful while REJECTED. */
  rejectionReason: string | null;
  /** Start of the current review (the PATCH that made the data complete); null unless UNDER_REVIEW. */
  reviewStartedAt: Date | null;
  /** Reviews finished so far (the sandbox RFI e-mail asks for more on the first one). */
  reviewsCompleted: number;
  /** Number of accepted PATCHes. */
  patches: number;
}

/** A snapshot of a customer as tests see it (a deep copy). */
export type PatchStyleCustomerSnapshot = Readonly<PatchStyleCustomerRecord>;

/** The outcome a review reaches when it runs (after the document check passed). */
export interface PatchStyleOutcome {
  /** The decision the review ends in. */
  readonly status: 'ACTIVE' | 'REJECTED' | 'NEEDS_ADDITIONAL_INFORMATION';
  /** For REJECTED; default `DOCUMENT_EXPIRED`. */
  readonly rejectionReason?: string;
  /** For NEEDS_ADDITIONAL_INFORMATION; default `["PROOF_OF_ADDRESS"]`. */
  readonly requiredDocuments?: readonly string[];
  /** Review duration from the completing PATCH; default from the e-mail rule. `Infinity` = never finishes. */
  readonly afterMs?: number;
}

/** The sandbox behaviour picked by the e-mail at create time. */
export type PatchStyleSandboxScenario = 'success' | 'rfi' | 'rejected' | 'delay';

/** The sandbox e-mail addresses that pick a customer's outcome at creation. */
export const PATCH_STYLE_SANDBOX_EMAILS: Readonly<Record<PatchStyleSandboxScenario, string>> = {
  success: 'test-success@example.com',
  rfi: 'test-rfi@example.com',
  rejected: 'test-rejected@example.com',
  delay: 'test-delay@example.com',
};

/**
 * `test-<scenario>@example.com`, case-insensitive, with an optional `+tag`
 * (`test-rfi+42@example.com`) so suites can keep e-mails unique. Any other
 * address behaves like `test-success`.
 */
export function patchStyleSandboxScenarioFor(email: string): PatchStyleSandboxScenario {
  const match = /^test-(success|rfi|rejected|delay)(?:\+[^@]*)?@example\.com$/i.exec(email.trim());
  return (match?.[1]?.toLowerCase() as PatchStyleSandboxScenario | undefined) ?? 'success';
}

export interface PatchStyleStatusChange {
  /** Snapshot right after the change. */
  readonly customer: PatchStyleCustomerSnapshot;
  readonly oldStatus: PatchStyleCustomerStatus;
  readonly newStatus: PatchStyleCustomerStatus;
  readonly at: Date;
  /** Sent in the webhook payload (NEEDS_ADDITIONAL_INFORMATION with documents named). */
  readonly requiredDocuments?: readonly string[];
  /** Sent in the webhook payload (REJECTED: the rejection code; DEACTIVATED: the given reason). */
  readonly reason?: string;
}

export interface PatchStyleStateOptions {
  /** Review duration for every e-mail except test-delay (contract: "about 30 s"). */
  readonly reviewDelayMs: number;
  /** Review duration for test-delay (contract: 5 minutes). */
  readonly delayedReviewMs: number;
}

export interface ApplyStatusOptions {
  readonly requiredDocuments?: readonly string[];
  readonly requiredFields?: readonly string[];
  readonly rejectionReason?: string;
  /** Extra webhook `reason` (e.g. for DEACTIVATED). */
  readonly reason?: string;
}

export interface PatchStyleState {
  readonly customers: Map<string, PatchStyleCustomerRecord>;
  /** Scripted outcomes per customer id, consumed one per finished review. */
  readonly outcomes: Map<string, PatchStyleOutcome[]>;
  newId(prefix: 'customer' | 'evt'): string;
  /** Epoch ms at which an UNDER_REVIEW customer's review is due (`Infinity` when never / not under review). */
  reviewDueAtMs(customer: PatchStyleCustomerRecord): number;
  /** The scripted outcome the next review will use, if any. */
  nextScriptedOutcome(customer: PatchStyleCustomerRecord): PatchStyleOutcome | undefined;
  /** Removes the scripted outcome the review just used. */
  consumeScriptedOutcome(customer: PatchStyleCustomerRecord): void;
  /** The outcome the e-mail rules give for this review (0-based index of the review). */
  sandboxOutcome(customer: PatchStyleCustomerRecord): PatchStyleOutcome;
  /**
   * Moves a customer to `status` at `at`, setting or clearing the status's
   * fields, and returns the change (also when the status stays the same, so the
   * caller decides whether that is worth a webhook).
   */
  applyStatus(customer: PatchStyleCustomerRecord, status: PatchStyleCustomerStatus, at: Date, options?: ApplyStatusOptions): PatchStyleStatusChange;
}

export function createPatchStyleState(options: PatchStyleStateOptions): PatchStyleState {
  const customers = new Map<string, PatchStyleCustomerRecord>();
  const outcomes = new Map<string, PatchStyleOutcome[]>();

  function nextScriptedOutcome(customer: PatchStyleCustomerRecord): PatchStyleOutcome | undefined {
    return outcomes.get(customer.id)?.[0];
  }

  return {
    customers,
    outcomes,
    newId: (prefix) => `${prefix}_${randomBytes(12).toString('hex')}`,
    // Computed lazily so setOutcome() after the PATCH still changes the timing.
    reviewDueAtMs(customer) {
      if (customer.status !== 'UNDER_REVIEW' || customer.reviewStartedAt === null) return Infinity;
      const scripted = nextScriptedOutcome(customer)?.afterMs;
      const delay = scripted ?? (patchStyleSandboxScenarioFor(customer.email) === 'delay' ? options.delayedReviewMs : options.reviewDelayMs);
      return customer.reviewStartedAt.getTime() + delay;
    },
    nextScriptedOutcome,
    consumeScriptedOutcome(customer) {
      const queue = outcomes.get(customer.id);
      if (!queue) return;
      queue.shift();
      if (queue.length === 0) outcomes.delete(customer.id);
    },
    sandboxOutcome(customer) {
      switch (patchStyleSandboxScenarioFor(customer.email)) {
        case 'rejected':
          return { status: 'REJECTED', rejectionReason: DEFAULT_REJECTION_REASON };
        case 'rfi':
          return customer.reviewsCompleted === 0
            ? { status: 'NEEDS_ADDITIONAL_INFORMATION', requiredDocuments: defaultRequestedDocuments(customer) }
            : { status: 'ACTIVE' };
        case 'success':
        case 'delay':
          return { status: 'ACTIVE' };
      }
    },
    applyStatus(customer, status, at, applyOptions = {}) {
      const oldStatus = customer.status;
      customer.status = status;
      customer.updatedAt = at;
      customer.requiredDocuments = status === 'NEEDS_ADDITIONAL_INFORMATION' ? [...(applyOptions.requiredDocuments ?? [])] : [];
      customer.requiredFields = status === 'NEEDS_ADDITIONAL_INFORMATION' ? [...(applyOptions.requiredFields ?? [])] : [];
      customer.rejectionReason = status === 'REJECTED' ? (applyOptions.rejectionReason ?? DEFAULT_REJECTION_REASON) : null;
      customer.reviewStartedAt = status === 'UNDER_REVIEW' ? at : null;
      const reason = status === 'REJECTED' ? (customer.rejectionReason ?? undefined) : applyOptions.reason;
      return {
        customer: snapshotCustomer(customer),
        oldStatus,
        newStatus: status,
        at,
        ...(customer.requiredDocuments.length > 0 ? { requiredDocuments: [...customer.requiredDocuments] } : {}),
        ...(reason === undefined ? {} : { reason }),
      };
    },
  };
}

/** What the sandbox RFI asks for: a proof of address when none was sent, else a better copy of the ID. */
function defaultRequestedDocuments(customer: PatchStyleCustomerRecord): string[] {
  const documents = kycDocuments(customer.kycData);
  if (!documents.some((document) => isAddressProofType(document.type))) return [PATCH_STYLE_PROOF_OF_ADDRESS];
  return [documents[0]?.type ?? PATCH_STYLE_PROOF_OF_ADDRESS];
}

/**
 * The customer object as `GET` and `PATCH` return it: the create shape plus
 * `updatedAt`, and, by status, `requiredDocuments` + `requiredFields`
 * (NEEDS_ADDITIONAL_INFORMATION, possibly empty arrays) or `rejectionReason`
 * (REJECTED). kycData is never echoed.
 */
export function customerToJson(customer: PatchStyleCustomerRecord): Record<string, unknown> {
  return {
    ...createdCustomerJson(customer),
    updatedAt: customer.updatedAt.toISOString(),
    ...(customer.status === 'NEEDS_ADDITIONAL_INFORMATION'
      ? { requiredDocuments: [...customer.requiredDocuments], requiredFields: [...customer.requiredFields] }
      : {}),
    ...(customer.status === 'REJECTED' && customer.rejectionReason !== null ? { rejectionReason: customer.rejectionReason } : {}),
  };
}

/** Exactly the contract's `201` body for a create. */
export function createdCustomerJson(customer: PatchStyleCustomerRecord): Record<string, unknown> {
  return {
    id: customer.id,
    type: customer.type,
    status: customer.status,
    email: customer.email,
    firstName: customer.firstName,
    lastName: customer.lastName,
    verificationLink: customer.verificationLink,
    createdAt: customer.createdAt.toISOString(),
  };
}

export function snapshotCustomer(customer: PatchStyleCustomerRecord): PatchStyleCustomerSnapshot {
  return structuredClone(customer);
}
