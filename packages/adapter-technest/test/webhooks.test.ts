import { WebhookVerificationError, type Customer } from '@openkyc/core';
import { buildTechnestWebhookPayload, signTechnestWebhook, type TechnestWebhookShape } from '@openkyc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  WEBHOOK_SECRET,
  deliver,
  fullApplication,
  newCustomer,
  rejectionOf,
  startHarness,
  type Harness,
  type HarnessOptions,
} from './support/harness.js';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function pendingCustomer(options: HarnessOptions = {}, reference = 'user-123'): Promise<{ h: Harness; customer: Customer }> {
  h = await startHarness(options);
  const created = await h.kyc.createCustomer(newCustomer(reference));
  const customer = await h.kyc.submit(created.id, fullApplication());
  return { h, customer };
}

const nowSeconds = (harness: Harness): number => Math.floor(harness.sim.clock.nowMs() / 1000);

function signed(harness: Harness, body: string, secrets: string | readonly string[] = WEBHOOK_SECRET, t = nowSeconds(harness)) {
  return { headers: { 'Technest-Signature': signTechnestWebhook(secrets, body, t), 'Content-Type': 'application/json' }, payload: body };
}

describe('the three webhook shapes', () => {
  it.each<TechnestWebhookShape>(['current', 'dotted', 'legacy'])('%s: verified → one customer.verified, duplicates change nothing', async (shape) => {
    const { h, customer } = await pendingCustomer({ sim: { webhookShape: shape } });
    await h.sim.completeReviews();
    const [first] = await h.deliverWebhooks();
    expect(first?.events.map((event) => event.type)).toEqual(['customer.verified']);

    const delivery = h.sim.webhooks.deliveries()[0]!;
    const again = await deliver(h.kyc, delivery);
    expect(again).toMatchObject({ events: [], duplicate: true });
    expect(h.events.filter((event) => event.type === 'customer.verified')).toHaveLength(1);
    expect(await h.kyc.getCustomer(customer.id)).toMatchObject({ status: 'verified' });
  });

  it.each<TechnestWebhookShape>(['current', 'dotted', 'legacy'])('%s: rejected → customer.rejected with the mapped reason', async (shape) => {
    const { h, customer } = await pendingCustomer({ sim: { webhookShape: shape } });
    h.sim.setOutcome(customer.providerCustomerId, { status: 'rejected', reason: 'ID document unreadable' });
    await h.sim.completeReviews();
    const [result] = await h.deliverWebhooks();
    expect(result?.events.map((event) => event.type)).toEqual(['customer.rejected']);
    expect((await h.kyc.getCustomer(customer.id)).rejection).toEqual({
      code: 'document_unreadable',
      message: expect.stringMatching(/clear/),
      providerReason: 'ID document unreadable',
      retryable: true,
    });
  });

  it('current shape without rejection_reason (the contract does not promise it): not retryable until a read says why', async () => {
    const { h, customer } = await pendingCustomer({ sim: { webhookRejectionReason: 'omitted' } });
    h.sim.setOutcome(customer.providerCustomerId, { status: 'rejected', reason: 'Suspected fraud' });
    await h.sim.completeReviews();
    expect(JSON.parse(h.sim.webhooks.deliveries()[0]!.payload).data).not.toHaveProperty('rejection_reason');
    const [result] = await h.deliverWebhooks();
    expect(result?.events.map((event) => event.type)).toEqual(['customer.rejected']);
    const announced = await h.kyc.getCustomer(customer.id);
    expect(announced.rejection).toEqual({ code: 'other', message: expect.stringMatching(/contact support/i), retryable: false });
    expect(result?.events[0]).toMatchObject({ rejection: announced.rejection });

    // A fraud rejection must not be retried on a guess: no new Technest record.
    const customers = h.sim.listCustomers().length;
    await expect(h.kyc.submit(customer.id, fullApplication())).rejects.toMatchObject({ code: 'not_retryable' });
    expect(h.sim.listCustomers()).toHaveLength(customers);

    // The read tells why, and replaces the unexplained rejection.
    expect((await h.kyc.refresh(customer.id)).rejection).toMatchObject({ code: 'fraud_suspected', providerReason: 'Suspected fraud', retryable: false });
  });

  it('all three shapes for one change (docs drift) → the event exactly once', async () => {
    const { h } = await pendingCustomer({ sim: { webhookShape: 'all' } });
    await h.sim.completeReviews();
    const results = await h.deliverWebhooks();
    expect(results).toHaveLength(3);
    expect(results.flatMap((result) => result.events).map((event) => event.type)).toEqual(['customer.verified']);
    // Duplicated and shuffled redelivery of all three: still nothing new.
    for (const delivery of h.sim.webhooks.deliveries().reverse()) await deliver(h.kyc, delivery);
    expect(h.events.filter((event) => event.type === 'customer.verified')).toHaveLength(1);
  });

  it('parses each shape to the same report; legacy events are keyed on customer, status and timestamp', async () => {
    const { h, customer } = await pendingCustomer();
    await h.sim.completeReviews();
    const record = h.sim.getCustomer(customer.providerCustomerId)!;
    const verifiedAt = record.verifiedAt!.toISOString().replace('.000Z', 'Z');
    const parse = (shape: TechnestWebhookShape, eventId = 'evt_1') => {
      const body = JSON.stringify(
        buildTechnestWebhookPayload(shape, record, { eventId, createdAt: h.sim.clock.now(), previousStatus: 'pending' }),
      );
      return h.provider.webhooks!.parse({ headers: {}, rawBody: new TextEncoder().encode(body), now: h.sim.clock.now() });
    };
    const report = { providerCustomerId: customer.providerCustomerId, status: 'verified', rawStatus: 'verified', occurredAt: record.verifiedAt!.toISOString() };
    expect(parse('current')).toEqual({ kind: 'report', dedupeKey: 'evt_1', report });
    expect(parse('dotted', 'evt_2')).toEqual({ kind: 'report', dedupeKey: 'evt_2', report });
    expect(parse('legacy')).toEqual({ kind: 'report', dedupeKey: `legacy:${customer.providerCustomerId}:verified:${verifiedAt}`, report });
  });

  it('a legacy duplicate (no event id) is recognised by its content key', async () => {
    const { h } = await pendingCustomer({ sim: { webhookShape: 'legacy' } });
    await h.sim.completeReviews();
    await h.deliverWebhooks();
    const delivery = h.sim.webhooks.deliveries()[0]!;
    // The provider's retry: same event, signed again later.
    await h.sim.clock.advance(60_000);
    const redelivered = signed(h, delivery.payload);
    expect(await deliver(h.kyc, redelivered)).toMatchObject({ duplicate: true, events: [] });
  });

  it('uses the status timestamp as occurredAt, else created_at; stale reports change nothing', async () => {
    const { h, customer } = await pendingCustomer();
    const id = customer.providerCustomerId;
    const rejectedLater = JSON.stringify({
      id: 'evt_late',
      event: 'customer.status_changed',
      created_at: '2026-05-05T13:00:00Z',
      data: { object: 'customer', id, status: 'rejected', rejected_at: '2026-05-05T12:30:00Z', rejection_reason: 'Document expired' },
    });
    const verifiedEarlier = JSON.stringify({
      id: 'evt_early',
      event: 'customer.verified',
      created_at: '2026-05-05T12:20:00Z',
      data: { object: 'customer', id, status: 'verified' }, // no verified_at: created_at is the time
    });
    const first = await deliver(h.kyc, signed(h, rejectedLater));
    expect(first.events.map((event) => [event.type, event.occurredAt])).toEqual([['customer.rejected', '2026-05-05T12:30:00.000Z']]);
    const second = await deliver(h.kyc, signed(h, verifiedEarlier));
    expect(second).toMatchObject({ events: [], ignored: 'stale' });
    expect((await h.kyc.getCustomer(customer.id)).rejection).toMatchObject({ code: 'document_expired', providerReason: 'Document expired' });
  });

  it('ignores unknown event types and unknown statuses (recorded, never applied)', async () => {
    const { h, customer } = await pendingCustomer();
    const unknownType = JSON.stringify({ id: 'evt_x', event: 'collection_account.created', created_at: '2026-05-05T12:01:00Z', data: { id: 'acct_1' } });
    expect(await deliver(h.kyc, signed(h, unknownType))).toMatchObject({ events: [], ignored: "unknown event type 'collection_account.created'" });
    const unknownStatus = JSON.stringify({
      id: 'evt_y',
      event: 'customer.status_changed',
      created_at: '2026-05-05T12:01:00Z',
      data: { object: 'customer', id: customer.providerCustomerId, status: 'manual_review' },
    });
    expect(await deliver(h.kyc, signed(h, unknownStatus))).toMatchObject({ events: [], ignored: "unknown Technest status 'manual_review'" });
    expect(await deliver(h.kyc, signed(h, unknownStatus))).toMatchObject({ duplicate: true });
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('pending');
  });

  it('refuses malformed bodies with malformed_body', async () => {
    h = await startHarness();
    for (const body of ['not json', '[]', '{"event":"customer.verified"}', '{"event":"customer.status_changed","data":{"id":"ckcust_1"}}', '{"data":{}}']) {
      const error = await rejectionOf(deliver(h.kyc, signed(h, body)));
      expect(error).toBeInstanceOf(WebhookVerificationError);
      expect(error).toMatchObject({ reason: 'malformed_body' });
    }
  });
});

describe('signatures', () => {
  const body = JSON.stringify({ id: 'evt_sig', event: 'customer.verified', created_at: '2026-05-05T12:01:00Z', data: { id: 'ckcust_unknown', status: 'verified' } });

  it('accepts a valid signature (the customer is unknown here, so the delivery is parked for it)', async () => {
    h = await startHarness();
    expect(await deliver(h.kyc, signed(h, body))).toMatchObject({ events: [], parked: true });
  });

  it('rejects a wrong secret, a tampered body, a missing header and a stale or future timestamp', async () => {
    h = await startHarness();
    const reasons = async (delivery: { headers: Record<string, string>; payload: string }) =>
      ((await rejectionOf(deliver(h!.kyc, delivery))) as WebhookVerificationError).reason;

    expect(await reasons(signed(h, body, 'whsec_wrong'))).toBe('signature_mismatch');
    const good = signed(h, body);
    expect(await reasons({ ...good, payload: body.replace('verified', 'rejected') })).toBe('signature_mismatch');
    expect(await reasons({ headers: { 'Content-Type': 'application/json' }, payload: body })).toBe('missing_signature');
    expect(await reasons({ headers: { 'Technest-Signature': 'v1=abc' }, payload: body })).toBe('malformed_signature');
    expect(await reasons(signed(h, body, WEBHOOK_SECRET, nowSeconds(h) - 301))).toBe('timestamp_out_of_tolerance');
    expect(await reasons(signed(h, body, WEBHOOK_SECRET, nowSeconds(h) + 301))).toBe('timestamp_out_of_tolerance');
    // Exactly at the tolerance still passes.
    expect(await deliver(h.kyc, signed(h, body, WEBHOOK_SECRET, nowSeconds(h) - 300))).toMatchObject({ parked: true });
  });

  it('honours webhookToleranceSeconds', async () => {
    h = await startHarness({ adapter: { webhookToleranceSeconds: 30 } });
    const error = await rejectionOf(deliver(h.kyc, signed(h, body, WEBHOOK_SECRET, nowSeconds(h) - 31)));
    expect(error).toMatchObject({ reason: 'timestamp_out_of_tolerance' });
  });

  it('rotation: with [old, new] configured, deliveries signed by either pass; others fail', async () => {
    h = await startHarness({ adapter: { webhookSecret: ['whsec_old', 'whsec_new'] } });
    expect(await deliver(h.kyc, signed(h, body, 'whsec_old'))).toMatchObject({ parked: true });
    expect(await deliver(h.kyc, signed(h, body, 'whsec_new'))).toMatchObject({ parked: true });
    expect(await rejectionOf(deliver(h.kyc, signed(h, body, 'whsec_other')))).toMatchObject({ reason: 'signature_mismatch' });
  });

  it("rotation at Technest: a header with two v1 entries passes when we know only one of the secrets", async () => {
    const { h, customer } = await pendingCustomer({ adapter: { webhookSecret: 'whsec_next' }, sim: { webhookSecret: 'whsec_prev' } });
    h.sim.rotateWebhookSecret('whsec_next');
    await h.sim.completeReviews();
    const [result] = await h.deliverWebhooks();
    expect(h.sim.webhooks.deliveries()[0]!.headers['Technest-Signature']?.match(/v1=/g)).toHaveLength(2);
    expect(result?.events.map((event) => event.type)).toEqual(['customer.verified']);
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('verified');
  });
});
