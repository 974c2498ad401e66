import { createKyc } from '@openkyc/core';
import { describe, expect, it } from 'vitest';
import { clientsCommand } from '../src/index.js';
import { validateApplicationForClientsCommand } from '../src/map-application.js';
import { driversLicense, fullApplication, passport } from './support/fixtures.js';
import { sampleDocument } from './support/simulator.js';

const kyc = createKyc({
  providers: [clientsCommand({ baseUrl: 'http://127.0.0.1:9', username: 'u', password: 'p', tenantId: 't' })],
});
const issuesOf = (application: unknown) => kyc.validate(application).issues.map((issue) => [issue.path.join('.'), issue.code]);

describe('validate (before any request)', () => {
  it('accepts a complete application, and one without contactVerified (verify asks for it)', () => {
    expect(kyc.validate(fullApplication())).toEqual({ valid: true, issues: [] });
    const { contactVerified: _omitted, ...withoutAttestation } = fullApplication();
    expect(kyc.validate(withoutAttestation).valid).toBe(true);
  });

  it('accepts an application without documents (an SSN proves identity for FULL)', () => {
    expect(kyc.validate(fullApplication({ documents: [] })).valid).toBe(true);
  });

  it('refuses documents that have no home here: proof of address, selfie, state ID', () => {
    const application = fullApplication({
      documents: [
        passport(),
        { type: 'proof_of_address', front: sampleDocument('proof_of_address', 'application/pdf') },
        { type: 'selfie', front: sampleDocument('selfie', 'image/jpeg') },
      ],
    });
    expect(issuesOf(application)).toEqual([
      ['documents.1.type', 'unsupported_document'],
      ['documents.2.type', 'unsupported_document'],
    ]);
  });

  it('refuses a generic tin: send it as ssn or itin', () => {
    expect(issuesOf(fullApplication({ identifiers: [{ type: 'tin', value: '12-3456789', issuingCountry: 'US' }] }))).toEqual([
      ['identifiers.0.type', 'unsupported_identifier'],
    ]);
  });

  it('refuses two identifiers of one type (the provider keeps one per type)', () => {
    const identifiers = [
      { type: 'ssn', value: '200-70-1111', issuingCountry: 'US' },
      { type: 'ssn', value: '200-70-2222', issuingCountry: 'US' },
    ] as const;
    expect(issuesOf(fullApplication({ identifiers: [...identifiers] }))).toEqual([['identifiers.1.type', 'duplicate_identifier']]);
  });

  it('needs the number of an identity document (it is the identifier key), unless an identifier of its type carries it', () => {
    const withoutNumber = { ...driversLicense(), number: undefined };
    expect(issuesOf(fullApplication({ documents: [withoutNumber] }))).toEqual([['documents.0.number', 'required']]);
    const nationalCard = { ...passport(), type: 'national_id' as const, number: undefined };
    expect(
      kyc.validate(fullApplication({ identifiers: [{ type: 'national_id', value: 'N1234', issuingCountry: 'US' }], documents: [nationalCard] })).valid,
    ).toBe(true);
  });

  it("refuses what exceeds the provider's column sizes", () => {
    const application = fullApplication();
    const long = fullApplication({
      person: { ...application.person, firstName: 'A'.repeat(51) },
      address: { ...application.address, line1: 'B'.repeat(101) },
    });
    expect(issuesOf(long)).toEqual([
      ['person.firstName', 'too_long'],
      ['address.line1', 'too_long'],
    ]);
    // documentKey's 50 characters: core's identifier formats keep values shorter; the adapter's own check
    // still holds for what reaches it.
    const longIdentifier = { ...application, identifiers: [{ type: 'national_id' as const, value: '9'.repeat(51), issuingCountry: 'US' as const }] };
    expect(validateApplicationForClientsCommand(longIdentifier).map((issue) => [issue.path.join('.'), issue.code])).toEqual([
      ['identifiers.0.value', 'too_long'],
    ]);
  });

  it('refuses malformed identifiers before any request, with the path and the rule', () => {
    const malformed = fullApplication({ identifiers: [{ type: 'ssn', value: '51A-44-778', issuingCountry: 'US' }] });
    expect(kyc.validate(malformed).issues).toEqual([
      expect.objectContaining({ path: ['identifiers', 0, 'value'], code: 'invalid_identifier', rule: 'ssn_format' }),
    ]);
  });
});
