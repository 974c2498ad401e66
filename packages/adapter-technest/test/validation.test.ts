import { ValidationError } from '@openkyc/core';
import { sampleDocument, technestErrorBody } from '@openkyc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { application, driversLicense, newCustomer, passport, rejectionOf, startHarness, type Harness } from './support/harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

async function createdCustomer() {
  const customer = await h.kyc.createCustomer(newCustomer());
  h.sim.clearRequests();
  return customer;
}

describe('refused before any request', () => {
  it.each([
    ['national_id', 'national identity cards'],
    ['state_id', 'state ids'],
  ] as const)('%s (%s): ValidationError naming what to send instead; Technest saw nothing', async (type, _what) => {
    const customer = await createdCustomer();
    const document = { type, number: 'X1', front: sampleDocument(type, 'image/jpeg'), back: sampleDocument(type, 'image/jpeg') };
    const error = await rejectionOf(h.kyc.submit(customer.id, application([document])));
    expect(error).toBeInstanceOf(ValidationError);
    const issue = (error as ValidationError).issues.find((candidate) => candidate.code === 'unsupported_document');
    expect(issue).toMatchObject({ path: ['documents', 0, 'type'] });
    expect(issue?.message).toMatch(/passport/);
    expect(issue?.message).toMatch(/drivers_license/);
    expect(issue?.message).toMatch(/residence_permit/);
    expect(h.sim.requests()).toHaveLength(0);

    // The same answer from validate(), and from the adapter used on its own.
    expect(h.kyc.validate(application([document]))).toMatchObject({ valid: false, issues: expect.arrayContaining([expect.objectContaining({ code: 'unsupported_document' })]) });
    const direct = await rejectionOf(
      h.provider.submit(
        { customerId: customer.id, providerCustomerId: customer.providerCustomerId, providerReference: 'user-123', application: application([document]), type: 'individual', submission: 1 },
        h.context(),
      ),
    );
    expect(direct).toBeInstanceOf(ValidationError);
    expect((direct as ValidationError).issues.map((candidate) => candidate.message).join(' ')).toMatch(/send a passport, drivers_license or residence_permit/);
    expect(h.sim.requests()).toHaveLength(0);
  });

  it('a driver’s license without its back', async () => {
    const customer = await createdCustomer();
    const error = await rejectionOf(h.kyc.submit(customer.id, application([driversLicense(false)])));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([expect.objectContaining({ path: ['documents', 0, 'back'], code: 'back_required' })]);
    expect(h.sim.requests()).toHaveLength(0);
  });

  it('a residence permit without its back', async () => {
    const customer = await createdCustomer();
    const permit = { type: 'residence_permit' as const, front: sampleDocument('residence_permit', 'image/jpeg') };
    await expect(h.kyc.submit(customer.id, application([permit]))).rejects.toBeInstanceOf(ValidationError);
    expect(h.sim.requests()).toHaveLength(0);
  });

  it('two identity documents (one id_file slot) and a back on a one-file document', async () => {
    const result = h.kyc.validate(
      application([
        passport(),
        driversLicense(),
        { type: 'selfie', front: sampleDocument('selfie', 'image/jpeg'), back: sampleDocument('selfie', 'image/png') },
      ]),
    );
    expect(result.issues.map((issue) => [issue.path, issue.code])).toEqual([
      [['documents', 1, 'type'], 'too_many_identity_documents'],
      [['documents', 2, 'back'], 'back_not_supported'],
    ]);
  });

  it('no identity document at all', async () => {
    const result = h.kyc.validate(application([{ type: 'selfie', front: sampleDocument('selfie', 'image/jpeg') }]));
    expect(result.issues).toEqual([expect.objectContaining({ path: ['documents'], code: 'identity_document_required' })]);
  });

  it('a valid application passes validate()', () => {
    expect(h.kyc.validate(application())).toEqual({ valid: true, issues: [] });
  });
});

describe('an application validate() passed is not taken on trust beyond what was checked', () => {
  // Core's kyc.submit validates (calling the adapter's validate) and hands the very object to submit,
  // which then skips its own repeat of the checks: only for the same customer type on the same UTC day.
  it('a different customer type or a later day is validated again at submit; Technest saw nothing', async () => {
    const customer = await createdCustomer();
    const validatedOn = new Date('2033-12-31T12:00:00Z');
    const checked = application([passport({ expiresOn: '2034-01-01' })]);
    expect(h.provider.validate!(checked, { now: () => validatedOn, customerType: 'individual' })).toEqual([]);
    const input = { customerId: customer.id, providerCustomerId: customer.providerCustomerId, providerReference: 'user-123', application: checked, submission: 1 };

    const asBusiness = await rejectionOf(h.provider.submit({ ...input, type: 'business' }, h.context({ now: () => validatedOn })));
    expect(asBusiness).toBeInstanceOf(ValidationError);
    expect((asBusiness as ValidationError).issues.map((issue) => issue.code)).toContain('unsupported_customer_type');

    // The passport expires on 2034-01-01: valid on the day it was checked, expired on that day itself.
    const nextDay = await rejectionOf(h.provider.submit({ ...input, type: 'individual' }, h.context({ now: () => new Date('2034-01-01T00:00:01Z') })));
    expect(nextDay).toBeInstanceOf(ValidationError);
    expect((nextDay as ValidationError).issues.map((issue) => issue.code)).toContain('document_expired');
    expect(h.sim.requests()).toHaveLength(0);
  });
});

describe('Technest validation_failed → ValidationError at the application path', () => {
  it.each([
    ['date_of_birth', ['person', 'dateOfBirth']],
    ['phone', ['person', 'phone']],
    ['country', ['address', 'country']],
    ['address', ['address']],
    ['address.postal_code', ['address', 'postalCode']],
  ] as const)('param %s', async (param, path) => {
    const customer = await createdCustomer();
    h.sim.injectFault({
      server: 'api',
      method: 'POST',
      path: '/v1/customers/:id/files/attach',
      status: 400,
      body: technestErrorBody('validation_failed', `${param} is required before verification can start (was 1987-03-14)`, { param }),
    });
    const error = await rejectionOf(h.kyc.submit(customer.id, application()));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path, code: 'provider_validation_failed', message: expect.stringContaining(param) }]);
    expect((error as Error).message).not.toContain('1987-03-14');
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('created');
  });
});
