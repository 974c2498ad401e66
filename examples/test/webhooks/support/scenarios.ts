/**
 * The behaviour every webhook example must have, registered per example:
 * real signed deliveries from the simulators over HTTP → 200 and one lifecycle
 * event; duplicates → 200 and nothing new; tampered / badly signed → 401;
 * signed garbage → 400; oversized → 413.
 */
import { WebhookVerificationError } from '@openkyc/core';
import { signPatchStyleWebhook, signTechnestWebhook, type WebhookDelivery } from '@openkyc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWebhookHarness, type StartEndpoint, type WebhookHarness } from './harness.js';

export const TECHNEST_PATH = '/webhooks/technest';
export const PATCH_STYLE_PATH = '/webhooks/patch-style';

/** Finishes the review of a pending Technest customer with the webhook held, and returns that signed delivery. */
export async function heldTechnestDelivery(h: WebhookHarness): Promise<WebhookDelivery> {
  h.technest.webhooks.hold();
  await h.technest.completeReviews();
  const queued = h.technest.webhooks.queued();
  expect(queued).toHaveLength(1);
  return queued[0]!;
}

/**
 * Has the Technest simulator send `payload` (signed by it, over HTTP) instead of
 * the held delivery, e.g. the same event formatted differently.
 */
export async function dispatchInstead(h: WebhookHarness, payload: string): Promise<WebhookDelivery> {
  h.technest.webhooks.clearDeliveries();
  await h.technest.webhooks.release();
  return h.technest.webhooks.dispatch(payload);
}

/** The same event as the simulator's compact JSON, pretty-printed: what many providers actually send. */
export const prettyPrinted = (payload: string): string => JSON.stringify(JSON.parse(payload), null, 2);

const nowSeconds = (h: WebhookHarness): number => Math.floor(h.technest.clock.nowMs() / 1000);

export function refusalReasons(h: WebhookHarness): string[] {
  return h.refused.map(({ error }) => (WebhookVerificationError.isInstance(error) ? error.reason : String(error)));
}

export interface WebhookEndpointSuiteOptions {
  /** Also run the patch-style (Standard Webhooks) delivery through this example (default true). */
  readonly patchStyle?: boolean;
}

export function describeWebhookEndpoint(name: string, start: StartEndpoint, options: WebhookEndpointSuiteOptions = {}): void {
  describe(`${name}: Technest webhooks`, () => {
    let h: WebhookHarness;
    beforeEach(async () => {
      h = await startWebhookHarness(start);
    });
    afterEach(async () => {
      await h.close();
    });

    it('a real signed delivery → 200, the customer is verified with exactly one event', async () => {
      const customer = await h.pendingTechnestCustomer();
      expect(customer.status).toBe('pending');

      // The simulator decides and POSTs its signed webhook to the example.
      await h.technest.completeReviews();
      await h.technest.webhooks.settled();

      const deliveries = h.technest.webhooks.deliveries();
      expect(deliveries.map((delivery) => [delivery.state, delivery.status])).toEqual([['delivered', 200]]);
      expect((await h.kyc.getCustomer(customer.id)).status).toBe('verified');
      expect(h.eventsOf(customer.id, 'customer.verified')).toHaveLength(1);
      expect(h.eventsOf(customer.id, 'customer.verified')[0]).toMatchObject({ source: 'webhook', from: 'pending', to: 'verified' });
      expect(h.refused).toEqual([]);
    });

    it('a duplicate delivery → 200 (duplicate), no new event', async () => {
      const customer = await h.pendingTechnestCustomer();
      await h.technest.completeReviews();
      await h.technest.webhooks.settled();
      const [first] = h.technest.webhooks.deliveries();
      const eventsBefore = h.eventsOf(customer.id).length;

      // The provider retries (same bytes, same signature)…
      const again = await h.technest.webhooks.deliverAgain(first!.id);
      expect(again.status).toBe(200);
      // …and what the endpoint answers to a replay.
      const replay = await h.post(TECHNEST_PATH, { headers: first!.headers, body: first!.payload });
      expect(replay).toMatchObject({ status: 200, body: { received: true, events: 0, duplicate: true } });

      expect(h.eventsOf(customer.id)).toHaveLength(eventsBefore);
      expect(h.eventsOf(customer.id, 'customer.verified')).toHaveLength(1);
    });

    it('a tampered body → 401 and nothing changes; the genuine delivery still applies', async () => {
      const customer = await h.pendingTechnestCustomer();
      const delivery = await heldTechnestDelivery(h);
      const tampered = delivery.payload.replace('"status":"verified"', '"status":"rejected"');
      expect(tampered).not.toBe(delivery.payload);

      const answer = await h.post(TECHNEST_PATH, { headers: delivery.headers, body: tampered });
      expect(answer).toMatchObject({ status: 401, body: { received: false, error: 'invalid_signature' } });
      expect(refusalReasons(h)).toEqual(['signature_mismatch']);
      expect((await h.kyc.getCustomer(customer.id)).status).toBe('pending');

      await h.technest.webhooks.release();
      expect(h.technest.webhooks.deliveries()[0]?.status).toBe(200);
      expect((await h.kyc.getCustomer(customer.id)).status).toBe('verified');
    });

    it('a bad signature → 401 (wrong secret, missing header, replayed timestamp)', async () => {
      const customer = await h.pendingTechnestCustomer();
      const { payload } = await heldTechnestDelivery(h);
      const json = { 'Content-Type': 'application/json' };

      const wrongSecret = signTechnestWebhook('whsec_not_the_providers_secret', payload, nowSeconds(h));
      expect(await h.post(TECHNEST_PATH, { headers: { ...json, 'Technest-Signature': wrongSecret }, body: payload })).toMatchObject({
        status: 401,
        body: { error: 'invalid_signature' },
      });
      expect((await h.post(TECHNEST_PATH, { headers: json, body: payload })).status).toBe(401);
      const replayed = signTechnestWebhook(h.technest.webhookSecret, payload, nowSeconds(h) - 3_600);
      expect((await h.post(TECHNEST_PATH, { headers: { ...json, 'Technest-Signature': replayed }, body: payload })).status).toBe(401);

      expect(refusalReasons(h)).toEqual(['signature_mismatch', 'missing_signature', 'timestamp_out_of_tolerance']);
      expect((await h.kyc.getCustomer(customer.id)).status).toBe('pending');
    });

    it('malformed input (correctly signed, not JSON) → 400', async () => {
      const body = 'this is not { json';
      const signature = signTechnestWebhook(h.technest.webhookSecret, body, nowSeconds(h));
      const answer = await h.post(TECHNEST_PATH, { headers: { 'Content-Type': 'application/json', 'Technest-Signature': signature }, body });
      expect(answer).toMatchObject({ status: 400, body: { received: false, error: 'malformed_body' } });
      expect(refusalReasons(h)).toEqual(['malformed_body']);
    });

    it('verifies the bytes as sent: a pretty-printed event signed by the provider → 200', async () => {
      const customer = await h.pendingTechnestCustomer();
      const { payload } = await heldTechnestDelivery(h);
      const delivery = await dispatchInstead(h, prettyPrinted(payload));
      expect(delivery.status).toBe(200);
      expect((await h.kyc.getCustomer(customer.id)).status).toBe('verified');
    });

    it('a body over 1 MiB → 413, and answers carry no customer data or secrets', async () => {
      const big = `{"pad":"${'x'.repeat(1024 * 1024)}"}`;
      const signature = signTechnestWebhook(h.technest.webhookSecret, big, nowSeconds(h));
      const answer = await h.post(TECHNEST_PATH, { headers: { 'Content-Type': 'application/json', 'Technest-Signature': signature }, body: big });
      expect(answer.status).toBe(413);

      const customer = await h.pendingTechnestCustomer();
      const delivery = await heldTechnestDelivery(h);
      const texts = [
        (await h.post(TECHNEST_PATH, { headers: delivery.headers, body: `${delivery.payload} ` })).text,
        (await h.post(TECHNEST_PATH, { headers: delivery.headers, body: delivery.payload })).text,
      ];
      for (const text of texts) {
        expect(text).not.toContain(customer.providerCustomerId);
        expect(text).not.toContain(customer.reference);
        expect(text).not.toContain(h.technest.webhookSecret);
        expect(text).not.toContain('jane');
      }
    });
  });

  if (options.patchStyle === false) return;

  describe(`${name}: patch-style webhooks (Standard Webhooks)`, () => {
    let h: WebhookHarness;
    beforeEach(async () => {
      h = await startWebhookHarness(start);
    });
    afterEach(async () => {
      await h.close();
    });

    it('real signed deliveries → 200; ACTIVE gives verified + activated once each; a redelivery adds nothing', async () => {
      const customer = await h.pendingPatchStyleCustomer();
      expect(customer.status).toBe('pending');

      // Past the ~30 s review on the shared clock: the simulator POSTs customer.state_changed → ACTIVE.
      await h.technest.clock.advance(60_000);
      await h.patchStyle.settled();

      const deliveries = h.patchStyle.webhooks.deliveries();
      expect(deliveries.length).toBeGreaterThan(0);
      expect(deliveries.every((delivery) => delivery.status === 200)).toBe(true);
      expect(deliveries.at(-1)?.headers).toHaveProperty('webhook-signature');
      expect((await h.kyc.getCustomer(customer.id)).status).toBe('active');
      expect(h.eventsOf(customer.id, 'customer.verified')).toHaveLength(1);
      expect(h.eventsOf(customer.id, 'customer.activated')).toHaveLength(1);

      const eventsBefore = h.eventsOf(customer.id).length;
      const last = deliveries.at(-1)!;
      expect((await h.patchStyle.webhooks.deliverAgain(last.id)).status).toBe(200);
      expect(await h.post(PATCH_STYLE_PATH, { headers: last.headers, body: last.payload })).toMatchObject({
        status: 200,
        body: { received: true, events: 0, duplicate: true },
      });
      expect(h.eventsOf(customer.id)).toHaveLength(eventsBefore);
    });

    it('tampered → 401, other secret → 401, signed garbage → 400', async () => {
      const customer = await h.pendingPatchStyleCustomer();
      h.patchStyle.webhooks.hold();
      await h.technest.clock.advance(60_000);
      const activeDelivery = h.patchStyle.webhooks.queued().find((delivery) => delivery.payload.includes('"ACTIVE"'));
      expect(activeDelivery).toBeDefined();
      const { headers, payload } = activeDelivery!;

      const tampered = payload.replace('"newStatus":"ACTIVE"', '"newStatus":"REJECTED"');
      expect((await h.post(PATCH_STYLE_PATH, { headers, body: tampered })).status).toBe(401);

      const otherSecret = signPatchStyleWebhook({
        id: headers['webhook-id']!,
        timestamp: h.technest.clock.now(),
        body: payload,
        secret: 'whsec_' + Buffer.from('not-the-providers-secret-000').toString('base64'),
      });
      expect((await h.post(PATCH_STYLE_PATH, { headers: { 'content-type': 'application/json', ...otherSecret }, body: payload })).status).toBe(401);

      const garbage = 'not json at all';
      const signedGarbage = signPatchStyleWebhook({
        id: 'msg_garbage',
        timestamp: h.technest.clock.now(),
        body: garbage,
        secret: h.patchStyle.webhookSecret,
      });
      expect(await h.post(PATCH_STYLE_PATH, { headers: { 'content-type': 'application/json', ...signedGarbage }, body: garbage })).toMatchObject({
        status: 400,
        body: { error: 'malformed_body' },
      });

      expect(refusalReasons(h)).toEqual(['signature_mismatch', 'signature_mismatch', 'malformed_body']);
      expect((await h.kyc.getCustomer(customer.id)).status).toBe('pending');
    });
  });
}
