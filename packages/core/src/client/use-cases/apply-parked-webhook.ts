import type { KycContext } from '../kyc-context.js';
import { applyParkedDelivery } from './apply-parked-webhooks.js';

/**
 * What `kyc.applyParkedWebhook` did with one parked delivery:
 * - `applied`: its customer exists by now; the delivery went through the lifecycle and left the inbox;
 * - `already_applied`: its dedupe key was committed meanwhile (another instance, a redelivery); removed;
 * - `waiting`: still no stored customer has its provider record; it stays parked;
 * - `not_parked`: nothing is parked under this provider and dedupe key (applied or never parked).
 */
export type ParkedWebhookReplay =
  | {
      /** Applied now. */
      readonly outcome: 'applied';
      /** The customer it applied to. */
      readonly customerId: string;
    }
  | {
      /** Its key was committed already; removed from the inbox. */
      readonly outcome: 'already_applied';
      /** The customer with its provider record, when there is one. */
      readonly customerId?: string;
    }
  | {
      /** No customer yet, or nothing parked under this key. */
      readonly outcome: 'waiting' | 'not_parked';
    };

/**
 * `kyc.applyParkedWebhook`: one parked delivery through the normal path (`applyParkedDelivery`: the
 * lifecycle on the latest customer and one versioned commit with its dedupe key, exactly once however many
 * instances try at once).
 */
export async function applyOneParkedWebhook(ctx: KycContext, provider: string, dedupeKey: string): Promise<ParkedWebhookReplay> {
  const parked = await ctx.store.getParked(provider, dedupeKey);
  if (parked === undefined) return { outcome: 'not_parked' };
  const result = await applyParkedDelivery(ctx, parked);
  if (result === 'waiting') return { outcome: 'waiting' };
  const customer = await ctx.store.findByProviderCustomerId(parked.provider, parked.report.providerCustomerId);
  if (result === 'applied') return { outcome: 'applied', customerId: customer!.id };
  return customer === undefined ? { outcome: 'already_applied' } : { outcome: 'already_applied', customerId: customer.id };
}
