import { ValidationError, type ValidationIssue } from '../errors.js';
import {
  APPLICATION_FIELDS,
  DOCUMENT_TYPES,
  FILE_CONTENT_TYPES,
  PROOF_OF_ADDRESS_KINDS,
  applicationSchema,
  type Application,
  type ApplicationField,
  type DocumentType,
  type FileContentType,
  type ProofOfAddressKind,
} from '../models/application.js';
import type { ProviderCapabilities, ValidationContext } from '../provider/kyc-provider.js';
import {
  ageOn,
  calendarDateOfInstant,
  compareCalendarDates,
  parseCalendarDate,
  type CalendarDate,
} from '../values/calendar-date.js';
import { describeFileType, detectFileType, isUint8Array } from '../values/file-type.js';
import { wasValidatedForSubmit } from './validated-for-submit.js';
import { fromZodIssues, joinOr, requiredMessage, type ApplicationIssueCode, type IssuePath } from './issues.js';

/** Youngest accepted age, in completed years at `context.now()`. */
export const MINIMUM_AGE = 18;
/** Oldest plausible age; an older date of birth is taken for a typo. */
export const MAXIMUM_AGE = 120;

export type ProviderValidate = (application: Application, context: ValidationContext) => readonly ValidationIssue[];

export interface ApplicationValidationContext extends ValidationContext {
  /**
   * The adapter's own checks (`KycProvider.validate`). Runs only when the
   * application has the right structure (it needs a typed `Application`); its
   * issues come after core's. It is adapter code, not input: if it throws, the
   * error propagates.
   */
  readonly providerValidate?: ProviderValidate | undefined;
}

export type ApplicationValidationResult =
  | { readonly success: true; readonly application: Application }
  | { readonly success: false; readonly issues: ValidationIssue[] };

/**
 * Checks an application against the schema and a provider's capabilities, before
 * any network call. Returns every issue found, each with its path; never throws
 * for bad input (whatever its shape). On success, `application` is the parsed
 * value (strings trimmed, unknown keys dropped).
 *
 * Dates are compared with the UTC calendar day of `context.now()`.
 * Messages never contain the submitted values.
 */
export function validateApplication(
  input: unknown,
  capabilities: ProviderCapabilities,
  context: ApplicationValidationContext,
): ApplicationValidationResult {
  const now = context.now();
  if (Number.isNaN(now.getTime())) throw new RangeError('validateApplication: context.now() returned an invalid Date');
  if (wasValidatedForSubmit(input, capabilities, context.customerType, context.providerValidate, now)) {
    return { success: true, application: input };
  }
  const today = calendarDateOfInstant(now);

  const parsed = applicationSchema().safeParse(input);
  const structural = parsed.success ? [] : fromZodIssues(parsed.error.issues, input);
  const issues = new IssueList(structural);

  const root = asRecord(input);
  if (root !== undefined) {
    checkPerson(asRecord(root.person), today, issues);
    checkDocuments(root.documents, capabilities, today, issues);
    checkRequiredFields(root, capabilities.requiredFields, issues, structural);
  }
  checkCustomerType(context.customerType, capabilities, issues);

  if (parsed.success && context.providerValidate !== undefined) {
    for (const issue of context.providerValidate(parsed.data, context)) issues.add(issue);
  }

  if (parsed.success && issues.size === 0) return { success: true, application: parsed.data };
  return { success: false, issues: issues.toArray() };
}

/**
 * `validateApplication` for callers that want the application or an exception:
 * returns the parsed application, or throws `ValidationError` with every issue.
 */
export function parseApplication(
  input: unknown,
  capabilities: ProviderCapabilities,
  context: ApplicationValidationContext,
): Application {
  const result = validateApplication(input, capabilities, context);
  if (!result.success) throw new ValidationError(result.issues);
  return result.application;
}

/** Collects issues in order, dropping exact repeats (same path and code). */
class IssueList {
  readonly #issues: ValidationIssue[] = [];
  readonly #seen = new Set<string>();

  constructor(initial: readonly ValidationIssue[]) {
    for (const issue of initial) this.add(issue);
  }

  get size(): number {
    return this.#issues.length;
  }

  add(issue: ValidationIssue): void {
    const key = `${issue.code}\u0000${issue.path.map(String).join('\u0000')}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.#issues.push(issue);
  }

  push(path: IssuePath, code: ApplicationIssueCode, message: string): void {
    this.add({ path, code, message });
  }

  toArray(): ValidationIssue[] {
    return this.#issues.slice();
  }
}

type UnknownRecord = Readonly<Record<string, unknown>>;

function asRecord(value: unknown): UnknownRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as UnknownRecord) : undefined;
}

function asDate(value: unknown): CalendarDate | undefined {
  return typeof value === 'string' ? parseCalendarDate(value) : undefined;
}

const DOCUMENT_TYPE_SET: ReadonlySet<string> = new Set(DOCUMENT_TYPES);
const CONTENT_TYPE_SET: ReadonlySet<string> = new Set(FILE_CONTENT_TYPES);
const APPLICATION_FIELD_SET: ReadonlySet<string> = new Set(APPLICATION_FIELDS);
/** Document types that prove identity, for suggesting alternatives to a refused one. */
const IDENTITY_KINDS: ReadonlySet<DocumentType> = new Set<DocumentType>([
  'passport',
  'drivers_license',
  'residence_permit',
  'national_id',
  'state_id',
]);

function isDocumentType(value: unknown): value is DocumentType {
  return typeof value === 'string' && DOCUMENT_TYPE_SET.has(value);
}

function isProofOfAddressKind(value: unknown): value is ProofOfAddressKind {
  return typeof value === 'string' && (PROOF_OF_ADDRESS_KINDS as readonly string[]).includes(value);
}

function isContentType(value: unknown): value is FileContentType {
  return typeof value === 'string' && CONTENT_TYPE_SET.has(value);
}

// ---------------------------------------------------------------------------
// person

function checkPerson(person: UnknownRecord | undefined, today: CalendarDate, issues: IssueList): void {
  if (person === undefined) return;
  const birth = asDate(person.dateOfBirth);
  if (birth === undefined) return; // missing or malformed: the schema reported it
  const path = ['person', 'dateOfBirth'];
  if (compareCalendarDates(birth, today) > 0) {
    issues.push(path, 'date_in_future', 'The date of birth is in the future; send the date of birth as YYYY-MM-DD.');
    return;
  }
  const age = ageOn(birth, today);
  if (age < MINIMUM_AGE) {
    issues.push(
      path,
      'underage',
      `The person must be at least ${MINIMUM_AGE} years old on the day of the application; minors cannot be verified.`,
    );
  } else if (age > MAXIMUM_AGE) {
    issues.push(
      path,
      'implausible_date_of_birth',
      `The date of birth is more than ${MAXIMUM_AGE} years ago; check the year and send the date of birth as YYYY-MM-DD.`,
    );
  }
}

// ---------------------------------------------------------------------------
// documents

function checkDocuments(
  documents: unknown,
  capabilities: ProviderCapabilities,
  today: CalendarDate,
  issues: IssueList,
): void {
  if (!Array.isArray(documents)) return; // missing or not a list: the schema reported it
  const accepted = new Set<DocumentType>(capabilities.documentTypes);
  const twoSided = new Set<DocumentType>(capabilities.twoSidedDocuments);
  const identity = new Set<DocumentType>(capabilities.identityDocumentTypes);
  const seen = new Set<DocumentType>();
  let hasIdentityDocument = false;

  documents.forEach((entry: unknown, index: number) => {
    const document = asRecord(entry);
    if (document === undefined) return;
    const base = ['documents', index] as const;
    const type = document.type;

    if (isDocumentType(type)) {
      if (identity.has(type)) hasIdentityDocument = true;
      if (!accepted.has(type)) {
        issues.push([...base, 'type'], 'unsupported_document', unsupportedDocumentMessage(type, capabilities));
      } else if (seen.has(type)) {
        issues.push(
          [...base, 'type'],
          'duplicate_document',
          `Only one ${type} can be sent; remove the duplicate or send it once with both sides.`,
        );
      }
      seen.add(type);
      if (accepted.has(type) && type === 'proof_of_address') checkProofOfAddressKind(document, base, capabilities, issues);
      if (accepted.has(type) && twoSided.has(type) && document.back === undefined) {
        issues.push(
          [...base, 'back'],
          'back_required',
          `This provider needs both sides of a ${type}; send the back side as back.`,
        );
      }
    }

    checkDocumentDates(document, base, today, issues);
    checkFile(document.front, [...base, 'front'], capabilities, issues);
    if (document.back !== undefined) checkFile(document.back, [...base, 'back'], capabilities, issues);
  });

  if (!hasIdentityDocument && identity.size > 0) {
    issues.push(
      ['documents'],
      'identity_document_required',
      `At least one identity document is required; send a ${joinOr(capabilities.identityDocumentTypes)}.`,
    );
  }
}

/** A kind of proof of address the provider does not take (documents without a kind get the provider's default). */
function checkProofOfAddressKind(
  document: UnknownRecord,
  base: readonly (string | number)[],
  capabilities: ProviderCapabilities,
  issues: IssueList,
): void {
  const kind = document.proofOfAddressKind;
  const accepted = capabilities.proofOfAddressKinds;
  if (!isProofOfAddressKind(kind) || accepted === undefined || accepted.includes(kind)) return;
  issues.push(
    [...base, 'proofOfAddressKind'],
    'unsupported_proof_of_address_kind',
    `This provider does not accept a ${kind} as proof of address` +
      (accepted.length > 0 ? `; send a ${joinOr(accepted)}.` : '; leave proofOfAddressKind out.'),
  );
}

function unsupportedDocumentMessage(type: DocumentType, capabilities: ProviderCapabilities): string {
  const identityAlternatives = capabilities.identityDocumentTypes.filter(
    (candidate) => candidate !== type && capabilities.documentTypes.includes(candidate),
  );
  const alternatives =
    IDENTITY_KINDS.has(type) && identityAlternatives.length > 0
      ? identityAlternatives
      : capabilities.documentTypes.filter((candidate) => candidate !== type);
  if (alternatives.length === 0) return `This provider does not accept ${type}`;
  return `This provider does not accept ${type}; send a ${joinOr(alternatives)}`;
}

function checkDocumentDates(
  document: UnknownRecord,
  base: readonly (string | number)[],
  today: CalendarDate,
  issues: IssueList,
): void {
  const expires = asDate(document.expiresOn);
  const issued = asDate(document.issuedOn);
  if (expires !== undefined && compareCalendarDates(expires, today) <= 0) {
    issues.push(
      [...base, 'expiresOn'],
      'document_expired',
      'The document has expired (its expiry date must be after today); send a document that is still valid.',
    );
  }
  if (issued !== undefined) {
    if (compareCalendarDates(issued, today) > 0) {
      issues.push(
        [...base, 'issuedOn'],
        'date_in_future',
        'The issue date of the document is in the future; send the date the document was issued as YYYY-MM-DD.',
      );
    }
    if (expires !== undefined && compareCalendarDates(issued, expires) >= 0) {
      issues.push(
        [...base, 'issuedOn'],
        'issued_after_expiry',
        'The issue date of the document must be before its expiry date; check both dates.',
      );
    }
  }
}

// ---------------------------------------------------------------------------
// files

function checkFile(
  value: unknown,
  path: readonly (string | number)[],
  capabilities: ProviderCapabilities,
  issues: IssueList,
): void {
  const file = asRecord(value);
  if (file === undefined) return;
  const { contentTypes, minBytes, maxBytes } = capabilities.files;
  const declared = isContentType(file.contentType) ? file.contentType : undefined;

  if (declared !== undefined && !contentTypes.includes(declared)) {
    const others = contentTypes.filter((type) => type !== declared);
    issues.push(
      [...path, 'contentType'],
      'unsupported_content_type',
      `This provider does not accept ${declared} files` +
        (others.length > 0 ? `; send ${joinOr(others)}.` : '.'),
    );
  }

  const content = file.content;
  if (!isUint8Array(content)) return; // missing or wrong type: the schema reported it
  const contentPath = [...path, 'content'];
  if (content.length === 0) {
    issues.push(contentPath, 'file_empty', 'The file is empty; send the file bytes.');
    return;
  }
  if (minBytes !== undefined && content.length < minBytes) {
    issues.push(contentPath, 'file_too_small', `The file must be at least ${formatBytes(minBytes)}; send a larger, legible scan or photo.`);
  }
  if (content.length > maxBytes) {
    issues.push(contentPath, 'file_too_large', `The file must be at most ${formatBytes(maxBytes)}; send a smaller or compressed file.`);
  }

  const detected = detectFileType(content);
  if (detected === undefined) {
    issues.push(
      contentPath,
      'unrecognized_file',
      `The file content is not a JPEG image, a PNG image or a PDF document; send the file itself as ${joinOr(
        contentTypes,
      )} bytes.`,
    );
  } else if (declared !== undefined && detected !== declared) {
    issues.push(
      [...path, 'contentType'],
      'file_type_mismatch',
      `The file content is ${describeFileType(detected)}, which does not match the declared content type; set contentType to ${detected}.`,
    );
  }
}

function formatBytes(bytes: number): string {
  const MB = 1024 * 1024;
  const KB = 1024;
  if (bytes >= MB && bytes % (MB / 10) === 0) return `${bytes / MB} MB`;
  if (bytes >= KB && bytes % KB === 0) return `${bytes / KB} KB`;
  return `${bytes} bytes`;
}

// ---------------------------------------------------------------------------
// provider capabilities

function checkRequiredFields(
  root: UnknownRecord,
  requiredFields: readonly ApplicationField[],
  issues: IssueList,
  structural: readonly ValidationIssue[],
): void {
  const required = new Set<string>(requiredFields);
  for (const field of requiredFields) {
    if (!APPLICATION_FIELD_SET.has(field)) continue;
    const path = field.split('.');
    if (structural.some((issue) => isPrefix(issue.path, path))) continue; // already reported there
    const value = valueAt(root, path, required);
    switch (value.kind) {
      case 'skip':
        break;
      case 'missing':
        issues.push(path, 'required', requiredMessage(path, ' by this provider'));
        break;
      case 'present': {
        const v = value.value;
        if (v === false && field.startsWith('contactVerified.')) {
          const what = field === 'contactVerified.email' ? 'email address' : 'phone number';
          issues.push(
            path,
            'contact_not_verified',
            `This provider requires a verified ${what}; verify it (for example with a one-time code) and send ${field}: true.`,
          );
        } else if ((typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0)) {
          issues.push(path, 'required', requiredMessage(path, ' by this provider'));
        }
        break;
      }
    }
  }
}

type Lookup = { kind: 'present'; value: unknown } | { kind: 'missing' } | { kind: 'skip' };

/**
 * The value at `path`. A missing parent that is itself required is reported once,
 * at the parent (`skip` here); a parent of the wrong type was reported by the schema.
 */
function valueAt(root: UnknownRecord, path: readonly string[], required: ReadonlySet<string>): Lookup {
  let current: unknown = root;
  for (let index = 0; index < path.length; index += 1) {
    const parent = asRecord(current);
    if (parent === undefined) {
      if (current !== undefined) return { kind: 'skip' };
      return required.has(path.slice(0, index).join('.')) ? { kind: 'skip' } : { kind: 'missing' };
    }
    current = parent[path[index] as string];
  }
  return current === undefined ? { kind: 'missing' } : { kind: 'present', value: current };
}

function isPrefix(prefix: readonly (string | number)[], path: readonly (string | number)[]): boolean {
  return prefix.length <= path.length && prefix.every((part, index) => part === path[index]);
}

function checkCustomerType(
  customerType: ValidationContext['customerType'],
  capabilities: ProviderCapabilities,
  issues: IssueList,
): void {
  if (customerType === undefined || capabilities.customerTypes.includes(customerType)) return;
  const accepted = capabilities.customerTypes;
  issues.push(
    ['customer', 'type'],
    'unsupported_customer_type',
    `This provider does not accept ${customerType} customers` +
      (accepted.length > 0 ? `; it accepts ${joinOr(accepted)} customers only.` : '.'),
  );
}
