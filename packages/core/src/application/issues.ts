import type { z } from 'zod';
import type { ValidationIssue } from '../errors.js';

/**
 * Issue codes `validateApplication` produces. Stable: callers may branch on them.
 * Provider-specific issues (from an adapter's `validate`) may add their own.
 */
export const APPLICATION_ISSUE_CODES = [
  // structure (from the zod schema)
  'required',
  'invalid_type',
  'invalid_value',
  'too_short',
  'too_long',
  'too_few',
  'too_many',
  'invalid_email',
  'invalid_format',
  'unknown_field',
  'invalid',
  // formats
  'invalid_date',
  'invalid_phone',
  'invalid_country',
  'invalid_identifier',
  'invalid_document_number',
  'not_applicable',
  // person
  'underage',
  'date_in_future',
  'implausible_date_of_birth',
  // documents
  'document_expired',
  'issued_after_expiry',
  'unsupported_document',
  'identity_document_required',
  'back_required',
  'duplicate_document',
  'unsupported_proof_of_address_kind',
  // files
  'file_empty',
  'file_too_small',
  'file_too_large',
  'unsupported_content_type',
  'unrecognized_file',
  'file_type_mismatch',
  // provider capabilities
  'contact_not_verified',
  'unsupported_customer_type',
] as const;
export type ApplicationIssueCode = (typeof APPLICATION_ISSUE_CODES)[number];

export type IssuePath = readonly (string | number)[];

/**
 * Human names of the application's fields, keyed by path with list indexes as `*`.
 * Messages are built from these and from the schema's limits, never from the
 * submitted values.
 */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  '': 'The application',
  person: 'The person',
  'person.firstName': 'The first name',
  'person.lastName': 'The last name',
  'person.middleName': 'The middle name',
  'person.dateOfBirth': 'The date of birth',
  'person.nationality': 'The nationality',
  'person.email': 'The email address',
  'person.phone': 'The phone number',
  address: 'The address',
  'address.line1': 'The first address line',
  'address.line2': 'The second address line',
  'address.city': 'The city',
  'address.state': 'The state or region',
  'address.stateCode': 'The state code',
  'address.postalCode': 'The postal code',
  'address.country': 'The country of the address',
  identifiers: 'The list of identifiers',
  'identifiers.*': 'Each identifier',
  'identifiers.*.type': 'The identifier type',
  'identifiers.*.value': 'The identifier value',
  'identifiers.*.issuingCountry': 'The issuing country of the identifier',
  documents: 'The list of documents',
  'documents.*': 'Each document',
  'documents.*.type': 'The document type',
  'documents.*.number': 'The document number',
  'documents.*.proofOfAddressKind': 'The kind of proof of address',
  'documents.*.issuingCountry': 'The issuing country of the document',
  'documents.*.expiresOn': 'The expiry date of the document',
  'documents.*.issuedOn': 'The issue date of the document',
  'documents.*.front': 'The front side of the document',
  'documents.*.back': 'The back side of the document',
  'documents.*.front.content': 'The file content of the front side',
  'documents.*.front.contentType': 'The content type of the front side',
  'documents.*.front.filename': 'The file name of the front side',
  'documents.*.back.content': 'The file content of the back side',
  'documents.*.back.contentType': 'The content type of the back side',
  'documents.*.back.filename': 'The file name of the back side',
  profile: 'The profile',
  'profile.employmentStatus': 'The employment status',
  'profile.occupation': 'The occupation',
  'profile.sourceOfFunds': 'The source of funds',
  'profile.accountPurpose': 'The account purpose',
  'profile.expectedMonthlyVolumeUsd': 'The expected monthly volume',
  'profile.isIntermediary': 'Whether the customer acts for someone else (isIntermediary)',
  contactVerified: 'The contact verification',
  'contactVerified.email': 'Whether the platform verified the email address',
  'contactVerified.phone': 'Whether the platform verified the phone number',
  'customer.type': 'The customer type',
};

const DATE_FORMAT = 'a real calendar date as YYYY-MM-DD';
const COUNTRY_FORMAT =
  'an officially assigned ISO 3166-1 alpha-2 country code in upper case (XK is accepted for Kosovo)';
const PHONE_FORMAT =
  'a phone number in E.164 format: a plus sign, the country code and the number, digits only, at most 15 digits, no spaces or punctuation';
const FILE_CONTENT_FORMAT = 'the file bytes as a Uint8Array (a Buffer is fine)';

/** What to send for fields with a format, keyed like `FIELD_LABELS`. */
const FIELD_FORMATS: Readonly<Record<string, string>> = {
  'person.dateOfBirth': DATE_FORMAT,
  'documents.*.expiresOn': DATE_FORMAT,
  'documents.*.issuedOn': DATE_FORMAT,
  'person.nationality': COUNTRY_FORMAT,
  'address.country': COUNTRY_FORMAT,
  'identifiers.*.issuingCountry': COUNTRY_FORMAT,
  'documents.*.issuingCountry': COUNTRY_FORMAT,
  'person.phone': PHONE_FORMAT,
  'person.email': 'an email address',
  'documents.*.front.content': FILE_CONTENT_FORMAT,
  'documents.*.back.content': FILE_CONTENT_FORMAT,
  'contactVerified.email': 'true or false',
  'contactVerified.phone': 'true or false',
  'profile.isIntermediary': 'true or false',
};

const TYPE_NOUNS: Readonly<Record<string, string>> = {
  string: 'text (a string)',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list (an array)',
  object: 'an object',
};

function fieldKey(path: IssuePath): string {
  return path.map((part) => (typeof part === 'number' ? '*' : part)).join('.');
}

/** `'The date of birth'` for `['person', 'dateOfBirth']`. */
export function fieldLabel(path: IssuePath): string {
  const label = FIELD_LABELS[fieldKey(path)];
  if (label !== undefined) return label;
  const last = path[path.length - 1];
  return typeof last === 'string' ? `The field ${last}` : 'This entry';
}

/** What to send for the field, when it has a format (`'a real calendar date as YYYY-MM-DD'`), else undefined. */
export function fieldFormat(path: IssuePath): string | undefined {
  return FIELD_FORMATS[fieldKey(path)];
}

/** `'a, b or c'` */
export function joinOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

export function requiredMessage(path: IssuePath, suffix = ''): string {
  const format = fieldFormat(path);
  return `${fieldLabel(path)} is required${suffix}${format === undefined ? '' : `; send ${format}`}.`;
}

const FORMAT_RULES = {
  invalid_date: `must be ${DATE_FORMAT}`,
  invalid_phone:
    'must be in E.164 format: a plus sign, the country code and the number, digits only, at most 15 digits, no spaces or punctuation',
  invalid_country: `must be ${COUNTRY_FORMAT}`,
} as const;

export function formatMessage(code: keyof typeof FORMAT_RULES, path: IssuePath): string {
  return `${fieldLabel(path)} ${FORMAT_RULES[code]}.`;
}

function isMissingAt(input: unknown, path: IssuePath): boolean {
  let current: unknown = input;
  for (const part of path) {
    if (typeof current !== 'object' || current === null) return true;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current === undefined;
}

function toIssuePath(path: readonly PropertyKey[]): (string | number)[] {
  return path.map((part) => (typeof part === 'symbol' ? String(part.description ?? '') : part));
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * Turns zod issues into `ValidationIssue`s with stable codes and messages that say
 * what to send. Zod's own messages are not used, and nothing of the submitted
 * value is copied: only the schema's limits, enum members and field names.
 * `input` is the value that was parsed, to tell a missing field from a wrong one.
 */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], input: unknown): ValidationIssue[] {
  return issues.map((issue) => fromZodIssue(issue, input));
}

function fromZodIssue(issue: z.core.$ZodIssue, input: unknown): ValidationIssue {
  const path = toIssuePath(issue.path);
  const label = fieldLabel(path);
  const make = (code: ApplicationIssueCode, message: string): ValidationIssue => ({ path, code, message });

  switch (issue.code) {
    case 'invalid_type': {
      if (isMissingAt(input, path)) return make('required', requiredMessage(path));
      const expected = fieldFormat(path) ?? TYPE_NOUNS[issue.expected] ?? `of type ${issue.expected}`;
      return make('invalid_type', `${label} must be ${expected}.`);
    }
    case 'custom': {
      const code = (issue.params as { code?: unknown } | undefined)?.code;
      if (code === 'invalid_date' || code === 'invalid_phone' || code === 'invalid_country') {
        // the schema's own message is replaced by one naming the field
        return make(code, formatMessage(code, path));
      }
      if (code === 'invalid_identifier' || code === 'invalid_document_number') {
        // Our own refinement's message: it names the rule and never the value.
        const rule = (issue.params as { rule?: unknown }).rule;
        return { ...make(code, issue.message), ...(typeof rule === 'string' ? { rule } : {}) };
      }
      if (code === 'not_applicable') return make(code, issue.message);
      if (code === 'invalid_type') {
        if (isMissingAt(input, path)) return make('required', requiredMessage(path));
        return make('invalid_type', `${label} must be ${fieldFormat(path) ?? 'of another type'}.`);
      }
      return make('invalid', `${label} is invalid.`);
    }
    case 'invalid_value':
      return make('invalid_value', `${label} must be one of: ${issue.values.map(String).join(', ')}.`);
    case 'too_small': {
      const minimum = Number(issue.minimum);
      if (issue.origin === 'string') {
        if (minimum <= 1 && !issue.exact) return make('too_short', `${label} must not be empty.`);
        return make('too_short', `${label} must be ${issue.exact ? 'exactly' : 'at least'} ${plural(minimum, 'character')} long.`);
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        return make('too_few', `${label} must contain ${issue.exact ? 'exactly' : 'at least'} ${plural(minimum, 'item')}.`);
      }
      return make('too_short', `${label} is too small.`);
    }
    case 'too_big': {
      const maximum = Number(issue.maximum);
      if (issue.origin === 'string') {
        return make('too_long', `${label} must be ${issue.exact ? 'exactly' : 'at most'} ${plural(maximum, 'character')} long.`);
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        return make('too_many', `${label} must contain ${issue.exact ? 'exactly' : 'at most'} ${plural(maximum, 'item')}.`);
      }
      return make('too_long', `${label} is too large.`);
    }
    case 'invalid_format':
      if (issue.format === 'email') {
        return make('invalid_email', `${label} is not valid; send an address with a name, an @ and a domain.`);
      }
      return make('invalid_format', `${label} is not in the expected format${fieldFormat(path) ? `; send ${fieldFormat(path)}` : ''}.`);
    case 'unrecognized_keys':
      // Keys are names the caller chose, not personal data, but they are still left out.
      return make('unknown_field', `${label} has ${plural(issue.keys.length, 'field')} that the application does not define; remove them.`);
    default:
      return make('invalid', `${label} is invalid.`);
  }
}
