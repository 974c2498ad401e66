import { KycError } from '../../errors.js';
import type { Customer } from '../../models/customer.js';
import type { CustomerStatus } from '../../models/customer-status.js';
import type { KycEvent } from '../../models/events.js';
import { commitWithRetry, providerById, type KycContext } from '../kyc-context.js';
import { reviewOverdue } from '../review-overdue.js';
import { DEFAULT_RECONCILE_SCHEDULE, type ReconcileSchedule } from '../reconcile-schedule.js';
import { refreshCustomer } from './refresh-customer.js';

/** What `kyc.reconcile` takes; every field is optional. */
export interface ReconcileOptions {
  /** The time to reconcile at (defaults to the client's clock). */
  readonly now?: Date;
  /** Refreshes running at once (default 8). */
  readonly concurrency?: number;
  /** Refresh every non-final customer, due or not. */
  readonly all?: boolean;
  /** Stops starting further refreshes once aborted. */
  readonly signal?: AbortSignal;
}

/** What one `kyc.reconcile` run did. */
export interface ReconcileResult {
  /** Customers refreshed. */
  readonly checked: number;
  /** Of those, how many changed status. */
  readonly changed: number;
  /** `customer.review_overdue` events emitted. */
  readonly overdue: number;
  /** Refreshes that failed; they are retried on the next run. */
  readonly failed: readonly {
    /** The customer whose refresh failed. */
    readonly customerId: string;
    /** The error's `KycErrorCode`, or `'unknown'`. */
    readonly code: string;
    /** The error's message (safe to log). */
    readonly message: string;
  }[];
}

/**
 * `kyc.reconcile`: refreshes every non-final customer that is due (or all), a bounded number at a time, and
 * emits `customer.review_overdue` for reviews past an escalation level. One failing provider call never
 * stops the run; the customer stays due.
 */
export async function reconcileCustomers(ctx: KycContext, options: ReconcileOptions): Promise<ReconcileResult> {
  const now = options.now ?? ctx.now();
  const schedule: ReconcileSchedule = { ...DEFAULT_RECONCILE_SCHEDULE, ...ctx.reconcileSchedule };
  const polled = (Object.keys(schedule) as CustomerStatus[]).filter((status) => schedule[status] !== undefined);

  // Streamed into the pool: at most `concurrency` listed customers are held, and each one's row, read just
  // before its refresh, is the refresh's first `latest` (no second read; a stale row loses the versioned commit).
  const due = dueCustomers(ctx.store.list({ statuses: polled }), (customer) => options.all === true || isDue(customer, schedule, now));

  let checked = 0;
  let changed = 0;
  let overdue = 0;
  const failed: { customerId: string; code: string; message: string }[] = [];

  await forEachLimited(due, options.concurrency ?? 8, async (customer) => {
    if (options.signal?.aborted) return;
    let after: Customer | undefined;
    try {
      after = await refreshCustomer(ctx, customer.id, 'poll', now, customer);
      checked++;
      if (after.status !== customer.status) changed++;
    } catch (error) {
      const code = KycError.isInstance(error) ? error.code : 'unknown';
      const message = KycError.isInstance(error) ? error.message : 'unexpected error';
      failed.push({ customerId: customer.id, code, message });
      ctx.logger.warn({ customerId: customer.id, code }, 'reconcile refresh failed');
    }
    // Escalation does not depend on the provider answering.
    if (ctx.providers.has(customer.provider)) overdue += (await commitReviewOverdue(ctx, customer.id, now, after)).length;
  });

  return { checked, changed, overdue, failed };
}

/**
 * Commits the `customer.review_overdue` events a customer is due at `now` (see `reviewOverdue`).
 * `known`: the customer as a refresh just committed it (saves a read).
 */
export async function commitReviewOverdue(ctx: KycContext, customerId: string, now: Date, known?: Customer): Promise<readonly KycEvent[]> {
  let emitted: readonly KycEvent[] = [];
  await commitWithRetry(
    ctx,
    customerId,
    (latest) => {
      const change = reviewOverdue(latest, providerById(ctx, latest.provider).capabilities, now);
      emitted = change.events;
      return change;
    },
    known,
  );
  return emitted;
}

// --- helpers ---------------------------------------------------------------

function isDue(customer: Customer, schedule: ReconcileSchedule, now: Date): boolean {
  const interval = schedule[customer.status];
  if (interval === undefined) return false;
  const last = Date.parse(customer.lastCheckedAt ?? customer.updatedAt);
  return now.getTime() - last >= interval;
}

async function* dueCustomers(listing: AsyncIterable<Customer>, due: (customer: Customer) => boolean): AsyncGenerator<Customer> {
  for await (const customer of listing) if (due(customer)) yield customer;
}

/**
 * Runs `task` for every item, at most `limit` at once, pulling items only as workers free up. The workers
 * share one iterator; a pull is awaited by one worker at a time (async generators queue their `next` calls).
 */
async function forEachLimited<T>(items: AsyncIterable<T>, limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const iterator = items[Symbol.asyncIterator]();
  const worker = async (): Promise<void> => {
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) await task(next.value);
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
}
