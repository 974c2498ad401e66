import type { ProviderReport } from '../provider/kyc-provider.js';

/**
 * The webhook inbox: verified deliveries for a provider record no stored customer has yet (providers send
 * webhooks before `createCustomer` has committed). Kept until the customer is committed and then applied,
 * in provider-time order, exactly once; never answered and dropped.
 *
 * A parked row is the provider-neutral report only: no raw body, no provider free text (core drops
 * `rejection.providerReason` before parking), so the inbox holds nothing `forgetCustomer` would have to erase.
 */
export interface WebhookInbox {
  /**
   * Keeps a delivery until its customer is committed. Idempotent by `(provider, dedupeKey)`: answers `true`
   * when it was parked now, `false` when it already was.
   */
  park(delivery: ParkedDelivery): Promise<boolean>;
  /** The deliveries parked for one provider record, in provider-time order (`occurredAt`, then `receivedAt`). */
  listParked(provider: string, providerCustomerId: string): Promise<readonly ParkedDelivery[]>;
  /** Every parked delivery (or those received before `receivedBefore`), oldest receipt first, at most `limit`. */
  listAllParked(query?: ParkedQuery): Promise<readonly ParkedDelivery[]>;
  /** One parked delivery by provider and dedupe key, or `undefined` when none is parked (any more). */
  getParked(provider: string, dedupeKey: string): Promise<ParkedDelivery | undefined>;
  /** Removes a parked delivery once its dedupe key is committed (harmless when it is gone already). */
  unpark(provider: string, dedupeKey: string): Promise<void>;
}

/** One delivery waiting in the webhook inbox for its customer. */
export interface ParkedDelivery {
  /** The provider id the delivery came from. */
  readonly provider: string;
  /** The delivery's dedupe key (from the adapter's `webhooks.parse`). */
  readonly dedupeKey: string;
  /** The parsed, provider-neutral report (without provider free text). */
  readonly report: ProviderReport;
  /** The provider's time of the report, normalized (ISO 8601); the receipt time when it gave none. */
  readonly occurredAt: string;
  /** When the delivery reached us (ISO 8601). */
  readonly receivedAt: string;
}

/** Filters for `WebhookInbox.listAllParked`. */
export interface ParkedQuery {
  /** Only deliveries received before this time (ISO 8601). */
  readonly receivedBefore?: string;
  /** At most this many (default: all). */
  readonly limit?: number;
}

/** Provider-time order of parked deliveries, the order every store lists them in. */
export function compareParked(a: ParkedDelivery, b: ParkedDelivery): number {
  return compareText(a.occurredAt, b.occurredAt) || compareText(a.receivedAt, b.receivedAt) || compareText(a.dedupeKey, b.dedupeKey);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
