import type { KycEvent } from '../models/events.js';

/** One webhook request, as your HTTP framework hands it over, for `kyc.handleWebhook`. */
export interface WebhookDelivery {
  /** As received: a `Headers` object or a plain object (Node's `req.headers`). */
  readonly headers: Headers | Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The raw body exactly as received: never a re-serialised JSON object. */
  readonly body: string | Uint8Array | ArrayBuffer;
}

/** What `kyc.handleWebhook` resolves to: answer the provider 200. */
export interface WebhookResult {
  /** What this delivery caused; empty for a duplicate or a report that changed nothing. */
  readonly events: readonly KycEvent[];
  /** True when this delivery was already processed (by its dedupe key): nothing changed. */
  readonly duplicate: boolean;
  /**
   * Why the delivery changed nothing, when it did not: `unchanged` (the customer
   * already had that status), `stale`, `invalid_transition`, `final_state`,
   * `superseded_attempt`, or the adapter's reason for an event that does not
   * concern the lifecycle.
   */
  readonly ignored?: string;
  /**
   * True when no customer has the delivery's provider record yet (its `createCustomer` may not have
   * committed): the delivery is stored in the webhook inbox and applies when that customer is committed.
   * Answer 200: it is not lost.
   */
  readonly parked?: boolean;
}

/** `kyc.handleWebhook`: what the HTTP endpoints need of the client, and nothing more. */
export type HandleWebhook = (providerId: string, delivery: WebhookDelivery) => Promise<WebhookResult>;
