import type { Customer } from '../../models/customer.js';
import type { KycEvent } from '../../models/events.js';
import { providerRecordIds } from '../../store/commit-rules.js';
import type { ParkedDelivery } from '../../store/webhook-inbox.js';
import { applyProviderReport } from '../apply-provider-report.js';
import { contentionError, MAX_COMMIT_ATTEMPTS, type KycContext } from '../kyc-context.js';
import { commitDelivery, locateCustomer, publish } from './ingest-webhook.js';

/**
 * Applies the webhooks parked for `customer`'s provider records (they arrived before it was committed), in
 * provider-time order, and answers the customer as it is afterwards. Runs after every commit that gives a
 * customer a provider record (createCustomer, a retry's new attempt) and in `reconcile`.
 */
export async function applyParkedFor(ctx: KycContext, customer: Customer): Promise<Customer> {
  let applied = 0;
  for (const recordId of providerRecordIds(customer)) {
    for (const parked of await ctx.store.listParked(customer.provider, recordId)) {
      if ((await applyParkedDelivery(ctx, parked)) !== 'waiting') applied++;
    }
  }
  return applied === 0 ? customer : ((await ctx.store.get(customer.id)) ?? customer);
}

/**
 * One parked delivery through the normal path: the lifecycle on the latest customer and one versioned
 * commit with the delivery's dedupe key, so it has its effect exactly once however many instances apply it
 * at once (the others get `duplicate_delivery`). A delivery whose key is already processed is done: it is
 * only removed. `waiting`: still no customer has its record.
 */
export async function applyParkedDelivery(ctx: KycContext, parked: ParkedDelivery): Promise<'applied' | 'done' | 'waiting'> {
  const dedupe = { provider: parked.provider, key: parked.dedupeKey };
  if (await ctx.store.hasProcessed(dedupe.provider, dedupe.key)) {
    await ctx.store.unpark(dedupe.provider, dedupe.key);
    return 'done';
  }
  for (let attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
    const customer = await locateCustomer(ctx, parked.provider, parked.report);
    if (customer === undefined) return 'waiting';
    const outcome = applyProviderReport(customer, parked.report, 'webhook', ctx.now(), new Date(parked.receivedAt));
    const committed = await commitDelivery(ctx, customer, outcome, dedupe);
    if (committed === 'conflict') continue;
    if (committed === 'committed') {
      publish(ctx, outcome);
      logApplied(ctx, customer, parked, outcome.events);
    }
    await ctx.store.unpark(dedupe.provider, dedupe.key);
    return committed === 'committed' ? 'applied' : 'done';
  }
  throw contentionError(parked.provider);
}

function logApplied(ctx: KycContext, customer: Customer, parked: ParkedDelivery, events: readonly KycEvent[]): void {
  ctx.logger.info(
    { customerId: customer.id, provider: parked.provider, dedupeKey: parked.dedupeKey, events: events.length },
    'parked webhook applied',
  );
}
