import { isPatchStyleCountryCode } from './patch-style-countries.js';

/**
 * The `kycData` object of `PATCH /api/v1/customers/:id`, exactly as the guide's
 * "Required data fields" tables and "Document format" define it: field names,
 * which are required, and the enum values. Validation (a patch is refused as a
 * whole, naming every bad field), merging into what was stored, and the
 * completeness check that decides between UNDER_REVIEW and
 * NEEDS_ADDITIONAL_INFORMATION all live here; nothing here does I/O.
 */

export const PATCH_STYLE_ID_DOCUMENT_TYPES = ['PASSPORT', 'DRIVERS_LICENSE', 'NATIONAL_ID', 'RESIDENCE_PERMIT', 'STATE_ID'] as const;
export const PATCH_STYLE_ADDRESS_PROOF_TYPES = ['UTILITY_BILL', 'BANK_STATEMENT', 'LEASE_AGREEMENT'] as const;
export const PATCH_STYLE_DOCUMENT_TYPES = [...PATCH_STYLE_ID_DOCUMENT_TYPES, ...PATCH_STYLE_ADDRESS_PROOF_TYPES] as const;
export const PATCH_STYLE_NATIONAL_ID_TYPES = ['SSN', 'TIN', 'NATIONAL_ID'] as const;
export const PATCH_STYLE_EMPLOYMENT_STATUSES = ['EMPLOYED', 'SELF_EMPLOYED', 'UNEMPLOYED', 'RETIRED', 'STUDENT'] as const;
export const PATCH_STYLE_SOURCES_OF_FUNDS = ['EMPLOYMENT', 'BUSINESS', 'INVESTMENTS', 'INHERITANCE', 'SAVINGS'] as const;
export const PATCH_STYLE_ACCOUNT_PURPOSES = ['PERSONAL_USE', 'BUSINESS_USE', 'INVESTMENT'] as const;
export const PATCH_STYLE_EXPECTED_MONTHLY_PAYMENTS_USD = ['UNDER_10K', '10K_TO_50K', '50K_TO_100K', 'OVER_100K'] as const;

export type PatchStyleIdDocumentType = (typeof PATCH_STYLE_ID_DOCUMENT_TYPES)[number];
export type PatchStyleAddressProofType = (typeof PATCH_STYLE_ADDRESS_PROOF_TYPES)[number];
export type PatchStyleDocumentType = (typeof PATCH_STYLE_DOCUMENT_TYPES)[number];

/**
 * A category the provider may name in `requiredDocuments` (the contract's
 * example has it) that any of the three address-proof types satisfies.
 */
export const PATCH_STYLE_PROOF_OF_ADDRESS = 'PROOF_OF_ADDRESS';

/** Top-level required fields, in the guide's table order (also the order of `requiredFields`). */
export const PATCH_STYLE_REQUIRED_KYC_FIELDS = [
  'legalFirstName',
  'legalLastName',
  'phoneNumber',
  'dateOfBirth',
  'nationality',
  'address',
  'nationalIdType',
  'nationalIdNumber',
  'nationalIdIssuingCountry',
  'employmentStatus',
  'mostRecentOccupation',
  'sourceOfFunds',
  'accountPurpose',
  'expectedMonthlyPaymentsUsd',
  'isIntermediary',
  'documents',
] as const;

/** Required sub-fields of `address`; missing ones are reported as `address.<name>`. */
export const PATCH_STYLE_REQUIRED_ADDRESS_FIELDS = ['addressLine1', 'city', 'state', 'stateCode', 'postalCode', 'country', 'locale'] as const;

export interface PatchStyleKycAddress {
  addressLine1?: string;
  addressLine2?: string;
  city?: string;
  state?: string;
  stateCode?: string;
  postalCode?: string;
  country?: string;
  locale?: string;
  [extra: string]: unknown;
}

export interface PatchStyleKycDocument {
  type: PatchStyleDocumentType;
  number?: string;
  issuingCountry?: string;
  expirationDate?: string;
  issueDate?: string;
  frontImageUrl: string;
  backImageUrl?: string;
  [extra: string]: unknown;
}

/** Everything the guide defines; every field optional because a PATCH may carry any subset. */
export interface PatchStyleKycData {
  /** Legal first name. */
  legalFirstName?: string;
  /** Legal last name. */
  legalLastName?: string;
  /** Legal middle name. */
  legalMiddleName?: string;
  /** E.164 phone number. */
  phoneNumber?: string;
  /** `YYYY-MM-DD`, 18 or older. */
  dateOfBirth?: string;
  /** ISO 3166-1 alpha-2. */
  nationality?: string;
  /** The residential address. */
  address?: PatchStyleKycAddress;
  /** `SSN`, `TIN` or `NATIONAL_ID`. */
  nationalIdType?: (typeof PATCH_STYLE_NATIONAL_ID_TYPES)[number];
  /** The national id number. */
  nationalIdNumber?: string;
  /** ISO 3166-1 alpha-2 country that issued it. */
  nationalIdIssuingCountry?: string;
  /** Employment status, upper case. */
  employmentStatus?: (typeof PATCH_STYLE_EMPLOYMENT_STATUSES)[number];
  /** Occupation, in words. */
  mostRecentOccupation?: string;
  /** Source of funds, upper case. */
  sourceOfFunds?: (typeof PATCH_STYLE_SOURCES_OF_FUNDS)[number];
  /** Purpose of the account, upper case. */
  accountPurpose?: (typeof PATCH_STYLE_ACCOUNT_PURPOSES)[number];
  /** Expected monthly volume band, upper case. */
  expectedMonthlyPaymentsUsd?: (typeof PATCH_STYLE_EXPECTED_MONTHLY_PAYMENTS_USD)[number];
  /** Whether the customer acts for someone else. */
  isIntermediary?: boolean;
  /** Documents with their hosted image URLs. */
  documents?: PatchStyleKycDocument[];
  /** Unknown fields are accepted and stored, never interpreted. */
  [extra: string]: unknown;
}

export const E164_PATTERN = /^\+[1-9]\d{1,14}$/;
const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
/** "2-letter state code" in the guide; up to 3 letters/digits so ISO 3166-2 subdivisions such as MX "CMX" pass. */
const STATE_CODE_PATTERN = /^[A-Za-z0-9]{1,3}$/;
/** BCP 47-ish: `en`, `en-US`, `pt-BR`, `zh-Hant-TW` (underscore tolerated: `en_US`). */
const LOCALE_PATTERN = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/;
const MINIMUM_AGE = 18;

// ---------------------------------------------------------------------------
// Validation

type FieldCheck = (value: unknown, path: string, today: CalendarDay) => string | undefined;

const nonEmptyString: FieldCheck = (value, path) =>
  typeof value === 'string' && value.trim() !== '' ? undefined : `${path} must be a non-empty string`;

const phone: FieldCheck = (value, path) =>
  typeof value === 'string' && E164_PATTERN.test(value) ? undefined : `${path} must be in E.164 format`;

const country: FieldCheck = (value, path) =>
  isPatchStyleCountryCode(value) ? undefined : `${path} must be an ISO 3166-1 alpha-2 country code`;

const calendarDate: FieldCheck = (value, path) =>
  typeof value === 'string' && parseCalendarDay(value) !== undefined ? undefined : `${path} must be a valid date in YYYY-MM-DD format`;

const dateOfBirth: FieldCheck = (value, path, today) => {
  const invalid = calendarDate(value, path, today);
  if (invalid !== undefined) return invalid;
  const birth = parseCalendarDay(value as string) as CalendarDay;
  if (compareDays(birth, today) > 0) return `${path} must not be in the future`;
  if (ageOn(birth, today) < MINIMUM_AGE) return `${path} must make the customer at least ${MINIMUM_AGE} years old`;
  return undefined;
};

const boolean: FieldCheck = (value, path) => (typeof value === 'boolean' ? undefined : `${path} must be a boolean`);

const pattern =
  (regex: RegExp, description: string): FieldCheck =>
  (value, path) =>
    typeof value === 'string' && regex.test(value) ? undefined : `${path} must be ${description}`;

const oneOf =
  (values: readonly string[]): FieldCheck =>
  (value, path) =>
    typeof value === 'string' && values.includes(value) ? undefined : `${path} must be one of ${values.join(', ')}`;

const httpUrl: FieldCheck = (value, path) => {
  if (typeof value === 'string') {
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:') return undefined;
    } catch {
      // fall through
    }
  }
  return `${path} must be an http(s) URL`;
};

const TOP_LEVEL_CHECKS: Readonly<Record<string, FieldCheck>> = {
  legalFirstName: nonEmptyString,
  legalLastName: nonEmptyString,
  legalMiddleName: nonEmptyString,
  phoneNumber: phone,
  dateOfBirth,
  nationality: country,
  nationalIdType: oneOf(PATCH_STYLE_NATIONAL_ID_TYPES),
  nationalIdNumber: nonEmptyString,
  nationalIdIssuingCountry: country,
  employmentStatus: oneOf(PATCH_STYLE_EMPLOYMENT_STATUSES),
  mostRecentOccupation: nonEmptyString,
  sourceOfFunds: oneOf(PATCH_STYLE_SOURCES_OF_FUNDS),
  accountPurpose: oneOf(PATCH_STYLE_ACCOUNT_PURPOSES),
  expectedMonthlyPaymentsUsd: oneOf(PATCH_STYLE_EXPECTED_MONTHLY_PAYMENTS_USD),
  isIntermediary: boolean,
};

const ADDRESS_CHECKS: Readonly<Record<string, FieldCheck>> = {
  addressLine1: nonEmptyString,
  addressLine2: nonEmptyString,
  city: nonEmptyString,
  state: nonEmptyString,
  stateCode: pattern(STATE_CODE_PATTERN, 'a state/province code of up to 3 letters or digits (e.g. "CA")'),
  postalCode: nonEmptyString,
  country,
  locale: pattern(LOCALE_PATTERN, 'a language and region such as "en-US"'),
};

const DOCUMENT_OPTIONAL_CHECKS: Readonly<Record<string, FieldCheck>> = {
  number: nonEmptyString,
  issuingCountry: country,
  expirationDate: calendarDate,
  issueDate: calendarDate,
  backImageUrl: httpUrl,
};

/**
 * Checks the fields a PATCH carries (not the merged result: what was stored
 * before is already valid). `null` is allowed for every field and means
 * "remove it" (JSON merge patch). Unknown fields are not checked.
 *
 * @returns one problem per bad field, each starting with the field's path
 *   (`phoneNumber must be in E.164 format`, `documents[0].type must be one of …`);
 *   empty when the patch is valid.
 */
export function validateKycDataPatch(kycData: unknown, now: Date): string[] {
  if (kycData === undefined) return ['kycData is required'];
  if (!isPlainObject(kycData)) return ['kycData must be an object'];
  const today = dayOf(now);
  const problems: string[] = [];

  for (const [field, value] of Object.entries(kycData)) {
    if (value === null) continue;
    const check = TOP_LEVEL_CHECKS[field];
    if (check) {
      pushProblem(problems, check(value, field, today));
    } else if (field === 'address') {
      validateAddress(value, problems, today);
    } else if (field === 'documents') {
      validateDocuments(value, problems, today);
    }
  }
  return problems;
}

function validateAddress(value: unknown, problems: string[], today: CalendarDay): void {
  if (!isPlainObject(value)) {
    problems.push('address must be an object');
    return;
  }
  for (const [field, fieldValue] of Object.entries(value)) {
    if (fieldValue === null) continue;
    const check = ADDRESS_CHECKS[field];
    if (check) pushProblem(problems, check(fieldValue, `address.${field}`, today));
  }
}

function validateDocuments(value: unknown, problems: string[], today: CalendarDay): void {
  if (!Array.isArray(value)) {
    problems.push('documents must be an array');
    return;
  }
  value.forEach((document: unknown, index) => {
    const path = `documents[${index}]`;
    if (!isPlainObject(document)) {
      problems.push(`${path} must be an object`);
      return;
    }
    pushProblem(problems, oneOf(PATCH_STYLE_DOCUMENT_TYPES)(document.type, `${path}.type`, today));
    pushProblem(problems, httpUrl(document.frontImageUrl, `${path}.frontImageUrl`, today));
    for (const [field, check] of Object.entries(DOCUMENT_OPTIONAL_CHECKS)) {
      const fieldValue = document[field];
      if (fieldValue !== undefined && fieldValue !== null) pushProblem(problems, check(fieldValue, `${path}.${field}`, today));
    }
  });
}

function pushProblem(problems: string[], problem: string | undefined): void {
  if (problem !== undefined) problems.push(problem);
}

// ---------------------------------------------------------------------------
// Merge and completeness

/**
 * Merges a validated patch into the stored kycData (returns a new object):
 * - top-level fields replace what was there; `null` removes the field;
 * - `address` is merged field by field (`null` removes a sub-field);
 * - `documents` is merged by document `type`: a patched document replaces every
 *   stored document of the same type, other stored documents are kept — so an
 *   RFI answer may send only the requested document.
 */
export function mergeKycData(stored: Readonly<Record<string, unknown>>, patch: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const merged: Record<string, unknown> = structuredClone(stored) as Record<string, unknown>;
  for (const [field, value] of Object.entries(structuredClone(patch) as Record<string, unknown>)) {
    if (value === null) {
      delete merged[field];
    } else if (field === 'address' && isPlainObject(value) && isPlainObject(merged.address)) {
      const address: Record<string, unknown> = { ...merged.address };
      for (const [subField, subValue] of Object.entries(value)) {
        if (subValue === null) delete address[subField];
        else address[subField] = subValue;
      }
      merged.address = address;
    } else if (field === 'address' && isPlainObject(value)) {
      merged.address = Object.fromEntries(Object.entries(value).filter(([, subValue]) => subValue !== null));
    } else if (field === 'documents' && Array.isArray(value) && Array.isArray(merged.documents)) {
      const patchedTypes = new Set(value.map((document: Record<string, unknown>) => document.type));
      const kept = (merged.documents as Record<string, unknown>[]).filter((document) => !patchedTypes.has(document.type));
      merged.documents = [...kept, ...value];
    } else {
      merged[field] = value;
    }
  }
  return merged;
}

/**
 * Required kycData that is still missing, as `requiredFields` reports it:
 * top-level names (`address` when there is no address at all), `address.<name>`
 * for missing address lines, and `documents` while there is no ID document.
 */
export function missingKycFields(kycData: Readonly<Record<string, unknown>>): string[] {
  const missing: string[] = [];
  for (const field of PATCH_STYLE_REQUIRED_KYC_FIELDS) {
    const value = kycData[field];
    if (field === 'address') {
      if (!isPlainObject(value)) missing.push('address');
      else for (const subField of PATCH_STYLE_REQUIRED_ADDRESS_FIELDS) if (isMissing(value[subField])) missing.push(`address.${subField}`);
    } else if (field === 'documents') {
      if (!hasIdDocument(value)) missing.push('documents');
    } else if (isMissing(value)) {
      missing.push(field);
    }
  }
  return missing;
}

/** The stored documents (valid by construction), in submission order. */
export function kycDocuments(kycData: Readonly<Record<string, unknown>>): PatchStyleKycDocument[] {
  return Array.isArray(kycData.documents) ? (kycData.documents as PatchStyleKycDocument[]) : [];
}

export function isIdDocumentType(type: unknown): type is PatchStyleIdDocumentType {
  return (PATCH_STYLE_ID_DOCUMENT_TYPES as readonly unknown[]).includes(type);
}

export function isAddressProofType(type: unknown): type is PatchStyleAddressProofType {
  return (PATCH_STYLE_ADDRESS_PROOF_TYPES as readonly unknown[]).includes(type);
}

function hasIdDocument(documents: unknown): boolean {
  return Array.isArray(documents) && documents.some((document: unknown) => isPlainObject(document) && isIdDocumentType(document.type));
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------
// Calendar days (no Date parsing, so no time zone can shift a birthday)

interface CalendarDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function parseCalendarDay(value: string): CalendarDay | undefined {
  const match = ISO_DATE_PATTERN.exec(value);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function dayOf(instant: Date): CalendarDay {
  return { year: instant.getUTCFullYear(), month: instant.getUTCMonth() + 1, day: instant.getUTCDate() };
}

function compareDays(a: CalendarDay, b: CalendarDay): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Completed years; a birthday today counts, 29 February birthdays fall on 1 March in common years. */
function ageOn(birth: CalendarDay, on: CalendarDay): number {
  const years = on.year - birth.year;
  const hadBirthday = on.month > birth.month || (on.month === birth.month && on.day >= birth.day);
  return hadBirthday ? years : years - 1;
}
