import { WebhookVerificationError, type WebhookRequest } from '@openkyc/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPatchStyleWebhooks, parsePatchStyleWebhook } from '../src/patch-style-webhooks.js';
import { application } from './support/application.js';
import { eventTypes, startHarness, type Harness } from './support/harness.js';
import { signPatchStyleWebhook } from './support/testkit.js';

const REVIEW_MS = 30_000;
const OTHER_SECRET = `whsec_${Buffer.from('the-next-webhook-secret-after-rotation').toString('base64')}`;

async function submittedCustomer(h: Harness, email = 'test-success@example.com', reference = 'user-1') {
  const customer = await h.kyc.createCustomer({ reference, type: 'individual', email, firstName: 'Jane', lastName: 'Smith' });
  await h.kyc.submit(customer.id, application());
  await h.settle();
  return customer;
}

function delivery(h: Harness, event: object, options: { secret?: string | string[]; at?: Date; id?: string } = {}) {
  const body = JSON.stringify(event);
  const headers = signPatchStyleWebhook({
    id: options.id ?? (event as { id?: string }).id ?? 'msg_1',
    timestamp: options.at ?? h.sim.clock.now(),
    body,
    secret: options.secret ?? h.sim.webhookSecret,
  });
  return { headers: { ...headers, 'content-type': 'application/json' }, body };
}

describe('patch-style webhooks through createKyc', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('accepts the simulator’s signed deliveries; dedupes on the event id', async () => {
    const customer = await submittedCustomer(h);
    await h.advance(REVIEW_MS);
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('active');

    const [, activeDelivery] = h.sim.webhooks.deliveries();
    await h.sim.webhooks.deliverAgain(activeDelivery!.id, { times: 2 });
    const last = h.deliveries.slice(-2);
    expect(last.map((d) => d.result?.duplicate)).toEqual([true, true]);
    expect(eventTypes(h.events, customer.id)).toEqual(['customer.created', 'customer.submitted', 'customer.verified', 'customer.activated']);
  });

  it('every event delivered twice → each transition emitted once', async () => {
    h.sim.webhooks.hold();
    const customer = await submittedCustomer(h);
    await h.advance(REVIEW_MS);
    await h.sim.webhooks.release({ duplicate: 2 });
    await h.settle();
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('active');
    expect(eventTypes(h.events, customer.id)).toEqual(['customer.created', 'customer.submitted', 'customer.verified', 'customer.activated']);
    expect(h.deliveries.filter((d) => d.result?.duplicate).length).toBe(2);
  });

  it('reordered deliveries never regress: ACTIVE then a late UNDER_REVIEW stays active', async () => {
    h.sim.webhooks.hold();
    const customer = await submittedCustomer(h);
    await h.advance(REVIEW_MS);
    await h.sim.webhooks.release({ order: 'reverse' });
    await h.settle();
    const latest = await h.kyc.getCustomer(customer.id);
    expect(latest.status).toBe('active');
    expect(eventTypes(h.events, customer.id)).toEqual(['customer.created', 'customer.submitted', 'customer.verified', 'customer.activated']);
    expect(latest.ignored.at(-1)).toMatchObject({ reason: 'stale', rawStatus: 'UNDER_REVIEW', source: 'webhook' });
  });

  it('reordered deliveries never regress: DEACTIVATED first, then the older ACTIVE and UNDER_REVIEW', async () => {
    h.sim.webhooks.hold();
    const customer = await submittedCustomer(h);
    await h.advance(REVIEW_MS);
    await h.sim.deactivate(customer.providerCustomerId);
    await h.sim.webhooks.release({ order: 'reverse' });
    await h.settle();
    const latest = await h.kyc.getCustomer(customer.id);
    expect(latest.status).toBe('deactivated');
    expect(eventTypes(h.events, customer.id)).toEqual([
      'customer.created',
      'customer.submitted',
      'customer.verified',
      'customer.activated',
      'customer.deactivated',
    ]);
    expect(latest.ignored.map((entry) => entry.reason)).toContain('stale');
  });

  it('DEACTIVATED from the provider → customer.deactivated', async () => {
    const customer = await submittedCustomer(h);
    await h.advance(REVIEW_MS);
    await h.sim.deactivate(customer.providerCustomerId, { reason: 'CLOSED_BY_PLATFORM' });
    await h.settle();
    const latest = await h.kyc.getCustomer(customer.id);
    expect(latest.status).toBe('deactivated');
    expect(h.events.at(-1)).toMatchObject({ type: 'customer.deactivated', from: 'active', to: 'deactivated', source: 'webhook' });
  });

  it('a rejection after approval (fraud found later) → rejected, not retryable', async () => {
    const customer = await submittedCustomer(h);
    await h.advance(REVIEW_MS);
    await h.sim.forceStatus(customer.providerCustomerId, { status: 'REJECTED', rejectionReason: 'FRAUD_SUSPECTED' });
    await h.settle();
    const latest = await h.kyc.getCustomer(customer.id);
    expect(latest.status).toBe('rejected');
    expect(latest.rejection).toMatchObject({ code: 'fraud_suspected', retryable: false, providerReason: 'FRAUD_SUSPECTED' });
  });

  it('a REJECTED webhook without its optional reason → not retryable until the GET says why', async () => {
    const customer = await submittedCustomer(h);
    h.sim.webhookRejectionReason = 'omitted';
    h.sim.setOutcome(customer.providerCustomerId, { status: 'REJECTED', rejectionReason: 'FRAUD_SUSPECTED' });
    await h.advance(REVIEW_MS);
    await h.settle();
    expect(h.sim.webhookEvents().at(-1)?.payload).not.toHaveProperty('reason');
    const announced = await h.kyc.getCustomer(customer.id);
    expect(announced).toMatchObject({ status: 'rejected', rejection: { code: 'other', retryable: false } });
    expect(announced.rejection).not.toHaveProperty('providerReason');

    // Not resubmitted on a guess: the record stays REJECTED at patch-style.
    await expect(h.kyc.submit(customer.id, application())).rejects.toMatchObject({ code: 'not_retryable' });
    expect(h.sim.customer(customer.providerCustomerId)?.status).toBe('REJECTED');

    expect((await h.kyc.refresh(customer.id)).rejection).toMatchObject({ code: 'fraud_suspected', providerReason: 'FRAUD_SUSPECTED', retryable: false });
  });

  it('tampered body, wrong secret, stale timestamp → WebhookVerificationError; nothing changes', async () => {
    const customer = await submittedCustomer(h);
    const event = {
      id: 'evt_manual_1',
      type: 'customer.state_changed',
      createdAt: h.sim.clock.now().toISOString(),
      payload: { customerId: customer.providerCustomerId, oldStatus: 'UNDER_REVIEW', newStatus: 'ACTIVE' },
    };
    const good = delivery(h, event);
    const tampered = { headers: good.headers, body: good.body.replace('ACTIVE', 'REJECTED') };
    await expect(h.kyc.handleWebhook('patch-style', tampered)).rejects.toMatchObject({ reason: 'signature_mismatch' });
    await expect(h.kyc.handleWebhook('patch-style', delivery(h, event, { secret: OTHER_SECRET }))).rejects.toMatchObject({
      reason: 'signature_mismatch',
    });
    const stale = delivery(h, event, { at: new Date(h.sim.clock.nowMs() - 301_000) });
    await expect(h.kyc.handleWebhook('patch-style', stale)).rejects.toMatchObject({ reason: 'timestamp_out_of_tolerance' });
    const missing = { headers: { 'content-type': 'application/json' }, body: good.body };
    await expect(h.kyc.handleWebhook('patch-style', missing)).rejects.toMatchObject({ reason: 'missing_signature' });
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('pending');

    const result = await h.kyc.handleWebhook('patch-style', good);
    expect(result.events.map((e) => e.type)).toEqual(['customer.verified', 'customer.activated']);
    expect(result.events[0]?.occurredAt).toBe(event.createdAt);
  });

  it('unknown event types and unknown statuses are acknowledged and ignored', async () => {
    const customer = await submittedCustomer(h);
    const other = await h.kyc.handleWebhook(
      'patch-style',
      delivery(h, { id: 'evt_other', type: 'customer.document_viewed', createdAt: h.sim.clock.now().toISOString(), payload: {} }),
    );
    expect(other).toMatchObject({ events: [], duplicate: false, ignored: expect.stringContaining('customer.document_viewed') });
    const unknownStatus = await h.kyc.handleWebhook(
      'patch-style',
      delivery(h, {
        id: 'evt_unknown_status',
        type: 'customer.state_changed',
        createdAt: h.sim.clock.now().toISOString(),
        payload: { customerId: customer.providerCustomerId, oldStatus: 'UNDER_REVIEW', newStatus: 'ON_HOLD' },
      }),
    );
    expect(unknownStatus).toMatchObject({ events: [], ignored: 'unknown status ON_HOLD' });
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('pending');
  });

  it('a malformed body → WebhookVerificationError malformed_body', async () => {
    const raw = (body: string) => {
      const headers = signPatchStyleWebhook({ id: 'msg_bad', timestamp: h.sim.clock.now(), body, secret: h.sim.webhookSecret });
      return { headers, body };
    };
    for (const body of ['not json', '[]', '{"id":"evt_1"}', '{"id":"evt_2","type":"customer.state_changed","payload":{"newStatus":"ACTIVE"}}']) {
      const error = await h.kyc.handleWebhook('patch-style', raw(body)).catch((e: unknown) => e);
      expect(WebhookVerificationError.isInstance(error)).toBe(true);
      expect((error as WebhookVerificationError).reason).toBe('malformed_body');
    }
  });
});

describe('webhook verification with several secrets (rotation)', () => {
  it('verifies with any configured secret and accepts several signatures', async () => {
    const h = await startHarness();
    try {
      const oldSecret = h.sim.webhookSecret;
      const webhooks = createPatchStyleWebhooks({ secrets: [oldSecret, OTHER_SECRET], toleranceSeconds: 300 });
      const onlyOld = createPatchStyleWebhooks({ secrets: [oldSecret], toleranceSeconds: 300 });
      const body = '{"id":"evt_r","type":"customer.state_changed","createdAt":"2025-11-05T10:00:00Z","payload":{"customerId":"customer_1","newStatus":"ACTIVE"}}';
      const now = new Date();
      const request = (secret: string | string[]): WebhookRequest => ({
        headers: Object.fromEntries(Object.entries(signPatchStyleWebhook({ id: 'evt_r', timestamp: now, body, secret }))),
        rawBody: new Uint8Array(Buffer.from(body)),
        now,
      });
      // During rotation the provider signs with both: either configuration verifies.
      expect(() => webhooks.verify(request([OTHER_SECRET, oldSecret]))).not.toThrow();
      expect(() => onlyOld.verify(request([OTHER_SECRET, oldSecret]))).not.toThrow();
      // After the provider finished rotating, only the configuration that knows the new secret verifies.
      expect(() => webhooks.verify(request(OTHER_SECRET))).not.toThrow();
      expect(() => onlyOld.verify(request(OTHER_SECRET))).toThrow(WebhookVerificationError);
    } finally {
      await h.close();
    }
  });

  it('end to end: the simulator rotates its secret; an adapter configured with old + new keeps verifying', async () => {
    const probe = await startHarness({ webhooks: false });
    const oldSecret = probe.sim.webhookSecret;
    await probe.close();
    const h = await startHarness({ adapter: { webhookSecret: [oldSecret, OTHER_SECRET] } });
    try {
      // The harness simulator has its own random secret: make it sign with the configured ones.
      h.sim.rotateWebhookSecret(oldSecret);
      h.sim.finishWebhookSecretRotation();
      const customer = await submittedCustomer(h);
      h.sim.rotateWebhookSecret(OTHER_SECRET);
      await h.advance(REVIEW_MS); // signed with old and new
      expect((await h.kyc.getCustomer(customer.id)).status).toBe('active');
      h.sim.finishWebhookSecretRotation();
      await h.sim.deactivate(customer.providerCustomerId); // signed with the new one only
      await h.settle();
      expect((await h.kyc.getCustomer(customer.id)).status).toBe('deactivated');
      expect(h.deliveries.every((d) => d.status === 200)).toBe(true);
    } finally {
      await h.close();
    }
  });
});

describe('webhook parsing', () => {
  const request = (event: unknown, headers: Record<string, string> = {}): WebhookRequest => ({
    headers,
    rawBody: new Uint8Array(Buffer.from(JSON.stringify(event))),
    now: new Date(),
  });

  it('turns customer.state_changed into a report: requirements, rejection, occurredAt, dedupe key', () => {
    expect(
      parsePatchStyleWebhook(
        request({
          id: 'evt_1',
          type: 'customer.state_changed',
          createdAt: '2025-11-05T10:00:00Z',
          payload: { customerId: 'customer_1', oldStatus: 'UNDER_REVIEW', newStatus: 'NEEDS_ADDITIONAL_INFORMATION', requiredDocuments: ['PROOF_OF_ADDRESS'] },
          extra: { tolerated: true },
        }),
      ),
    ).toEqual({
      kind: 'report',
      dedupeKey: 'evt_1',
      report: {
        providerCustomerId: 'customer_1',
        status: 'needs_info',
        rawStatus: 'NEEDS_ADDITIONAL_INFORMATION',
        requirements: [expect.objectContaining({ kind: 'document', name: 'proof_of_address' })],
        occurredAt: '2025-11-05T10:00:00.000Z',
      },
    });
    expect(
      parsePatchStyleWebhook(
        request({ id: 'evt_2', type: 'customer.state_changed', createdAt: '2025-11-05T10:00:00', payload: { customerId: 'c', newStatus: 'REJECTED', reason: 'UNDERAGE' } }),
      ),
    ).toMatchObject({
      report: { status: 'rejected', rejection: { code: 'underage', retryable: false, providerReason: 'UNDERAGE' }, occurredAt: '2025-11-05T10:00:00.000Z' },
    });
  });

  it('falls back to the webhook-id header for the dedupe key', () => {
    const result = parsePatchStyleWebhook(
      request({ type: 'customer.state_changed', payload: { customerId: 'c', newStatus: 'ACTIVE' } }, { 'webhook-id': 'msg_abc' }),
    );
    expect(result).toMatchObject({ kind: 'report', dedupeKey: 'msg_abc' });
    expect(result.kind === 'report' ? result.report.occurredAt : 'not a report').toBeUndefined();
  });
});
