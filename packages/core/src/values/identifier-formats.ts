/** The identifier types an application may carry. */
export const IDENTIFIER_TYPES = ['ssn', 'itin', 'tin', 'national_id'] as const;
/** One of {@link IDENTIFIER_TYPES}. */
export type IdentifierType = (typeof IDENTIFIER_TYPES)[number];

/**
 * The written forms of national identification numbers and document numbers,
 * checked by the application schema before any request.
 *
 * Data-driven and deliberately small: one format per identifier type, with a
 * per-country format where the providers' docs name the country (seed 004 and
 * `providers/patch-style.md` name the US: `nationalIdType: 'SSN'`,
 * `nationalIdNumber: '123-45-6789'`, `nationalIdIssuingCountry: 'US'`). A new
 * country is one row in `COUNTRY_FORMATS`. Everything else gets the basic shape
 * (`GENERIC_SHAPE`).
 *
 * - SSN: 9 digits, `NNN-NN-NNNN` with or without the dashes; never area 000, 666 or
 *   900–999, group 00 or serial 0000 (the SSA never issues those). US only.
 * - ITIN: the same written form; starts with 9, and its 4th–5th digits are in
 *   the IRS ranges 50–65, 70–88, 90–92 or 94–99. US only.
 * - US TIN (an SSN, an ITIN or an EIN): 9 digits, `NNN-NN-NNNN`, `NN-NNNNNNN`
 *   or without dashes.
 * - Any other TIN and every national id: 4 to 20 letters and digits, at least
 *   one digit, optionally grouped by single spaces, dashes, dots or slashes.
 *
 * Messages say what the rule is and never contain the value (nor an example
 * number a real value could match).
 */

/** Which rule of an identifier's format failed. Stable: callers may branch on it. */
export const IDENTIFIER_RULES = [
  'ssn_format',
  'ssn_area',
  'ssn_group',
  'ssn_serial',
  'itin_format',
  'itin_area',
  'itin_group',
  'tin_format',
  'national_id_format',
  'issuing_country',
] as const;
/** One of {@link IDENTIFIER_RULES}. */
export type IdentifierRule = (typeof IDENTIFIER_RULES)[number];

/** The rule a document number must follow. */
export const DOCUMENT_NUMBER_RULE = 'document_number_format';

/** What is wrong with an identifier: the field (`value` or `issuingCountry`), the rule, and a message without the value. */
export interface IdentifierProblem {
  readonly field: 'value' | 'issuingCountry';
  readonly rule: IdentifierRule;
  readonly message: string;
}

/** The parts of an identifier the format depends on (unknowns tolerated: the schema reports wrong types). */
export interface IdentifierLike {
  readonly type: unknown;
  readonly value: unknown;
  readonly issuingCountry: unknown;
}

/**
 * The first format rule the identifier breaks, or `undefined` when its value is
 * well formed (or its type, value or country is not even of the right kind,
 * which the schema reports itself).
 */
export function identifierProblem(identifier: IdentifierLike): IdentifierProblem | undefined {
  const format = formatFor(identifier);
  if (format === undefined || typeof identifier.value !== 'string') return undefined;
  if (format.issuedBy !== undefined && identifier.issuingCountry !== format.issuedBy) {
    return {
      field: 'issuingCountry',
      rule: 'issuing_country',
      message: `${format.name} is a number issued in ${format.issuedBy} only; set issuingCountry to ${format.issuedBy}, or send the number as another identifier type.`,
    };
  }
  for (const rule of format.rules) {
    if (!rule.test(identifier.value)) return { field: 'value', rule: rule.rule, message: rule.message };
  }
  return undefined;
}

/**
 * The value as it is sent on: SSNs and ITINs in their usual written form
 * `123-45-6789` (what the providers document), every other value as given.
 * Call only for identifiers without a problem.
 */
export function normalizeIdentifierValue(identifier: IdentifierLike & { readonly value: string }): string {
  if (identifier.type !== 'ssn' && identifier.type !== 'itin') return identifier.value;
  const digits = identifier.value.replaceAll('-', '');
  return `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
}

/** A document number: 3 or more letters and digits, at least one digit, optionally grouped by single spaces, dashes, dots or slashes. */
export function isDocumentNumber(value: unknown): value is string {
  return typeof value === 'string' && hasGenericShape(value, 3, Number.POSITIVE_INFINITY);
}

/** What `isDocumentNumber` requires, for the issue message. */
export const DOCUMENT_NUMBER_MESSAGE =
  'The document number must be the number printed on the document: letters and digits (at least 3, at least one digit), optionally grouped by single spaces, dashes, dots or slashes.';

// ---------------------------------------------------------------------------
// the formats

interface FormatRule {
  readonly rule: IdentifierRule;
  readonly test: (value: string) => boolean;
  readonly message: string;
}

interface IdentifierFormat {
  /** `An SSN`, for messages. */
  readonly name: string;
  /** The only country that issues it, when there is one. */
  readonly issuedBy?: string;
  /** Checked in order; the first that fails is reported. */
  readonly rules: readonly FormatRule[];
}

/** `123-45-6789` or `123456789`. */
const NINE_DIGITS_SSN_STYLE = /^(?:\d{9}|\d{3}-\d{2}-\d{4})$/;
/** An SSN or ITIN as above, or an EIN's `12-3456789`. */
const NINE_DIGITS_TIN_STYLE = /^(?:\d{9}|\d{3}-\d{2}-\d{4}|\d{2}-\d{7})$/;

/** The 9 digits of an SSN-style value: area (3), group (2), serial (4). */
const area = (value: string): string => value.replaceAll('-', '').slice(0, 3);
const group = (value: string): string => value.replaceAll('-', '').slice(3, 5);
const serial = (value: string): string => value.replaceAll('-', '').slice(5);

/** IRS ITIN group ranges (the 4th and 5th digits). */
const ITIN_GROUPS: readonly (readonly [number, number])[] = [
  [50, 65],
  [70, 88],
  [90, 92],
  [94, 99],
];

const SSN: IdentifierFormat = {
  name: 'An SSN',
  issuedBy: 'US',
  rules: [
    {
      rule: 'ssn_format',
      test: (value) => NINE_DIGITS_SSN_STYLE.test(value),
      message: 'An SSN is 9 digits, written NNN-NN-NNNN or without the dashes.',
    },
    {
      rule: 'ssn_area',
      test: (value) => !['000', '666'].includes(area(value)) && !area(value).startsWith('9'),
      message:
        'An SSN never starts with 000, 666 or 900–999 (numbers starting with 9 are ITINs: send those as type itin); check the number.',
    },
    { rule: 'ssn_group', test: (value) => group(value) !== '00', message: 'An SSN never has 00 as its 4th and 5th digits; check the number.' },
    { rule: 'ssn_serial', test: (value) => serial(value) !== '0000', message: 'An SSN never ends with 0000; check the number.' },
  ],
};

const ITIN: IdentifierFormat = {
  name: 'An ITIN',
  issuedBy: 'US',
  rules: [
    {
      rule: 'itin_format',
      test: (value) => NINE_DIGITS_SSN_STYLE.test(value),
      message: 'An ITIN is 9 digits, written 9NN-NN-NNNN or without the dashes.',
    },
    {
      rule: 'itin_area',
      test: (value) => value.startsWith('9'),
      message: 'An ITIN always starts with 9 (a number that does not is an SSN: send it as type ssn); check the number.',
    },
    {
      rule: 'itin_group',
      test: (value) => {
        const digits = Number(group(value));
        return ITIN_GROUPS.some(([low, high]) => digits >= low && digits <= high);
      },
      message: "An ITIN's 4th and 5th digits are 50–65, 70–88, 90–92 or 94–99; check the number.",
    },
  ],
};

const US_TIN: IdentifierFormat = {
  name: 'A US TIN',
  rules: [
    {
      rule: 'tin_format',
      test: (value) => NINE_DIGITS_TIN_STYLE.test(value),
      message: 'A US TIN (an SSN, ITIN or EIN) is 9 digits, written NNN-NN-NNNN, NN-NNNNNNN or without dashes.',
    },
  ],
};

/** The basic shape of a number no provider's docs describe further. */
const genericFormat = (rule: 'tin_format' | 'national_id_format', name: string): IdentifierFormat => ({
  name,
  rules: [
    {
      rule,
      test: (value) => hasGenericShape(value, 4, 20),
      message: `${name} is 4 to 20 letters and digits (at least one digit), optionally grouped by single spaces, dashes, dots or slashes.`,
    },
  ],
});

const FORMATS: Readonly<Record<IdentifierType, IdentifierFormat>> = {
  ssn: SSN,
  itin: ITIN,
  tin: genericFormat('tin_format', 'A tax identification number'),
  national_id: genericFormat('national_id_format', 'A national id number'),
};

/** Formats of one type in one issuing country, where the providers' docs name the country. */
const COUNTRY_FORMATS: Readonly<Partial<Record<`${IdentifierType}:${string}`, IdentifierFormat>>> = {
  'tin:US': US_TIN,
};

function formatFor(identifier: IdentifierLike): IdentifierFormat | undefined {
  const { type, issuingCountry } = identifier;
  if (typeof type !== 'string' || !Object.hasOwn(FORMATS, type)) return undefined;
  const key = `${type}:${String(issuingCountry)}` as `${IdentifierType}:${string}`;
  return (Object.hasOwn(COUNTRY_FORMATS, key) ? COUNTRY_FORMATS[key] : undefined) ?? FORMATS[type as IdentifierType];
}

/** Letters and digits grouped by single separators: `AB 123-45/6.7`. */
const GROUPED_ALPHANUMERIC = /^[A-Za-z0-9]+(?:[ ./-][A-Za-z0-9]+)*$/;

function hasGenericShape(value: string, minimum: number, maximum: number): boolean {
  if (!GROUPED_ALPHANUMERIC.test(value) || !/\d/.test(value)) return false;
  const characters = value.replace(/[ ./-]/g, '').length;
  return characters >= minimum && characters <= maximum;
}
