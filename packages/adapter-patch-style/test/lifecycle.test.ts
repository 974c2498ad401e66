import { NotRetryableError, ValidationError } from '@openkyc/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { application, driversLicense, passport, proofOfAddress } from './support/application.js';
import { sampleDocument } from './support/testkit.js';
import { eventTypes, startHarness, type Harness } from './support/harness.js';

const REVIEW_MS = 30_000;

describe('patch-style through createKyc, against the simulator', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('creates, submits and activates: pending, then verified and activated exactly once', async () => {
    const customer = await h.kyc.createCustomer({
      reference: 'user-1',
      type: 'individual',
      email: 'test-success@example.com',
      firstName: 'Jane',
      lastName: 'Smith',
    });
    expect(customer.status).toBe('created');
    expect(customer.provider).toBe('patch-style');
    expect(customer.providerCustomerId).toMatch(/^customer_/);

    const submitted = await h.kyc.submit(customer.id, application());
    expect(submitted.status).toBe('pending');
    expect(submitted.rawStatus).toBe('UNDER_REVIEW');
    await h.settle();

    await h.advance(REVIEW_MS);
    const done = await h.kyc.getCustomer(customer.id);
    expect(done.status).toBe('active');
    expect(done.rawStatus).toBe('ACTIVE');
    expect(eventTypes(h.events, customer.id)).toEqual([
      'customer.created',
      'customer.submitted',
      'customer.verified',
      'customer.activated',
    ]);
    const activated = h.events.find((event) => event.type === 'customer.activated');
    expect(activated?.source).toBe('webhook');
    expect(h.deliveries.every((delivery) => delivery.status === 200)).toBe(true);
  });

  it('runs the RFI loop: needs_info naming the proof of address, resubmit, active with verified + activated once', async () => {
    const customer = await h.kyc.createCustomer({
      reference: 'user-rfi',
      type: 'individual',
      email: 'test-rfi@example.com',
      firstName: 'Test',
      lastName: 'RFI',
    });
    // Complete for the provider, but without a proof of address: the sandbox review asks for one.
    await h.kyc.submit(customer.id, application({ documents: [passport()] }));
    await h.settle();
    await h.advance(REVIEW_MS);

    const rfi = await h.kyc.getCustomer(customer.id);
    expect(rfi.status).toBe('needs_info');
    expect(rfi.requirements).toEqual([
      {
        kind: 'document',
        name: 'proof_of_address',
        message: 'Upload a recent proof of address (utility bill, bank statement or lease)',
        providerCode: 'PROOF_OF_ADDRESS',
      },
    ]);
    const needsInfo = h.events.find((event) => event.type === 'customer.needs_info');
    expect(needsInfo).toMatchObject({ requirements: rfi.requirements });

    const resubmitted = await h.kyc.submit(customer.id, application({ documents: [passport(), proofOfAddress()] }));
    expect(resubmitted.status).toBe('pending');
    expect(resubmitted.requirements).toEqual([]);
    await h.settle();
    await h.advance(REVIEW_MS);

    const done = await h.kyc.getCustomer(customer.id);
    expect(done.status).toBe('active');
    const types = eventTypes(h.events, customer.id);
    expect(types).toEqual([
      'customer.created',
      'customer.submitted',
      'customer.needs_info',
      'customer.submitted',
      'customer.verified',
      'customer.activated',
    ]);
    // The same provider record throughout, and the second PATCH merged into the first.
    expect(done.attempts).toHaveLength(1);
    const record = h.sim.customer(customer.providerCustomerId);
    expect(record?.patches).toBe(2);
    expect((record?.kycData.documents as { type: string }[]).map((d) => d.type).sort()).toEqual(['PASSPORT', 'UTILITY_BILL']);
  });

  it('a document URL answering 404 during review → needs_info naming that document', async () => {
    h.host.failDocumentType('drivers_license', 'not-found');
    const customer = await h.kyc.createCustomer({
      reference: 'user-404',
      type: 'individual',
      email: 'test-success@example.com',
      firstName: 'Jane',
      lastName: 'Smith',
    });
    await h.kyc.submit(customer.id, application({ documents: [driversLicense(), proofOfAddress()] }));
    await h.settle();
    await h.advance(REVIEW_MS);

    const rfi = await h.kyc.getCustomer(customer.id);
    expect(rfi.status).toBe('needs_info');
    expect(rfi.requirements).toEqual([
      expect.objectContaining({ kind: 'document', name: 'drivers_license', providerCode: 'DRIVERS_LICENSE' }),
    ]);
    // The provider fetched front and back of the license, and the proof of address.
    const checks = h.sim.documentChecks(customer.providerCustomerId);
    expect(checks.filter((check) => !check.ok).map((check) => check.side).sort()).toEqual(['back', 'front']);

    // Fixed storage, same document again → review passes.
    h.host.clearFaults();
    await h.kyc.submit(customer.id, application({ documents: [driversLicense(), proofOfAddress()] }));
    await h.settle();
    await h.advance(REVIEW_MS);
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('active');
  });

  it('a rejection → resubmit on the same record (no retry call) → pending, then active', async () => {
    const customer = await h.kyc.createCustomer({
      reference: 'user-rej',
      type: 'individual',
      email: 'test-rejected@example.com',
      firstName: 'Test',
      lastName: 'Rejected',
    });
    await h.kyc.submit(customer.id, application());
    await h.settle();
    await h.advance(REVIEW_MS);
    const rejected = await h.kyc.getCustomer(customer.id);
    expect(rejected.status).toBe('rejected');
    expect(rejected.rejection).toEqual({
      code: 'document_expired',
      message: 'Your identity document has expired. Submit a document that is still valid.',
      providerReason: 'DOCUMENT_EXPIRED',
      retryable: true,
    });
    expect(h.events.at(-1)).toMatchObject({ type: 'customer.rejected', rejection: rejected.rejection });

    h.sim.setOutcome(customer.providerCustomerId, { status: 'ACTIVE' });
    const again = await h.kyc.submit(customer.id, application());
    expect(again.status).toBe('pending');
    expect(again.providerCustomerId).toBe(customer.providerCustomerId);
    expect(again.attempts).toHaveLength(1);
    expect(h.sim.customers()).toHaveLength(1);
    await h.settle();
    await h.advance(REVIEW_MS);
    const done = await h.kyc.getCustomer(customer.id);
    expect(done.status).toBe('active');
    expect(done.rejection).toBeUndefined();
    expect(eventTypes(h.events, customer.id)).toEqual([
      'customer.created',
      'customer.submitted',
      'customer.rejected',
      'customer.submitted',
      'customer.verified',
      'customer.activated',
    ]);
  });

  it('a fraud rejection cannot be resubmitted (NotRetryableError, nothing sent)', async () => {
    const customer = await h.kyc.createCustomer({ reference: 'user-fraud', type: 'individual', email: 'f@example.com', firstName: 'F', lastName: 'R' });
    await h.kyc.submit(customer.id, application());
    h.sim.setOutcome(customer.providerCustomerId, { status: 'REJECTED', rejectionReason: 'FRAUD_SUSPECTED' });
    await h.settle();
    await h.advance(REVIEW_MS);
    expect((await h.kyc.getCustomer(customer.id)).rejection).toMatchObject({ code: 'fraud_suspected', retryable: false });
    const patches = h.sim.requests().filter((request) => request.method === 'PATCH').length;
    await expect(h.kyc.submit(customer.id, application())).rejects.toSatisfy(NotRetryableError.isInstance);
    expect(h.sim.requests().filter((request) => request.method === 'PATCH')).toHaveLength(patches);
  });

  it('without webhooks: refresh() walks pending → verified → active from the GET', async () => {
    h.sim.setWebhookTarget(undefined);
    const customer = await h.kyc.createCustomer({ reference: 'user-poll', type: 'individual', email: 'p@example.com', firstName: 'P', lastName: 'L' });
    await h.kyc.submit(customer.id, application());
    await h.advance(REVIEW_MS);
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('pending');
    const refreshed = await h.kyc.refresh(customer.id);
    expect(refreshed.status).toBe('active');
    expect(h.events.slice(-2).map((event) => [event.type, event.source])).toEqual([
      ['customer.verified', 'poll'],
      ['customer.activated', 'poll'],
    ]);
    // A second refresh changes nothing.
    const before = h.events.length;
    await h.kyc.refresh(customer.id);
    expect(h.events).toHaveLength(before);
  });

  it('reconcile flags a review still open after the escalation time (9 days)', async () => {
    const customer = await h.kyc.createCustomer({ reference: 'user-slow', type: 'individual', email: 's@example.com', firstName: 'S', lastName: 'L' });
    await h.kyc.submit(customer.id, application());
    h.sim.setOutcome(customer.providerCustomerId, { status: 'ACTIVE', afterMs: Infinity });
    await h.settle();
    await h.sim.clock.advance(8 * 24 * 3600_000);
    await h.kyc.reconcile({ now: h.sim.clock.now() });
    expect(eventTypes(h.events, customer.id)).not.toContain('customer.review_overdue');
    await h.sim.clock.advance(2 * 24 * 3600_000);
    await h.kyc.reconcile({ now: h.sim.clock.now() });
    expect(eventTypes(h.events, customer.id)).toContain('customer.review_overdue');
  });

  it('refuses what the provider cannot take before any call: selfie, missing back, missing profile, business', async () => {
    const customer = await h.kyc.createCustomer({ reference: 'user-v', type: 'individual', email: 'v@example.com', firstName: 'V', lastName: 'A' });
    const before = h.sim.requests().length;
    const selfie = { type: 'selfie' as const, front: sampleDocument('selfie', 'image/jpeg') };
    const { back: _back, ...frontOnly } = driversLicense();
    const cases = [
      [application({ documents: [passport(), selfie] }), ['documents', 1, 'type'], 'unsupported_document'],
      [application({ documents: [frontOnly] }), ['documents', 0, 'back'], 'back_required'],
      [application({ profile: undefined }), ['profile'], 'required'],
      [application({ identifiers: undefined }), ['identifiers'], 'required'],
      [application({ address: { ...application().address, stateCode: undefined } }), ['address', 'stateCode'], 'required'],
      [application({ address: { ...application().address, stateCode: 'CALI' } }), ['address', 'stateCode'], 'invalid_state_code'],
      [application({ documents: [{ ...passport(), front: sampleDocument('passport', 'image/jpeg', { sizeBytes: 50 * 1024 }) }] }), ['documents', 0, 'front', 'content'], 'file_too_small'],
    ] as const;
    for (const [app, path, code] of cases) {
      const error = await h.kyc.submit(customer.id, app).catch((e: unknown) => e);
      expect(ValidationError.isInstance(error)).toBe(true);
      expect((error as ValidationError).issues).toContainEqual(expect.objectContaining({ path, code }));
    }
    expect(h.sim.requests()).toHaveLength(before);
    expect(h.host.documents()).toHaveLength(0);
    await expect(
      h.kyc.createCustomer({ reference: 'biz', type: 'business', email: 'b@example.com', firstName: 'B', lastName: 'Z' }),
    ).rejects.toSatisfy(ValidationError.isInstance);
    expect(h.sim.requests()).toHaveLength(before);
  });
});
