import { InvalidStateError, NotRetryableError } from '@openkyc/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fullApplication, newCustomer, startHarness, type Harness } from './support/fixtures.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const HOUR = 60 * 60_000;

async function verifiedCustomer() {
  const customer = await newCustomer(h);
  const verified = await h.kyc.submit(customer.id, fullApplication());
  expect(verified.status).toBe('verified');
  return verified;
}

describe('activate', () => {
  it('activates a verified customer with ?command=activate', async () => {
    const verified = await verifiedCustomer();
    const active = await h.kyc.activate(verified.id);
    expect(active.status).toBe('active');
    expect(h.events.at(-1)).toMatchObject({ type: 'customer.activated', from: 'verified', to: 'active' });
    expect(h.sim.getClient(Number(verified.providerCustomerId))!.status).toBe('Active');
    const command = h.sim.requests().find((request) => request.query.command === 'activate')!;
    expect(command.json).toMatchObject({ dateFormat: 'dd MMMM yyyy', locale: 'en' });
    expect((command.json as { activationDate: string }).activationDate).toMatch(/^\d{2} [A-Z][a-z]+ \d{4}$/);
  });

  it('an activation whose answer was lost is not an error the second time', async () => {
    const verified = await verifiedCustomer();
    const ref = { customerId: verified.id, providerCustomerId: verified.providerCustomerId, providerReference: verified.providerReference };
    await h.provider.activate!(ref, h.context());
    const again = await h.provider.activate!(ref, h.context());
    expect(again).toMatchObject({ status: 'active', rawStatus: 'Active/Verified' });
  });

  it('refuses with InvalidStateError when the provider says the client is not verified', async () => {
    const customer = await newCustomer(h);
    const ref = { customerId: customer.id, providerCustomerId: customer.providerCustomerId, providerReference: customer.providerReference };
    const error = await h.provider.activate!(ref, h.context()).catch((caught: unknown) => caught);
    expect(InvalidStateError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('error.msg.client.activate.not.verified');
  });
});

describe('back-office changes (no webhooks)', () => {
  it('a rejection is discovered by refresh', async () => {
    const verified = await verifiedCustomer();
    h.sim.reject(Number(verified.providerCustomerId));
    const after = await h.kyc.refresh(verified.id);
    expect(after.status).toBe('rejected');
    expect(after.rejection).toEqual({
      code: 'other',
      message: expect.stringMatching(/^We could not verify your identity/),
      providerReason: 'Identity could not be verified',
      retryable: true,
    });
    expect(h.events.at(-1)).toMatchObject({ type: 'customer.rejected', from: 'verified', to: 'rejected', source: 'poll' });
  });

  it('a rejection is discovered by reconcile', async () => {
    const verified = await verifiedCustomer();
    h.sim.reject(Number(verified.providerCustomerId), 'Document unreadable');
    await h.sim.clock.advance(2 * HOUR);
    const result = await h.kyc.reconcile();
    expect(result).toMatchObject({ checked: 1, changed: 1, failed: [] });
    const after = await h.kyc.getCustomer(verified.id);
    expect(after.rejection).toMatchObject({ code: 'document_unreadable', providerReason: 'Document unreadable', retryable: true });
  });

  it('a rejection reported on the day of an earlier report is not discarded as stale', async () => {
    // The timeline says only "today"; had it become midnight, this report would be older than the last one.
    const verified = await verifiedCustomer();
    await h.sim.clock.advance(5 * 60_000);
    h.sim.reject(Number(verified.providerCustomerId));
    expect((await h.kyc.refresh(verified.id)).status).toBe('rejected');
    expect((await h.kyc.getCustomer(verified.id)).ignored).toEqual([]);
  });

  it('a closure of an active client is discovered → deactivated', async () => {
    const verified = await verifiedCustomer();
    await h.kyc.activate(verified.id);
    h.sim.closeClient(Number(verified.providerCustomerId));
    const after = await h.kyc.refresh(verified.id);
    expect(after.status).toBe('deactivated');
    expect(after.rawStatus).toBe('Closed/Verified');
    expect(h.events.at(-1)).toMatchObject({ type: 'customer.deactivated', from: 'active', to: 'deactivated' });
  });

  it('fetch maps a withdrawn client to deactivated', async () => {
    const customer = await newCustomer(h);
    h.sim.withdraw(Number(customer.providerCustomerId));
    const report = await h.provider.fetch(
      { customerId: customer.id, providerCustomerId: customer.providerCustomerId, providerReference: customer.providerReference },
      h.context(),
    );
    expect(report).toEqual({ providerCustomerId: customer.providerCustomerId, status: 'deactivated', rawStatus: 'Withdrawn' });
  });

  it('a withdrawn Pending client becomes deactivated through createKyc without invented approval events', async () => {
    const customer = await newCustomer(h);
    h.sim.withdraw(Number(customer.providerCustomerId));
    const after = await h.kyc.refresh(customer.id);
    expect(after.status).toBe('deactivated');
    const mine = h.events.filter((event) => event.customerId === customer.id);
    expect(mine.map((event) => [event.type, event.from, event.to])).toEqual([
      ['customer.created', null, 'created'],
      ['customer.deactivated', 'created', 'deactivated'],
    ]);
  });

  it('polling a needs_info client that is still Pending is no news (nothing ignored, no event)', async () => {
    const customer = await newCustomer(h);
    const waiting = await h.kyc.submit(customer.id, { ...fullApplication(), contactVerified: undefined });
    expect(waiting.status).toBe('needs_info');
    const eventsBefore = h.events.length;
    const after = await h.kyc.refresh(customer.id);
    expect(after).toMatchObject({ status: 'needs_info', ignored: [] });
    expect(h.events.length).toBe(eventsBefore);
  });

  it('fetch leaves occurredAt out (timeline dates are days, not instants)', async () => {
    const verified = await verifiedCustomer();
    const report = await h.provider.fetch(
      { customerId: verified.id, providerCustomerId: verified.providerCustomerId, providerReference: verified.providerReference },
      h.context(),
    );
    expect(report).toEqual({
      providerCustomerId: verified.providerCustomerId,
      status: 'verified',
      rawStatus: 'Pending/Verified',
      verificationLevel: 'FULL',
    });
  });
});

describe('retry after a rejection: undoRejection', () => {
  it('reopens the same client, verifies again and ends verified', async () => {
    const customer = await newCustomer(h);
    const first = await h.kyc.submit(customer.id, fullApplication({ contactVerified: { email: false, phone: false } }));
    expect(first.status).toBe('needs_info');
    h.sim.reject(Number(customer.providerCustomerId));
    expect((await h.kyc.refresh(customer.id)).status).toBe('rejected');

    const after = await h.kyc.submit(customer.id, fullApplication());
    expect(after.status).toBe('verified');
    expect(after.providerCustomerId).toBe(customer.providerCustomerId);
    expect(after.attempts).toHaveLength(1);
    expect(h.events.map((event) => event.type)).toEqual([
      'customer.created',
      'customer.needs_info',
      'customer.rejected',
      'customer.submitted',
      'customer.verified',
    ]);
    const undo = h.sim.requests().find((request) => request.query.command === 'undoRejection')!;
    expect(undo.json).toMatchObject({ dateFormat: 'dd MMMM yyyy', locale: 'en' });
    // Parts kept by the provider across the rejection were not sent again.
    expect(h.count('POST', /\/identifiers$/)).toBe(2);
    expect(h.count('POST', /\/addresses$/)).toBe(1);
    expect(h.sim.getClient(Number(customer.providerCustomerId))).toMatchObject({ status: 'Pending', subStatus: 'Verified' });
  });

  it('a verified client rejected later can be retried too', async () => {
    const verified = await verifiedCustomer();
    h.sim.reject(Number(verified.providerCustomerId), 'Document expired');
    expect((await h.kyc.refresh(verified.id)).rejection?.code).toBe('document_expired');
    const after = await h.kyc.submit(verified.id, fullApplication());
    expect(after.status).toBe('verified');
  });

  it('retry is safe to repeat: a client already reopened is simply Pending', async () => {
    const customer = await newCustomer(h);
    h.sim.reject(Number(customer.providerCustomerId));
    const input = {
      customerId: customer.id,
      providerCustomerId: customer.providerCustomerId,
      providerReference: customer.providerReference,
      reference: customer.reference,
      type: 'individual' as const,
      email: customer.email,
      firstName: customer.firstName,
      lastName: customer.lastName,
      attempt: 2,
    };
    expect(await h.provider.retry!(input, h.context())).toMatchObject({ status: 'created' });
    expect(await h.provider.retry!(input, h.context())).toMatchObject({ status: 'created', rawStatus: 'Pending' });
  });

  it('a rejection for suspected fraud is not retryable', async () => {
    const verified = await verifiedCustomer();
    h.sim.reject(Number(verified.providerCustomerId), 'Suspected fraud');
    const after = await h.kyc.refresh(verified.id);
    expect(after.rejection).toMatchObject({ code: 'fraud_suspected', retryable: false, providerReason: 'Suspected fraud' });
    expect(after.rejection?.message).not.toMatch(/fraud/i);
    const error = await h.kyc.submit(verified.id, fullApplication()).catch((caught: unknown) => caught);
    expect(NotRetryableError.isInstance(error)).toBe(true);
    expect(h.count('POST', /^\/v1\/clients\/\d+$/, 'undoRejection')).toBe(0);
  });
});

describe('submit on a client past verification', () => {
  it('reports the verified client instead of sending anything (an earlier verify whose answer was lost)', async () => {
    const verified = await verifiedCustomer();
    h.sim.clearRequests();
    const report = await h.provider.submit(
      {
        customerId: verified.id,
        providerCustomerId: verified.providerCustomerId,
        providerReference: verified.providerReference,
        application: fullApplication(),
        type: 'individual',
        submission: 2,
      },
      h.context(),
    );
    expect(report).toMatchObject({ status: 'verified', verificationLevel: 'FULL' });
    expect(h.calls()).toEqual([`GET /v1/clients/${verified.providerCustomerId}`]);
  });
});
