import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { driversLicense, fullApplication, newCustomer, passport, startHarness, type Harness } from './support/fixtures.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

describe('submit through createKyc: a complete application', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('verifies synchronously: created → pending → verified, FULL recorded as the verification level', async () => {
    const customer = await newCustomer(h);
    expect(customer.status).toBe('created');
    const after = await h.kyc.submit(customer.id, fullApplication());

    expect(after.status).toBe('verified');
    expect(after.verificationLevel).toBe('FULL');
    expect(after.rawStatus).toBe('Pending/Verified');
    expect(h.events.map((event) => event.type)).toEqual(['customer.created', 'customer.submitted', 'customer.verified']);
    const verified = h.events.at(-1);
    expect(verified).toMatchObject({ type: 'customer.verified', verificationLevel: 'FULL', source: 'api' });

    const client = h.sim.getClient(Number(after.providerCustomerId))!;
    expect(client.status).toBe('Pending');
    expect(client.subStatus).toBe('Verified');
    expect(client.kycVerificationType).toBe('FULL');
    expect(client.externalId).toBe(customer.reference);
    expect(client.attestation).toMatchObject({ emailVerified: true, mobileNoVerified: true });
    expect(client.addresses).toHaveLength(1);
    expect(client.addresses[0]).toMatchObject({ addressType: 'PRIMARY', isActive: true, countryCode: 'US', stateProvince: 'CA' });
    expect(client.identifiers.map((identifier) => identifier.documentType.name).sort()).toEqual(['Passport', 'SSN']);
    const passportIdentifier = client.identifiers.find((identifier) => identifier.documentType.name === 'Passport')!;
    expect(passportIdentifier.documents).toHaveLength(1);
    expect(passportIdentifier.documents[0]).toMatchObject({ contentType: 'image/jpeg', filename: 'passport.jpg' });
  });

  it('sends the date of birth as dd MMMM yyyy with dateFormat and locale', async () => {
    const customer = await newCustomer(h);
    await h.kyc.submit(customer.id, fullApplication());
    const put = h.sim.requests().find((request) => request.method === 'PUT')!;
    expect(put.json).toMatchObject({ dateOfBirth: '29 November 1979', dateFormat: 'dd MMMM yyyy', locale: 'en' });
    const create = h.sim.requests().find((request) => request.method === 'POST' && request.path === '/v1/clients')!;
    expect(create.json).toMatchObject({ active: false, officeId: 1, legalFormId: 1, dateFormat: 'dd MMMM yyyy', locale: 'en' });
    expect((create.json as { submittedOnDate: string }).submittedOnDate).toMatch(/^\d{2} [A-Z][a-z]+ \d{4}$/);
  });

  it('uploads both sides of a two-sided document to its identifier, as multipart with name, description and file', async () => {
    const customer = await newCustomer(h);
    const after = await h.kyc.submit(customer.id, fullApplication({ identifiers: [], documents: [driversLicense()] }));
    expect(after.status).toBe('verified');
    const client = h.sim.getClient(Number(after.providerCustomerId))!;
    const license = client.identifiers.find((identifier) => identifier.documentType.name === 'Drivers License')!;
    expect(license.documents.map((document) => [document.name, document.contentType])).toEqual([
      ['drivers license front', 'image/jpeg'],
      ['drivers license back', 'image/png'],
    ]);
    const upload = h.sim.requests().find((request) => request.path.endsWith('/documents') && request.method === 'POST')!;
    expect(upload.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
  });

  it('authenticates every call with Basic auth and the tenant header', async () => {
    const customer = await newCustomer(h);
    await h.kyc.submit(customer.id, fullApplication());
    const expected = h.sim.authHeaders();
    for (const request of h.sim.requests()) {
      expect(request.headers.authorization).toBe(expected.authorization);
      expect(request.headers['fineract-platform-tenantid']).toBe(h.sim.credentials.tenantId);
    }
  });

  it('merges a national_id identifier and a national ID card into one identifier, with the card uploaded to it', async () => {
    const customer = await newCustomer(h);
    const card = { ...passport(), type: 'national_id' as const, number: undefined };
    const after = await h.kyc.submit(
      customer.id,
      fullApplication({ identifiers: [{ type: 'national_id', value: 'NID-1234', issuingCountry: 'US' }], documents: [card] }),
    );
    expect(after.status).toBe('verified');
    const client = h.sim.getClient(Number(after.providerCustomerId))!;
    expect(client.identifiers).toHaveLength(1);
    expect(client.identifiers[0]!.documentType.name).toBe('National ID');
    expect(client.identifiers[0]!.documents).toHaveLength(1);
  });
});

describe('PARTIAL vs FULL', () => {
  it('records PARTIAL as the verification level when configured', async () => {
    h = await startHarness({ adapter: { verificationType: 'PARTIAL' } });
    const customer = await newCustomer(h);
    const after = await h.kyc.submit(customer.id, fullApplication({ documents: [] }));
    expect(after.status).toBe('verified');
    expect(after.verificationLevel).toBe('PARTIAL');
    expect(h.events.at(-1)).toMatchObject({ type: 'customer.verified', verificationLevel: 'PARTIAL' });
    expect(h.sim.getClient(Number(after.providerCustomerId))!.kycVerificationType).toBe('PARTIAL');
    const verify = h.sim.requests().find((request) => request.query.command === 'verify')!;
    expect(verify.json).toEqual({ kycVerificationType: 'PARTIAL' });
  });

  it('PARTIAL needs no identity document: a national_id identifier alone verifies', async () => {
    h = await startHarness({ adapter: { verificationType: 'PARTIAL' } });
    const customer = await newCustomer(h);
    const after = await h.kyc.submit(
      customer.id,
      fullApplication({ identifiers: [{ type: 'national_id', value: 'NID-1234', issuingCountry: 'US' }], documents: [] }),
    );
    expect(after.status).toBe('verified');
  });

  it('FULL with a national_id identifier but no document → needs_info identity_document', async () => {
    h = await startHarness();
    const customer = await newCustomer(h);
    const after = await h.kyc.submit(
      customer.id,
      fullApplication({ identifiers: [{ type: 'national_id', value: 'NID-1234', issuingCountry: 'US' }], documents: [] }),
    );
    expect(after.status).toBe('needs_info');
    expect(after.requirements).toEqual([
      expect.objectContaining({ kind: 'document', name: 'identity_document', providerCode: 'error.msg.client.verify.full.identity.document.missing' }),
    ]);
  });

  it('FULL is satisfied by an SSN alone, or by an ID document alone', async () => {
    h = await startHarness();
    const bySsn = await h.kyc.submit((await newCustomer(h)).id, fullApplication({ documents: [] }));
    expect(bySsn.status).toBe('verified');
    const byPassport = await h.kyc.submit((await newCustomer(h)).id, fullApplication({ identifiers: [] }));
    expect(byPassport.status).toBe('verified');
    const byItin = await h.kyc.submit(
      (await newCustomer(h)).id,
      fullApplication({ identifiers: [{ type: 'itin', value: '912-70-1234', issuingCountry: 'US' }], documents: [] }),
    );
    expect(byItin.status).toBe('verified');
  });
});

describe('identifiers: formats are checked before any request, and sent in their written form', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('a malformed SSN is refused through createKyc and by the adapter itself, with no request', async () => {
    const customer = await newCustomer(h);
    const before = h.sim.requests().length;
    const malformed = fullApplication({ identifiers: [{ type: 'ssn', value: '51A-44-778', issuingCountry: 'US' }] });
    const viaKyc = await h.kyc.submit(customer.id, malformed).catch((caught: unknown) => caught);
    const direct = await h.provider
      .submit(
        { customerId: customer.id, providerCustomerId: customer.providerCustomerId, providerReference: customer.providerReference, application: malformed, type: 'individual', submission: 1 },
        h.context(),
      )
      .catch((caught: unknown) => caught);
    for (const error of [viaKyc, direct]) {
      expect(error).toMatchObject({ code: 'validation_failed', issues: [expect.objectContaining({ path: ['identifiers', 0, 'value'], code: 'invalid_identifier', rule: 'ssn_format' })] });
    }
    expect(h.sim.requests().length).toBe(before);
  });

  it('an SSN given without dashes is recorded as 123-45-6789, whichever way it was typed', async () => {
    const after = await h.kyc.submit((await newCustomer(h)).id, fullApplication({ identifiers: [{ type: 'ssn', value: '123456789', issuingCountry: 'US' }], documents: [] }));
    expect(after.status).toBe('verified');
    const ssn = h.sim.getClient(Number(after.providerCustomerId))!.identifiers.find((identifier) => identifier.documentType.name === 'SSN')!;
    expect(ssn.documentKey).toBe('123-45-6789');
  });
});
