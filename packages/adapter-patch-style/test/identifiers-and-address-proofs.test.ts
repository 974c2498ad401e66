import { ValidationError, type Application, type Customer, type ProofOfAddressKind } from '@openkyc/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { application, passport, proofOfAddress } from './support/application.js';
import { startHarness, type Harness } from './support/harness.js';

/**
 * Identifier formats and proof-of-address kinds, over HTTP against the
 * simulator: what is malformed never reaches it (through `kyc.submit` or the
 * adapter used on its own), and what is sent is what the contract documents.
 */

let h: Harness;
let counter = 0;

beforeAll(async () => {
  h = await startHarness({ webhooks: false });
});

afterAll(async () => {
  await h.close();
});

function newCustomer(): Promise<Customer> {
  counter += 1;
  return h.kyc.createCustomer({ reference: `ids-${counter}`, type: 'individual', email: 'test-success@example.com', firstName: 'Jane', lastName: 'Smith' });
}

function withIdentifier(type: 'ssn' | 'itin' | 'tin' | 'national_id', value: string, issuingCountry = 'US'): Application {
  return application({ identifiers: [{ type, value, issuingCountry: issuingCountry as 'US' }] });
}

/** What the provider stored for a customer (the simulator records every accepted PATCH, merged). */
function storedKycData(customer: Customer): Record<string, unknown> {
  return h.sim.customer(customer.providerCustomerId)!.kycData;
}

/** Everything that left openkyc: requests to the provider and documents handed to the platform's storage. */
function sent(): number {
  return h.sim.requests().length + h.host.documents().length;
}

describe('identifiers are checked before any request', () => {
  it("the issue's example: an SSN 51A-44-778 is refused with its path and rule, through kyc.submit and the adapter itself", async () => {
    const customer = await newCustomer();
    const before = sent();
    const malformed = withIdentifier('ssn', '51A-44-778');

    const viaKyc = await h.kyc.submit(customer.id, malformed).catch((error: unknown) => error);
    const direct = await h.provider
      .submit(
        { customerId: customer.id, providerCustomerId: customer.providerCustomerId, providerReference: customer.reference, application: malformed, type: 'individual', submission: 1 },
        h.context(),
      )
      .catch((error: unknown) => error);

    for (const error of [viaKyc, direct]) {
      expect(ValidationError.isInstance(error)).toBe(true);
      expect((error as ValidationError).issues).toEqual([
        { path: ['identifiers', 0, 'value'], code: 'invalid_identifier', rule: 'ssn_format', message: expect.stringMatching(/9 digits/) },
      ]);
      expect((error as ValidationError).message).not.toContain('51A-44-778');
    }
    expect(sent()).toBe(before);
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('created');
  });

  it('property: malformed identifiers never reach the simulator, through kyc.submit or the adapter itself', async () => {
    const customer = await newCustomer();
    await fc.assert(
      fc.asyncProperty(malformedIdentifier(), async ({ type, value, issuingCountry }) => {
        const before = sent();
        const malformed = withIdentifier(type, value, issuingCountry);
        await expect(h.kyc.submit(customer.id, malformed)).rejects.toSatisfy(ValidationError.isInstance);
        await expect(
          h.provider.submit(
            { customerId: customer.id, providerCustomerId: customer.providerCustomerId, providerReference: customer.reference, application: malformed, type: 'individual', submission: 1 },
            h.context(),
          ),
        ).rejects.toSatisfy(ValidationError.isInstance);
        expect(sent()).toBe(before);
      }),
      { numRuns: 100 },
    );
    expect(h.sim.customer(customer.providerCustomerId)!.patches).toBe(0);
  });

  it('property: valid SSNs and ITINs, with or without dashes, pass validation', () => {
    fc.assert(
      fc.property(validUsNumber(), ({ type, value }) => {
        expect(h.kyc.validate(withIdentifier(type, value))).toEqual({ valid: true, issues: [] });
      }),
    );
  });

  it('an SSN given without dashes reaches the provider as the guide writes it (123-45-6789); an ITIN goes as a TIN', async () => {
    const ssnCustomer = await newCustomer();
    await h.kyc.submit(ssnCustomer.id, withIdentifier('ssn', '123456789'));
    expect(storedKycData(ssnCustomer)).toMatchObject({ nationalIdType: 'SSN', nationalIdNumber: '123-45-6789', nationalIdIssuingCountry: 'US' });

    const itinCustomer = await newCustomer();
    await h.kyc.submit(itinCustomer.id, withIdentifier('itin', '912701234'));
    expect(storedKycData(itinCustomer)).toMatchObject({ nationalIdType: 'TIN', nationalIdNumber: '912-70-1234' });

    const nationalIdCustomer = await newCustomer();
    await h.kyc.submit(nationalIdCustomer.id, withIdentifier('national_id', 'X1234567-L', 'ES'));
    expect(storedKycData(nationalIdCustomer)).toMatchObject({ nationalIdType: 'NATIONAL_ID', nationalIdNumber: 'X1234567-L', nationalIdIssuingCountry: 'ES' });
  });

  it('a malformed document number is refused before any request', async () => {
    const customer = await newCustomer();
    const before = sent();
    const error = await h.kyc
      .submit(customer.id, application({ documents: [{ ...passport(), number: 'P1234567!' }, proofOfAddress()] }))
      .catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).issues).toEqual([
      expect.objectContaining({ path: ['documents', 0, 'number'], code: 'invalid_document_number', rule: 'document_number_format' }),
    ]);
    expect(sent()).toBe(before);
  });
});

describe('proof of address kinds', () => {
  it.each([
    ['utility_bill', 'UTILITY_BILL'],
    ['bank_statement', 'BANK_STATEMENT'],
    ['lease_agreement', 'LEASE_AGREEMENT'],
    [undefined, 'UTILITY_BILL'], // no kind: what the adapter always sent
  ] as const)('%s is sent as %s', async (kind, providerType) => {
    const customer = await newCustomer();
    const proof = { ...proofOfAddress(), ...(kind === undefined ? {} : { proofOfAddressKind: kind as ProofOfAddressKind }) };
    const submitted = await h.kyc.submit(customer.id, application({ documents: [passport(), proof] }));
    expect(submitted.status).toBe('pending');
    const documents = storedKycData(customer).documents as { type: string }[];
    expect(documents.map((document) => document.type)).toEqual(['PASSPORT', providerType]);
  });

  it('declares every kind the contract documents', () => {
    expect(h.provider.capabilities.proofOfAddressKinds).toEqual(['utility_bill', 'bank_statement', 'lease_agreement']);
  });

  it('refuses a kind on another document before any request', async () => {
    const customer = await newCustomer();
    const before = sent();
    const error = await h.kyc
      .submit(customer.id, application({ documents: [{ ...passport(), proofOfAddressKind: 'bank_statement' }, proofOfAddress()] }))
      .catch((e: unknown) => e);
    expect((error as ValidationError).issues).toEqual([expect.objectContaining({ path: ['documents', 0, 'proofOfAddressKind'], code: 'not_applicable' })]);
    expect(sent()).toBe(before);
  });
});

// ---------------------------------------------------------------------------
// generators, by construction (not by the rules under test)

interface GeneratedIdentifier {
  readonly type: 'ssn' | 'itin' | 'tin' | 'national_id';
  readonly value: string;
  readonly issuingCountry: string;
}

const digit = fc.constantFrom(...'0123456789');
const digits = (length: number) => fc.array(digit, { minLength: length, maxLength: length }).map((d) => d.join(''));
const dashed = (nine: string) => fc.constantFrom(nine, `${nine.slice(0, 3)}-${nine.slice(3, 5)}-${nine.slice(5)}`);

/** Identifiers that break their type's format: letters, wrong lengths, other separators, ranges never issued. */
function malformedIdentifier(): fc.Arbitrary<GeneratedIdentifier> {
  const us = (type: 'ssn' | 'itin' | 'tin') => (value: string) => ({ type, value, issuingCountry: 'US' });
  const withLetter = fc
    .tuple(digits(9), fc.integer({ min: 0, max: 8 }), fc.constantFrom(...'ABOoIlxZ'))
    .map(([nine, at, letter]) => `${nine.slice(0, at)}${letter}${nine.slice(at + 1)}`);
  const wrongLength = fc.oneof(fc.stringMatching(/^\d{1,8}$/), fc.stringMatching(/^\d{10,14}$/), fc.stringMatching(/^\d{3}-\d{2}-\d{3}$/));
  const otherSeparators = fc.stringMatching(/^\d{3}[ ./_]\d{2}[ ./_]\d{4}$/);
  const ssnNeverIssued = fc
    .oneof(
      fc.tuple(fc.constantFrom('000', '666'), digits(6)).map(([area, rest]) => area + rest),
      digits(8).map((rest) => `9${rest}`),
      fc.tuple(digits(3), digits(4)).map(([area, serial]) => `${area}00${serial}`),
      digits(5).map((head) => `${head}0000`),
    )
    .chain(dashed);
  const itinNeverIssued = fc
    .oneof(
      fc.tuple(fc.constantFrom(...'012345678'), digits(8)).map(([first, rest]) => first + rest),
      fc
        .tuple(digits(2), fc.constantFrom(...[...range(0, 49), ...range(66, 69), 89, 93]), digits(4))
        .map(([area, group, serial]) => `9${area}${String(group).padStart(2, '0')}${serial}`),
    )
    .chain(dashed);
  const symbol = fc.constantFrom(...'!@#$%^&*()_+=<>?,;:\'"~`|\\[]{}');
  const nationalIdWithSymbol = fc
    .tuple(fc.stringMatching(/^[A-Z0-9]{2,8}$/), symbol, fc.stringMatching(/^[0-9]{2,8}$/))
    .map(([head, sym, tail]) => `${head}${sym}${tail}`);
  const nationalIdTooShort = fc.stringMatching(/^[A-Z0-9]{0,2}[0-9]$/);
  const nationalIdWithoutDigits = fc.stringMatching(/^[A-Za-z]{4,20}$/);

  return fc.oneof(
    fc.oneof(withLetter, wrongLength, otherSeparators, ssnNeverIssued).map(us('ssn')),
    fc.oneof(withLetter, wrongLength, otherSeparators, itinNeverIssued).map(us('itin')),
    fc.oneof(withLetter, wrongLength, otherSeparators).map(us('tin')),
    fc
      .tuple(fc.oneof(nationalIdWithSymbol, nationalIdTooShort, nationalIdWithoutDigits), fc.constantFrom('US', 'DE', 'ES', 'FR'))
      .map(([value, issuingCountry]) => ({ type: 'national_id' as const, value, issuingCountry })),
    // An SSN or ITIN is a US number.
    fc.tuple(fc.constantFrom('ssn' as const, 'itin' as const), fc.constantFrom('GB', 'MX', 'CA')).map(([type, issuingCountry]) => ({
      type,
      value: type === 'ssn' ? '123-45-6789' : '912-70-1234',
      issuingCountry,
    })),
  );
}

/** SSNs outside the ranges the SSA never issues, and ITINs in the IRS group ranges, with or without dashes. */
function validUsNumber(): fc.Arbitrary<{ type: 'ssn' | 'itin'; value: string }> {
  const ssn = fc
    .tuple(fc.integer({ min: 1, max: 899 }).filter((area) => area !== 666), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 9999 }))
    .map(([area, group, serial]) => `${pad(area, 3)}${pad(group, 2)}${pad(serial, 4)}`)
    .chain(dashed)
    .map((value) => ({ type: 'ssn' as const, value }));
  const itin = fc
    .tuple(digits(2), fc.constantFrom(...[...range(50, 65), ...range(70, 88), ...range(90, 92), ...range(94, 99)]), digits(4))
    .map(([area, group, serial]) => `9${area}${pad(group, 2)}${serial}`)
    .chain(dashed)
    .map((value) => ({ type: 'itin' as const, value }));
  return fc.oneof(ssn, itin);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function range(low: number, high: number): number[] {
  return Array.from({ length: high - low + 1 }, (_, index) => low + index);
}
