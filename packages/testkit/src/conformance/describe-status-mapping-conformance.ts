import { describe, expect } from 'vitest';
import type { ConformanceStatuses } from './conformance-driver.js';
import type { Harness } from './conformance-harness.js';
import {
  eventsBetween,
  expectEventChain,
  expectWalksCoverTable,
  normalized,
  typesOf,
  walkLabel,
  walkThrough,
  webhookShapes,
} from './conformance-status-walks.js';
import type { ConformanceScenario } from './describe-input-format-conformance.js';

/**
 * The "status mapping" group: every status the provider's contract documents
 * (the driver's `statuses.table`, from the contract) is walked through, in an
 * order the lifecycle allows, and read by polling and — where the provider
 * sends webhooks — by webhook in every documented body shape. After each move
 * openkyc must report the contract's normalized status, with exactly the
 * events of that move, in order, from the right source. A mapping bug that
 * only shows for one status, one shape or one path (poll or webhook) fails here.
 */
export function describeStatusMappingConformance<TSimulator>(scenario: ConformanceScenario<TSimulator>): void {
  describe('status mapping', () => {
    scenario("every documented provider status, read by polling, is the contract's normalized status, with its events in order", async (h, ctx) => {
      ctx.skip(h.driver.statuses === undefined, 'the driver declares no status table (ConformanceDriver.statuses)');
      const statuses = h.driver.statuses!;
      expectWalksCoverTable(statuses);
      // Every change must be learnt by polling: deliveries go nowhere.
      h.driver.webhooks?.setTarget(undefined);
      for (const walk of statuses.walks) await walkByPolling(h, statuses, walk);
    });

    scenario("every documented provider status, announced by webhook, is the contract's normalized status in every webhook shape, with its events in order", async (h, ctx) => {
      ctx.skip(!h.capabilities.webhooks || h.driver.webhooks === undefined, 'the provider sends no webhooks (the polling walk covers it)');
      ctx.skip(h.driver.statuses === undefined, 'the driver declares no status table (ConformanceDriver.statuses)');
      const statuses = h.driver.statuses!;
      expectWalksCoverTable(statuses);
      for (const shape of webhookShapes(h)) {
        if (shape !== undefined) h.driver.webhookShapes!.use(shape);
        for (const walk of statuses.walks) await walkByWebhook(h, statuses, walk, shape);
      }
    });
  });
}

/** Each move is read with `refresh`: the status the contract gives it, the move's events, source `poll`. */
async function walkByPolling<TSimulator>(h: Harness<TSimulator>, statuses: ConformanceStatuses, walk: readonly string[]): Promise<void> {
  const label = walkLabel(walk);
  const record = await walkThrough(h, statuses, walk, {
    async afterCreate(customer) {
      const polled = await h.kyc.refresh(customer.id);
      expect(polled.status, `${label}: a new record (${statuses.created}) read by polling`).toBe(normalized(statuses, statuses.created));
      expect(typesOf(h.eventsOf(customer.id)), `${label}: polling a new record causes no event`).toEqual(['customer.created']);
    },
    async afterMove({ customer, from, status, eventsBefore }) {
      expect((await h.kyc.getCustomer(customer.id)).status, `${label}: only the poll tells openkyc about ${status}`).toBe(from);
      const target = normalized(statuses, status);
      const polled = await h.kyc.refresh(customer.id);
      expect(polled.status, `${label}: ${status} read by polling`).toBe(target);
      const caused = h.eventsOf(customer.id).slice(eventsBefore);
      expect(typesOf(caused), `${label}: the events of ${from} → ${status} (${target}), by polling`).toEqual(eventsBetween(from, target));
      expect(caused.map((event) => event.source), `${label}: events caused by polling say so`).toEqual(caused.map(() => 'poll'));
    },
  }, label);
  expect(typesOf(h.eventsOf(record.customer.id)), `${label}: every event of the walk, in order`).toEqual(record.expected);
  expectEventChain(h.eventsOf(record.customer.id), label);
  expect((await h.kyc.refresh(record.customer.id)).status, `${label}: a last poll changes nothing`).toBe(record.status);
}

/**
 * Each move is announced by the provider's webhook: openkyc has the contract's
 * status from the webhook alone (no poll), with the move's events (source
 * `webhook`); a poll afterwards agrees and changes nothing.
 */
async function walkByWebhook<TSimulator>(
  h: Harness<TSimulator>,
  statuses: ConformanceStatuses,
  walk: readonly string[],
  shape: string | undefined,
): Promise<void> {
  const label = walkLabel(walk, shape);
  const webhooks = h.driver.webhooks!;
  let sentBefore = 0;
  const record = await walkThrough(h, statuses, walk, {
    async beforeMove() {
      await webhooks.settled();
      sentBefore = webhooks.deliveries().length;
    },
    async afterMove({ customer, from, status, eventsBefore }) {
      await webhooks.settled();
      expect(webhooks.deliveries().length, `${label}: the provider announces ${status} by webhook`).toBeGreaterThan(sentBefore);
      expect(h.webhookOutcomes.filter((outcome) => outcome.status !== 200), `${label}: every delivery is accepted`).toEqual([]);

      const target = normalized(statuses, status);
      expect((await h.kyc.getCustomer(customer.id)).status, `${label}: ${status} announced by webhook`).toBe(target);
      const caused = h.eventsOf(customer.id).slice(eventsBefore);
      expect(typesOf(caused), `${label}: the events of ${from} → ${status} (${target}), by webhook`).toEqual(eventsBetween(from, target));
      expect(caused.map((event) => event.source), `${label}: events caused by the webhook say so`).toEqual(caused.map(() => 'webhook'));

      // A poll afterwards reads the same status and changes nothing.
      expect((await h.kyc.refresh(customer.id)).status, `${label}: a poll after the webhook agrees`).toBe(target);
      expect(h.eventsOf(customer.id).length, `${label}: a poll after the webhook changes nothing`).toBe(eventsBefore + caused.length);
    },
  }, label);
  const events = h.eventsOf(record.customer.id);
  expect(typesOf(events), `${label}: every event of the walk, in order`).toEqual(record.expected);
  expectEventChain(events, label);
}
