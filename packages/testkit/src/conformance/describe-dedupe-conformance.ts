import type { KycEventType } from '@openkyc/core';
import { describe, expect } from 'vitest';
import type { ConformanceDelivery } from './conformance-driver.js';
import type { Harness } from './conformance-harness.js';
import {
  deliver,
  eventsBetween,
  expectEventChain,
  expectWalksCoverTable,
  typesOf,
  walkLabel,
  walkThrough,
  webhookShapes,
} from './conformance-status-walks.js';
import type { ConformanceScenario } from './describe-input-format-conformance.js';

/**
 * The "dedupe keys" group: what identifies an event, as opposed to one
 * delivery of it. In every documented webhook shape the suite delivers the
 * same event twice, re-sends it later re-signed as a new delivery (a new
 * timestamp and, where the provider's scheme has one, a new delivery id), and
 * sends different events for one customer in quick succession; it asserts
 * which deliveries are duplicates and exactly which events openkyc emits.
 * A dedupe key that is the customer id (a second, different event dropped)
 * or unique per delivery (a provider retry handled again) fails here.
 */
export function describeDedupeConformance<TSimulator>(scenario: ConformanceScenario<TSimulator>): void {
  describe('dedupe keys', () => {
    const webhookScenario = (title: string, body: (h: Harness<TSimulator>, shape: string | undefined) => Promise<void>) =>
      scenario(title, async (h, ctx) => {
        ctx.skip(!h.capabilities.webhooks || h.driver.webhooks === undefined, 'the provider sends no webhooks (reconcile polls instead)');
        for (const shape of webhookShapes(h)) {
          if (shape !== undefined) h.driver.webhookShapes!.use(shape);
          await body(h, shape);
        }
      });

    webhookScenario('every event delivered twice applies once; the second delivery is a duplicate (every webhook shape)', async (h, shape) => {
      const { customer, flow } = await onboardWithHeldWebhooks(h);
      for (const [index, delivery] of flow.entries()) {
        const first = await deliver(h, delivery);
        expect(first, `${shapeLabel(shape)}delivery ${index + 1} the first time`).toMatchObject({ status: 200, duplicate: false });
        const again = await deliver(h, delivery);
        expect(again, `${shapeLabel(shape)}delivery ${index + 1} again`).toMatchObject({ status: 200, duplicate: true, events: 0 });
      }
      await expectOnboarded(h, customer.id, shape);
      // The provider's own retries of what it still holds are duplicates too.
      const seen = h.webhookOutcomes.length;
      await h.driver.webhooks!.release();
      await h.driver.webhooks!.settled();
      expect(h.webhookOutcomes.slice(seen), `${shapeLabel(shape)}the provider's retries`).toEqual(
        flow.map(() => expect.objectContaining({ status: 200, events: 0, duplicate: true })),
      );
      await expectOnboarded(h, customer.id, shape);
    });

    webhookScenario('what the adapter peeks before parsing (peekDedupeKey, peekDelivery) is what its parse says (every webhook shape)', async (h, shape) => {
      const { customer, flow } = await onboardWithHeldWebhooks(h);
      const webhooks = h.provider.webhooks!;
      for (const [index, delivery] of flow.entries()) {
        const label = `${shapeLabel(shape)}delivery ${index + 1}`;
        const headers = Object.fromEntries(Object.entries(delivery.headers).map(([name, value]) => [name.toLowerCase(), value]));
        const request = { headers, rawBody: new TextEncoder().encode(delivery.body), now: new Date() };
        // Core trusts a peeked key to answer duplicates before parsing: it must be the parse's key or nothing.
        const key = webhooks.peekDedupeKey?.(request);
        const peek = webhooks.peekDelivery?.(request);
        const parsed = webhooks.parse(request);
        if (key !== undefined) expect(key, `${label}: peekDedupeKey`).toBe(parsed.dedupeKey);
        if (peek !== undefined) expect(peek.dedupeKey, `${label}: peekDelivery's key`).toBe(parsed.dedupeKey);
        if (peek?.providerCustomerId !== undefined && parsed.kind === 'report') {
          expect(peek.providerCustomerId, `${label}: peekDelivery's customer id`).toBe(parsed.report.providerCustomerId);
        }
        expect(await deliver(h, delivery), label).toMatchObject({ status: 200, duplicate: false });
      }
      await expectOnboarded(h, customer.id, shape);
    });

    webhookScenario('an event re-sent later, re-signed as a new delivery (new timestamp, new delivery id), is a duplicate (every webhook shape)', async (h, shape) => {
      const { customer, flow } = await onboardWithHeldWebhooks(h);
      for (const delivery of flow) expect(await deliver(h, delivery)).toMatchObject({ status: 200, duplicate: false });
      await expectOnboarded(h, customer.id, shape);

      // The provider retries every one of them a minute later (well within any signature tolerance).
      await h.driver.advanceClock(60_000);
      for (const [index, delivery] of flow.entries()) {
        const retry = { body: delivery.body, headers: redelivery(h, delivery) };
        expect(retry.headers, 'the redelivery is signed anew').not.toEqual(delivery.headers);
        const outcome = await deliver(h, retry);
        expect(outcome, `${shapeLabel(shape)}delivery ${index + 1}, re-sent as a new delivery`).toMatchObject({ status: 200, duplicate: true, events: 0 });
      }
      await expectOnboarded(h, customer.id, shape);
    });

    webhookScenario('different events for one customer in quick succession each apply once, in order (every webhook shape)', async (h, shape) => {
      const statuses = h.driver.statuses;
      const walks = statuses === undefined ? [undefined] : statuses.walks;
      if (statuses !== undefined) expectWalksCoverTable(statuses);
      for (const walk of walks) {
        h.driver.webhooks!.hold();
        const sentBefore = h.driver.webhooks!.deliveries().length;
        const outcomesBefore = h.webhookOutcomes.length;
        const label = walk === undefined ? `${shapeLabel(shape)}submission, approval` : walkLabel(walk, shape);
        // Without a status table: a submission and the decision, one after the other.
        const record =
          walk === undefined || statuses === undefined
            ? await submitAndApprove(h)
            : await walkThrough(h, statuses, walk, { afterMove: async () => {} }, label);
        const sent = h.driver.webhooks!.deliveries().length - sentBefore;

        await h.driver.webhooks!.release({ order: 'fifo' });
        await h.driver.webhooks!.settled();
        const outcomes = h.webhookOutcomes.slice(outcomesBefore);
        expect(outcomes.length, `${label}: every held delivery arrived`).toBe(sent);
        expect(
          outcomes.filter((outcome) => outcome.status !== 200 || outcome.duplicate),
          `${label}: no delivery of a different event is refused or taken for a duplicate`,
        ).toEqual([]);
        expect((await h.kyc.getCustomer(record.customer.id)).status, label).toBe(record.status);
        expect(typesOf(h.eventsOf(record.customer.id)), `${label}: every event, once, in order`).toEqual(record.expected);
        expectEventChain(h.eventsOf(record.customer.id), label);
      }
    });
  });
}

/**
 * Onboards a customer while the provider holds its webhooks: the submission,
 * then the approval. Returns the deliveries the provider made for it, oldest
 * first (still queued at the provider).
 */
async function onboardWithHeldWebhooks<TSimulator>(h: Harness<TSimulator>): Promise<{ customer: { id: string }; flow: ConformanceDelivery[] }> {
  const webhooks = h.driver.webhooks!;
  await webhooks.settled();
  webhooks.hold();
  const before = webhooks.deliveries().length;
  const customer = await h.createCustomer();
  const submitted = await h.kyc.submit(customer.id, h.application());
  await h.driver.decide(submitted.providerCustomerId, 'approve');
  const flow = webhooks.deliveries().slice(before);
  expect(flow.length, 'the decision is announced by webhook').toBeGreaterThan(0);
  return { customer, flow };
}

/** The submission and the provider's approval, webhooks held, for drivers without a status table. */
async function submitAndApprove<TSimulator>(h: Harness<TSimulator>) {
  const customer = await h.createCustomer();
  const submitted = await h.kyc.submit(customer.id, h.application());
  await h.driver.decide(submitted.providerCustomerId, 'approve');
  const status = h.capabilities.activation === 'automatic' ? 'active' : 'verified';
  const expected: KycEventType[] = ['customer.created', ...eventsBetween('created', submitted.status), ...eventsBetween(submitted.status, status)];
  return { customer, expected, status } as const;
}

/** The customer reached the provider's approval with every event exactly once. */
async function expectOnboarded<TSimulator>(h: Harness<TSimulator>, customerId: string, shape: string | undefined): Promise<void> {
  const approved = h.capabilities.activation === 'automatic' ? 'active' : 'verified';
  const customer = await h.kyc.getCustomer(customerId);
  expect(customer.status, `${shapeLabel(shape)}the approval applied`).toBe(approved);
  expect(typesOf(h.eventsOf(customerId)), `${shapeLabel(shape)}every event exactly once`).toEqual([
    'customer.created',
    ...eventsBetween('created', approved),
  ]);
  expectEventChain(h.eventsOf(customerId), shapeLabel(shape));
}

/** The headers of the same event sent again now as a new delivery (`redeliver`, else a fresh signature). */
function redelivery<TSimulator>(h: Harness<TSimulator>, delivery: ConformanceDelivery): Record<string, string> {
  const now = h.driver.now();
  return h.driver.redeliver?.(delivery, now) ?? h.driver.webhooks!.sign(delivery.body, { timestamp: now });
}

function shapeLabel(shape: string | undefined): string {
  return shape === undefined ? '' : `[${shape} shape] `;
}
