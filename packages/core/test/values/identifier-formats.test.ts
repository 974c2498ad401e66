import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IDENTIFIER_RULES } from '../../src/values/identifier-formats.js';
import { validateApplication } from '../../src/application/validate-application.js';
import type { ValidationIssue } from '../../src/errors.js';
import { applicationSchema } from '../../src/schemas/index.js';
import type { ProviderCapabilities } from '../../src/provider/kyc-provider.js';
import { applicationWith, capabilities, context, file, summary } from '../application/helpers.js';

/**
 * Identifier and document number formats, checked by the application schema
 * (so by `validateApplication`, `kyc.validate` and `kyc.submit`) before any
 * request. Issues name the path and the rule, never the value.
 */

interface IdentifierInput {
  readonly type: string;
  readonly value: string;
  readonly issuingCountry: string;
}

function withIdentifier(identifier: IdentifierInput) {
  return applicationWith((a) => {
    a.identifiers = [identifier];
  });
}

function issuesOf(input: unknown, caps: ProviderCapabilities = capabilities()): ValidationIssue[] {
  const result = validateApplication(input, caps, context());
  return result.success ? [] : result.issues;
}

/** The one issue of an application whose only problem is this identifier. */
function identifierIssue(identifier: IdentifierInput): ValidationIssue | undefined {
  const issues = issuesOf(withIdentifier(identifier));
  expect(issues.length, JSON.stringify(summary(issues))).toBeLessThanOrEqual(1);
  return issues[0];
}

function parsedIdentifierValue(identifier: IdentifierInput): string {
  const result = validateApplication(withIdentifier(identifier), capabilities(), context());
  if (!result.success) expect.fail(`expected no issues, got ${JSON.stringify(summary(result.issues))}`);
  return result.application.identifiers![0]!.value;
}

const ssn = (value: string, issuingCountry = 'US'): IdentifierInput => ({ type: 'ssn', value, issuingCountry });
const itin = (value: string, issuingCountry = 'US'): IdentifierInput => ({ type: 'itin', value, issuingCountry });

describe('ssn', () => {
  it.each(['123-45-6789', '123456789', '001-01-0001', '665-99-9999', '899-12-3456', ' 123-45-6789 '])('accepts %j', (value) => {
    expect(identifierIssue(ssn(value))).toBeUndefined();
  });

  it('sends what the providers document: 123-45-6789, dashes or not', () => {
    expect(parsedIdentifierValue(ssn('123456789'))).toBe('123-45-6789');
    expect(parsedIdentifierValue(ssn('123-45-6789'))).toBe('123-45-6789');
  });

  it.each([
    ['51A-44-778', 'ssn_format'], // the issue's example: a letter and 8 digits
    ['12345678', 'ssn_format'],
    ['1234567890', 'ssn_format'],
    ['123-456789', 'ssn_format'], // dashes: both or none
    ['123 45 6789', 'ssn_format'],
    ['123.45.6789', 'ssn_format'],
    ['１２３-45-6789', 'ssn_format'], // full-width digits
    ['000-12-3456', 'ssn_area'],
    ['666-12-3456', 'ssn_area'],
    ['900-12-3456', 'ssn_area'],
    ['999-99-9999', 'ssn_area'],
    ['123-00-4567', 'ssn_group'],
    ['123-45-0000', 'ssn_serial'],
  ])('refuses %j (%s) at identifiers.0.value, naming the rule, never the value', (value, rule) => {
    const issue = identifierIssue(ssn(value));
    expect(issue).toMatchObject({ path: ['identifiers', 0, 'value'], code: 'invalid_identifier', rule });
    expect(issue!.message).not.toContain(value);
    expect(issue!.message).not.toContain(value.replaceAll('-', ''));
  });

  it('is a US number: another issuing country is refused at issuingCountry', () => {
    expect(identifierIssue(ssn('123-45-6789', 'GB'))).toMatchObject({
      path: ['identifiers', 0, 'issuingCountry'],
      code: 'invalid_identifier',
      rule: 'issuing_country',
    });
  });
});

describe('itin', () => {
  it.each(['912-70-1234', '912701234', '900-50-0000', '999-65-1234', '912-88-1234', '912-90-1234', '912-92-1234', '912-94-1234', '912-99-1234'])(
    'accepts %j',
    (value) => {
      expect(identifierIssue(itin(value))).toBeUndefined();
    },
  );

  it('is written 9XX-XX-XXXX on the way out', () => {
    expect(parsedIdentifierValue(itin('912701234'))).toBe('912-70-1234');
  });

  it.each([
    ['91270123', 'itin_format'],
    ['9127O1234', 'itin_format'],
    ['123-45-6789', 'itin_area'], // an SSN
    ['812-70-1234', 'itin_area'],
    ['912-49-1234', 'itin_group'],
    ['912-66-1234', 'itin_group'],
    ['912-69-1234', 'itin_group'],
    ['912-89-1234', 'itin_group'],
    ['912-93-1234', 'itin_group'],
    ['912-00-1234', 'itin_group'],
  ])('refuses %j (%s)', (value, rule) => {
    const issue = identifierIssue(itin(value));
    expect(issue).toMatchObject({ path: ['identifiers', 0, 'value'], code: 'invalid_identifier', rule });
    expect(issue!.message).not.toContain(value);
  });

  it('is a US number', () => {
    expect(identifierIssue(itin('912-70-1234', 'MX'))).toMatchObject({ path: ['identifiers', 0, 'issuingCountry'], rule: 'issuing_country' });
  });
});

describe('tin', () => {
  it.each(['123-45-6789', '12-3456789', '123456789', '912-70-1234'])('US: accepts %j (SSN, EIN or ITIN style), as given', (value) => {
    expect(parsedIdentifierValue({ type: 'tin', value, issuingCountry: 'US' })).toBe(value);
  });

  it.each(['1234-56789', '12345678', 'AB-1234567', '123 45 6789'])('US: refuses %j', (value) => {
    expect(identifierIssue({ type: 'tin', value, issuingCountry: 'US' })).toMatchObject({
      path: ['identifiers', 0, 'value'],
      code: 'invalid_identifier',
      rule: 'tin_format',
    });
  });

  it.each([
    ['DE', '12 345 678 901'],
    ['GB', 'AB123456C'],
    ['BR', '123.456.789-09'],
    ['IT', 'RSSMRA85T10A562S'],
  ])('%s: accepts %j (the basic shape)', (issuingCountry, value) => {
    expect(identifierIssue({ type: 'tin', value, issuingCountry })).toBeUndefined();
  });
});

describe('national_id', () => {
  it.each(['AB123456', '12.345.678', '8001015009087', 'X1234567-L', '1234', 'A1B2C3D4E5F6G7H8I9J0'])('accepts %j', (value) => {
    expect(identifierIssue({ type: 'national_id', value, issuingCountry: 'ES' })).toBeUndefined();
  });

  it.each([
    'ABCDEFGH', // no digit
    '123', // too short
    'A1B2C3D4E5F6G7H8I9J0K', // 21 letters and digits
    '12--345',
    '-12345',
    '12345-',
    '12345!',
    'ID: 12345',
    '١٢٣٤٥٦٧', // Arabic-Indic digits
  ])('refuses %j', (value) => {
    expect(identifierIssue({ type: 'national_id', value, issuingCountry: 'ES' })).toMatchObject({
      path: ['identifiers', 0, 'value'],
      code: 'invalid_identifier',
      rule: 'national_id_format',
    });
  });
});

describe('document numbers', () => {
  const withNumber = (number: string) =>
    applicationWith((a) => {
      a.documents[0]!.number = number;
    });

  it.each(['P1234567', '533380006', 'D123-4567-8901', 'AB 12 34 56', 'X12/345.6'])('accepts %j', (number) => {
    expect(issuesOf(withNumber(number))).toEqual([]);
  });

  it.each(['PASSPORT', 'N/A', '12', 'P1234567!', 'P12  345', '<script>1</script>', 'P-', 'P\u00001234'])('refuses %j, naming the rule', (number) => {
    const issues = issuesOf(withNumber(number));
    expect(issues).toEqual([
      { path: ['documents', 0, 'number'], code: 'invalid_document_number', rule: 'document_number_format', message: expect.any(String) },
    ]);
    expect(issues[0]!.message).not.toContain(number);
  });
});

describe('properties', () => {
  const digit = fc.constantFrom(...'0123456789');
  const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
  const written = (area: string, group: string, serial: string) =>
    fc.constantFrom(`${area}-${group}-${serial}`, `${area}${group}${serial}`);

  const validSsn = fc
    .tuple(
      fc.integer({ min: 1, max: 899 }).filter((n) => n !== 666),
      fc.integer({ min: 1, max: 99 }),
      fc.integer({ min: 1, max: 9999 }),
    )
    .chain(([a, g, s]) => written(pad(a, 3), pad(g, 2), pad(s, 4)));

  const itinGroups = [...range(50, 65), ...range(70, 88), ...range(90, 92), ...range(94, 99)];
  const validItin = fc
    .tuple(digits(2), fc.constantFrom(...itinGroups), digits(4))
    .chain(([rest, g, s]) => written(`9${rest}`, pad(g, 2), s));

  /** Nine digits in an SSN-shaped string that break one of the SSA ranges. */
  const outOfRangeSsn = fc
    .oneof(
      fc.tuple(fc.constantFrom('000', '666'), digits(2), digits(4)),
      fc.tuple(digits(2).map((d) => `9${d}`), digits(2), digits(4)),
      fc.tuple(digits(3), fc.constant('00'), digits(4)),
      fc.tuple(digits(3), digits(2), fc.constant('0000')),
    )
    .chain(([a, g, s]) => written(a, g, s));

  /** Strings that are not 9 digits (with or without the two dashes): letters, wrong lengths, other separators. */
  const malformedShape = fc
    .oneof(
      fc.string({ minLength: 1, maxLength: 20 }),
      fc.stringMatching(/^\d{1,8}$/),
      fc.stringMatching(/^\d{10,15}$/),
      fc.stringMatching(/^\d{3}[ .\/_]\d{2}[ .\/_]\d{4}$/),
      fc.tuple(digits(9), fc.integer({ min: 0, max: 8 }), fc.constantFrom(...'ABCXYZoO!?')).map(([d, at, c]) => `${d.slice(0, at)}${c}${d.slice(at + 1)}`),
    )
    .filter((value) => !/^(?:\d{9}|\d{3}-\d{2}-\d{4})$/.test(value.trim()) && value.trim() !== '');

  it('every SSN outside the SSA ranges is accepted and written 123-45-6789', () => {
    fc.assert(
      fc.property(validSsn, (value) => {
        expect(parsedIdentifierValue(ssn(value))).toMatch(/^\d{3}-\d{2}-\d{4}$/);
        expect(parsedIdentifierValue(ssn(value)).replaceAll('-', '')).toBe(value.replaceAll('-', ''));
      }),
    );
  });

  it('every ITIN in the IRS ranges is accepted', () => {
    fc.assert(
      fc.property(validItin, (value) => {
        expect(parsedIdentifierValue(itin(value))).toMatch(/^9\d{2}-\d{2}-\d{4}$/);
      }),
    );
  });

  it('a malformed or out-of-range SSN or ITIN is refused with a rule and a message that do not depend on the value', () => {
    const messages = new Map<string, string>();
    fc.assert(
      fc.property(fc.oneof(malformedShape, outOfRangeSsn), fc.constantFrom('ssn', 'itin'), (value, type) => {
        const identifier = { type, value, issuingCountry: 'US' };
        if (type === 'itin' && isValidItin(value)) return; // an out-of-range SSN can be a fine ITIN
        const issues = issuesOf(withIdentifier(identifier));
        expect(issues).toHaveLength(1);
        const [issue] = issues;
        expect(issue).toMatchObject({ path: ['identifiers', 0, 'value'], code: 'invalid_identifier' });
        expect(IDENTIFIER_RULES).toContain(issue!.rule);
        // One message per rule, whatever the value: it cannot contain the value.
        const seen = messages.get(issue!.rule!);
        if (seen === undefined) messages.set(issue!.rule!, issue!.message);
        else expect(issue!.message).toBe(seen);
      }),
      { numRuns: 300 },
    );
  });

  it('random strings as national ids are accepted or refused by the basic shape, never crash, never echo', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (value) => {
        const trimmed = value.trim();
        if (trimmed === '') return;
        const result = applicationSchema.safeParse(withIdentifier({ type: 'national_id', value, issuingCountry: 'FR' }));
        const letters = trimmed.replace(/[ ./-]/g, '');
        const expected =
          /^[A-Za-z0-9]+(?:[ ./-][A-Za-z0-9]+)*$/.test(trimmed) && /\d/.test(trimmed) && letters.length >= 4 && letters.length <= 20;
        expect(result.success).toBe(expected);
      }),
    );
  });
});

describe('proof of address kinds', () => {
  const proofOfAddress = (kind?: string) => ({
    type: 'proof_of_address',
    ...(kind === undefined ? {} : { proofOfAddressKind: kind }),
    front: file('application/pdf', 2048),
  });
  const withProof = (kind?: string) =>
    applicationWith((a) => {
      a.documents.push(proofOfAddress(kind));
    });

  it('accepts every kind from a provider that does not tell kinds apart (no proofOfAddressKinds)', () => {
    for (const kind of [undefined, 'utility_bill', 'bank_statement', 'lease_agreement']) expect(issuesOf(withProof(kind))).toEqual([]);
  });

  it('refuses a kind the provider does not accept, naming the accepted ones; no kind is always fine', () => {
    const caps = capabilities({ proofOfAddressKinds: ['utility_bill', 'lease_agreement'] });
    expect(issuesOf(withProof('utility_bill'), caps)).toEqual([]);
    expect(issuesOf(withProof(undefined), caps)).toEqual([]);
    const [issue] = issuesOf(withProof('bank_statement'), caps);
    expect(issue).toMatchObject({ path: ['documents', 1, 'proofOfAddressKind'], code: 'unsupported_proof_of_address_kind' });
    expect(issue!.message).toContain('send a utility_bill or lease_agreement');
  });

  it('a provider that takes proofs of address only without a kind says to leave the kind out', () => {
    const [issue] = issuesOf(withProof('utility_bill'), capabilities({ proofOfAddressKinds: [] }));
    expect(issue).toMatchObject({ code: 'unsupported_proof_of_address_kind' });
    expect(issue!.message).toMatch(/leave proofOfAddressKind out/);
  });

  it('refuses an unknown kind with the list, and a kind on another document', () => {
    expect(summary(issuesOf(withProof('council_tax_bill')))).toEqual(['documents.1.proofOfAddressKind:invalid_value']);
    const onPassport = applicationWith((a) => {
      a.documents[0]!.proofOfAddressKind = 'utility_bill';
    });
    expect(summary(issuesOf(onPassport))).toEqual(['documents.0.proofOfAddressKind:not_applicable']);
  });
});

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function range(low: number, high: number): number[] {
  return Array.from({ length: high - low + 1 }, (_, index) => low + index);
}

function isValidItin(value: string): boolean {
  if (!/^(?:\d{9}|\d{3}-\d{2}-\d{4})$/.test(value)) return false;
  const digits = value.replaceAll('-', '');
  const group = Number(digits.slice(3, 5));
  return digits.startsWith('9') && ((group >= 50 && group <= 65) || (group >= 70 && group <= 88) || (group >= 90 && group <= 92) || group >= 94);
}
