import { NotRetryableError } from '@openkyc/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fullApplication, newCustomer, startHarness, type Harness } from './support/harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

describe('after a rejection: a new Technest customer per attempt', () => {
  it('rejected → -r2 → rejected → -r3 → verified; one platform customer, every attempt kept', async () => {
    h.sim.setOutcome('user-123', { status: 'rejected', reason: 'ID document unreadable' });
    h.sim.setOutcome('user-123-r2', { status: 'rejected', reason: 'Document expired' });
    const customer = await h.kyc.createCustomer(newCustomer());
    await h.kyc.submit(customer.id, fullApplication());
    await h.sim.completeReviews();
    await h.deliverWebhooks();
    expect(await h.kyc.getCustomer(customer.id)).toMatchObject({ status: 'rejected', rejection: { code: 'document_unreadable', retryable: true } });

    const second = await h.kyc.submit(customer.id, fullApplication());
    expect(second).toMatchObject({ id: customer.id, status: 'pending', providerReference: 'user-123-r2' });
    expect(second.providerCustomerId).not.toBe(customer.providerCustomerId);
    await h.sim.completeReviews();
    await h.deliverWebhooks();
    expect(await h.kyc.getCustomer(customer.id)).toMatchObject({ status: 'rejected', rejection: { code: 'document_expired' } });

    const third = await h.kyc.submit(customer.id, fullApplication());
    expect(third).toMatchObject({ id: customer.id, status: 'pending', providerReference: 'user-123-r3' });
    await h.sim.completeReviews();
    await h.deliverWebhooks();

    const final = await h.kyc.getCustomer(customer.id);
    expect(final).toMatchObject({ status: 'verified', providerCustomerId: third.providerCustomerId });
    expect(final.rejection).toBeUndefined();
    expect(final.attempts.map((attempt) => [attempt.number, attempt.providerReference, attempt.status])).toEqual([
      [1, 'user-123', 'rejected'],
      [2, 'user-123-r2', 'rejected'],
      [3, 'user-123-r3', 'verified'],
    ]);
    expect(new Set(final.attempts.map((attempt) => attempt.providerCustomerId)).size).toBe(3);

    // Technest keeps every record; each new one was created with the basics, then completed.
    expect(h.sim.listCustomers().map((record) => [record.customerReference, record.status])).toEqual([
      ['user-123', 'rejected'],
      ['user-123-r2', 'rejected'],
      ['user-123-r3', 'verified'],
    ]);
    expect(h.events.map((event) => event.type)).toEqual([
      'customer.created',
      'customer.submitted',
      'customer.rejected',
      'customer.submitted',
      'customer.rejected',
      'customer.submitted',
      'customer.verified',
    ]);
  });

  it('a late webhook about the rejected record does not touch the new attempt', async () => {
    h.sim.setOutcome('user-123', { status: 'rejected', reason: 'Name mismatch' });
    const customer = await h.kyc.createCustomer(newCustomer());
    await h.kyc.submit(customer.id, fullApplication());
    await h.sim.completeReviews();
    await h.deliverWebhooks();
    await h.kyc.submit(customer.id, fullApplication());
    const late = await h.sim.emitWebhook(customer.providerCustomerId, { shape: 'dotted' });
    const result = await h.kyc.handleWebhook('technest', { headers: late.headers, body: late.payload });
    expect(result).toMatchObject({ events: [], ignored: 'superseded_attempt' });
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('pending');
  });

  it('the retry adopts an -r2 record an earlier, failed retry already made', async () => {
    h.sim.setOutcome('user-123', { status: 'rejected', reason: 'Blurry photo' });
    const customer = await h.kyc.createCustomer(newCustomer());
    await h.kyc.submit(customer.id, fullApplication());
    await h.sim.completeReviews();
    await h.deliverWebhooks();
    // The first retry made user-123-r2 but its submit failed before anything was recorded.
    const report = await h.provider.retry!(
      {
        customerId: customer.id,
        providerCustomerId: customer.providerCustomerId,
        providerReference: 'user-123',
        reference: 'user-123',
        type: 'individual',
        email: 'jane@example.com',
        firstName: 'Jane',
        lastName: 'Smith',
        attempt: 2,
      },
      h.context(),
    );
    expect(report).toMatchObject({ status: 'created', providerReference: 'user-123-r2' });
    const second = await h.kyc.submit(customer.id, fullApplication());
    expect(second.providerCustomerId).toBe(report.providerCustomerId);
    expect(h.sim.listCustomers()).toHaveLength(2);
  });

  it('fraud, sanctions and underage rejections are final: no new record', async () => {
    h.sim.setOutcome('user-123', { status: 'rejected', reason: 'Suspected FRAUDULENT document' });
    const customer = await h.kyc.createCustomer(newCustomer());
    await h.kyc.submit(customer.id, fullApplication());
    await h.sim.completeReviews();
    await h.deliverWebhooks();
    expect((await h.kyc.getCustomer(customer.id)).rejection).toMatchObject({ code: 'fraud_suspected', retryable: false });
    await expect(h.kyc.submit(customer.id, fullApplication())).rejects.toBeInstanceOf(NotRetryableError);
    expect(h.sim.listCustomers()).toHaveLength(1);
  });
});
