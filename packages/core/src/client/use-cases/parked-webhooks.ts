import type { CustomerStatus } from '../../models/customer-status.js';
import type { ParkedDelivery } from '../../store/webhook-inbox.js';
import type { KycContext } from '../kyc-context.js';
import { applyParkedDelivery } from './apply-parked-webhooks.js';

/** A webhook waiting in the inbox for its customer, as `kyc.listParkedWebhooks` shows it (no personal data). */
export interface ParkedWebhook {
  /** The provider id the delivery came from. */
  readonly provider: string;
  /** The provider record it is about, which no stored customer has (yet). */
  readonly providerCustomerId: string;
  /** The delivery's dedupe key. */
  readonly dedupeKey: string;
  /** The status it reports. */
  readonly status: CustomerStatus;
  /** The provider's own status in it. */
  readonly rawStatus: string;
  /** The provider's time of the report (ISO 8601). */
  readonly occurredAt: string;
  /** When it reached us (ISO 8601). */
  readonly receivedAt: string;
  /** Parked for longer than `webhookInbox.staleAfterMs`: its customer may never be created here. */
  readonly stale: boolean;
}

/** What `kyc.listParkedWebhooks` takes; every field is optional. */
export interface ListParkedWebhooksOptions {
  /** Only the stale ones (parked longer than `webhookInbox.staleAfterMs`). */
  readonly staleOnly?: boolean;
  /** At most this many, oldest receipt first (default 100). */
  readonly limit?: number;
}

/** What one reconcile run did with the webhook inbox. */
export interface ParkedWebhooksPass {
  /** Parked deliveries whose customer now exists, applied (or found already applied) and removed. */
  readonly applied: number;
  /** Parked deliveries still without a customer. */
  readonly waiting: number;
  /** Of those, how many are stale (each logged as a warning). */
  readonly stale: number;
}

/** How many parked deliveries one reconcile run looks at. */
const PARKED_PER_RUN = 1000;

/** `kyc.listParkedWebhooks`: the webhook inbox for operators, oldest first. */
export async function listParkedWebhooks(ctx: KycContext, options: ListParkedWebhooksOptions = {}): Promise<readonly ParkedWebhook[]> {
  const now = ctx.now();
  const limit = options.limit ?? 100;
  const parked = await ctx.store.listAllParked(options.staleOnly === true ? { receivedBefore: staleBefore(ctx, now), limit } : { limit });
  return parked.map((delivery) => summaryOf(ctx, delivery, now));
}

/**
 * Reconcile's pass over the webhook inbox: applies parked deliveries whose customer exists by now (a crash
 * between a customer's commit and its drain leaves some), and reports the stale ones with a warning
 * instead of keeping them silently.
 */
export async function applyWaitingParked(ctx: KycContext, now: Date): Promise<ParkedWebhooksPass> {
  let applied = 0;
  let waiting = 0;
  let stale = 0;
  for (const parked of await ctx.store.listAllParked({ limit: PARKED_PER_RUN })) {
    const result = await applyParkedDelivery(ctx, parked);
    if (result !== 'waiting') {
      applied++;
      continue;
    }
    waiting++;
    const summary = summaryOf(ctx, parked, now);
    if (!summary.stale) continue;
    stale++;
    ctx.logger.warn(
      {
        provider: summary.provider,
        providerCustomerId: summary.providerCustomerId,
        dedupeKey: summary.dedupeKey,
        status: summary.status,
        receivedAt: summary.receivedAt,
        parkedForMs: now.getTime() - Date.parse(summary.receivedAt),
      },
      'webhook parked for longer than webhookInbox.staleAfterMs: no customer has its provider record',
    );
  }
  return { applied, waiting, stale };
}

function summaryOf(ctx: KycContext, delivery: ParkedDelivery, now: Date): ParkedWebhook {
  return {
    provider: delivery.provider,
    providerCustomerId: delivery.report.providerCustomerId,
    dedupeKey: delivery.dedupeKey,
    status: delivery.report.status,
    rawStatus: delivery.report.rawStatus,
    occurredAt: delivery.occurredAt,
    receivedAt: delivery.receivedAt,
    stale: delivery.receivedAt < staleBefore(ctx, now),
  };
}

function staleBefore(ctx: KycContext, now: Date): string {
  return new Date(now.getTime() - ctx.parkedStaleAfterMs).toISOString();
}
