import { technest } from '@openkyc/adapter-technest';
import { createKyc, memoryStore, type Customer, type KycEvent } from '@openkyc/core';
import { buildTechnestWebhookPayload, signTechnestWebhook } from '@openkyc/testkit';
import { expect, vi } from 'vitest';
import { WEBHOOK_SECRET, type ConsoleFixture } from './console-fixture.js';

/** Looks like personal data in a handler's error: it must never reach a dead letter, a page or a log line. */
export const HANDLER_CANARY = 'jane.canary@example.com 078-05-1120';

/** What `addDurableDelivery` made. */
export interface DurableDelivery {
  /** The consumer with one dead letter: the hostile customer's `customer.created`. */
  readonly consumer: string;
  /** That dead letter's event. */
  readonly deadEvent: KycEvent;
  /** Committed to the store after its webhook was parked, without draining: "apply parked" applies it. */
  readonly late: Customer;
  /** A provider record no customer here has: its webhook stays parked. */
  readonly elsewhereProviderCustomerId: string;
}

/**
 * Durable delivery on top of the console fixture, through the real client: a consumer whose handler throws
 * (with a canary) on the hostile customer's event, so it becomes a dead letter; and two parked webhooks, one
 * whose customer is committed afterwards by a writer that does not drain (as after a crash right after the
 * commit), one for a record no customer here has.
 */
export async function addDurableDelivery(fixture: ConsoleFixture): Promise<DurableDelivery> {
  const { kyc, sim } = fixture;
  const consumer = 'crm-sync';
  const running = kyc.consume(
    consumer,
    async (event) => {
      if (event.customerId === fixture.hostile.id) throw new TypeError(`cannot sync ${HANDLER_CANARY}`);
    },
    { maxAttempts: 1, pollIntervalMs: 20, retryDelayMs: 1, maxRetryDelayMs: 2, leaseMs: 500 },
  );
  await vi.waitFor(async () => expect((await kyc.listConsumers()).find((status) => status.name === consumer)).toMatchObject({ lag: 0, deadLetters: 1 }));
  await running.stop();
  const [dead] = await kyc.listDeadLetters(consumer);

  // Another deployment's client creates the provider records; this store has no customer for them yet.
  const elsewhere = createKyc({
    providers: [technest({ baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret, webhookSecret: WEBHOOK_SECRET })],
    store: memoryStore(),
    now: () => sim.clock.now(),
  });
  const person = (reference: string) => elsewhere.createCustomer({ reference, type: 'individual', email: 'late@example.com', firstName: 'Lee', lastName: 'Late' });
  const late = await person('user-late');
  const never = await person('user-elsewhere');
  for (const customer of [late, never]) {
    const record = sim.getCustomer(customer.providerCustomerId)!;
    const body = JSON.stringify(
      buildTechnestWebhookPayload('current', { ...record, status: 'pending' }, { eventId: `evt_parked_${customer.reference}`, createdAt: sim.clock.now(), previousStatus: 'created' }),
    );
    const signature = signTechnestWebhook(WEBHOOK_SECRET, body, Math.floor(sim.clock.now().getTime() / 1000));
    await kyc.handleWebhook('technest', { headers: { 'technest-signature': signature, 'content-type': 'application/json' }, body });
  }
  const committed = await kyc.store.commit({ customer: late, expectedVersion: 0, events: await elsewhere.listEvents(late.id) });
  if (!committed.ok) throw new Error('could not commit the late customer');
  await elsewhere.close();
  return { consumer, deadEvent: dead!.event, late, elsewhereProviderCustomerId: never.providerCustomerId };
}
