import { KycError } from '../../errors.js';
import type { Customer } from '../../models/customer.js';
import { CUSTOMER_STATUSES } from '../../models/customer-status.js';
import type { KycEvent } from '../../models/events.js';
import type { ReconcileClaim } from '../../store/reconcile-leases.js';
import { commitWithRetry, providerById, type KycContext } from '../kyc-context.js';
import { reviewOverdue } from '../review-overdue.js';
import { intervalFor } from '../reconcile-due.js';
import { applyWaitingParked, type ParkedWebhooksPass } from './parked-webhooks.js';
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
  /**
   * How long a customer this run claims stays leased to it, so other instances skip it (default 120 000 ms).
   * The run releases its leases when it ends; an instance that dies frees its customers when they expire.
   */
  readonly leaseMs?: number;
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
  /** What the run did with webhooks parked for customers not yet known. */
  readonly parked: ParkedWebhooksPass;
}

/**
 * `kyc.reconcile`: applies parked webhooks whose customer exists by now (and reports stale ones), then
 * refreshes every non-final customer that is due (or all), a bounded number at a time, and emits
 * `customer.review_overdue` for reviews past an escalation level. Customers come from the store in leased
 * batches (`claimDue`), so several instances reconciling at once poll each due customer once. One failing
 * provider call never stops the run; the customer stays due.
 */
export async function reconcileCustomers(ctx: KycContext, options: ReconcileOptions): Promise<ReconcileResult> {
  const now = options.now ?? ctx.now();
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const leaseMs = options.leaseMs ?? DEFAULT_RECONCILE_LEASE_MS;
  const polled = CUSTOMER_STATUSES.filter((status) => intervalFor(ctx.reconcileSchedule, status) !== undefined);

  const parked = await applyWaitingParked(ctx, now);

  const run: ReconcileRun = {
    ctx,
    now,
    checkedAt: now.toISOString(),
    signal: options.signal,
    claim: {
      statuses: polled,
      dueAt: now.toISOString(),
      all: options.all === true,
      limit: concurrency * CLAIM_BATCHES_PER_WORKER,
      leaseMs,
    },
    queue: [],
    next: 0,
    claiming: undefined,
    exhausted: false,
    stopped: false,
    seen: new Set<string>(),
    checked: 0,
    changed: 0,
    overdue: 0,
    failed: [],
  };

  try {
    // A bounded pool: `concurrency` workers take customers from the claimed queue; the one that finds it
    // empty claims the next page while the others carry on with theirs (no barrier between pages).
    // Every worker has finished before the leases are released, even when one failed (the others stop
    // after the customer in hand), so no customer is released while it is still being polled.
    const workers: Promise<void>[] = [];
    for (let i = 0; i < concurrency; i++) workers.push(reconcileWorker(run));
    const failure = (await Promise.allSettled(workers)).find((outcome) => outcome.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
  } finally {
    if (run.seen.size > 0) await ctx.store.releaseLeases([...run.seen]);
  }

  const { checked, changed, overdue, failed } = run;
  return { checked, changed, overdue, failed, parked };
}

/** How long a claimed customer stays leased to the instance that claimed it, by default. */
export const DEFAULT_RECONCILE_LEASE_MS = 120_000;

/** Customers claimed per round trip: a few per concurrent refresh. */
const CLAIM_BATCHES_PER_WORKER = 4;

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

/** One reconcile run's shared state: the claimed queue, what was handed out, the tallies. */
interface ReconcileRun {
  readonly ctx: KycContext;
  readonly now: Date;
  /** `now` as ISO 8601: every refreshed customer's `lastCheckedAt`. */
  readonly checkedAt: string;
  readonly signal: AbortSignal | undefined;
  readonly claim: ReconcileClaim;
  /** Claimed customers not yet handed to a worker, from `next` on. */
  queue: readonly Customer[];
  next: number;
  /** The claim in flight, shared by every worker that ran out. */
  claiming: Promise<void> | undefined;
  /** The store had nothing more to hand out. */
  exhausted: boolean;
  /** A worker failed: the others stop taking customers. */
  stopped: boolean;
  /** Every customer claimed by this run: released at the end. */
  readonly seen: Set<string>;
  checked: number;
  changed: number;
  overdue: number;
  readonly failed: { customerId: string; code: string; message: string }[];
}

async function reconcileWorker(run: ReconcileRun): Promise<void> {
  try {
    for (;;) {
      if (run.signal?.aborted || run.stopped) return;
      if (run.next < run.queue.length) {
        await reconcileOne(run, run.queue[run.next++]!);
        continue;
      }
      if (run.exhausted) return;
      await (run.claiming ??= claimNextPage(run));
    }
  } catch (error) {
    // A store failure ends the run: the other workers finish the customer in hand and stop.
    run.stopped = true;
    throw error;
  }
}

/**
 * Claims the next page. Claimed customers stay leased until the run ends: neither another instance nor this
 * run's next claim hands them out again (a failed one is retried by the next run).
 */
async function claimNextPage(run: ReconcileRun): Promise<void> {
  try {
    const claimed = await run.ctx.store.claimDue(run.claim);
    if (claimed.length === 0) {
      run.exhausted = true;
      return;
    }
    // A lease that ran out during a very long run hands a customer out again: it was polled already.
    const fresh: Customer[] = [];
    for (const customer of claimed) {
      if (run.seen.has(customer.id)) continue;
      run.seen.add(customer.id);
      fresh.push(customer);
    }
    run.queue = fresh;
    run.next = 0;
  } finally {
    run.claiming = undefined;
  }
}

async function reconcileOne(run: ReconcileRun, customer: Customer): Promise<void> {
  const { ctx, now } = run;
  let after: Customer | undefined;
  try {
    // The claimed row was read just now: it is the refresh's first `latest` (no second read; a stale
    // one loses the versioned commit and is re-read).
    after = await refreshCustomer(ctx, customer.id, 'poll', run.checkedAt, customer);
    run.checked++;
    if (after.status !== customer.status) run.changed++;
  } catch (error) {
    const code = KycError.isInstance(error) ? error.code : 'unknown';
    const message = KycError.isInstance(error) ? error.message : 'unexpected error';
    run.failed.push({ customerId: customer.id, code, message });
    ctx.logger.warn({ customerId: customer.id, code }, 'reconcile refresh failed');
  }
  // Escalation does not depend on the provider answering.
  const provider = ctx.providers.get(customer.provider);
  if (provider === undefined) return;
  // Most refreshed customers have no level due: decided on the customer in hand, without a commit attempt.
  if (after !== undefined && reviewOverdue(after, provider.capabilities, now).customer === undefined) return;
  run.overdue += (await commitReviewOverdue(ctx, customer.id, now, after)).length;
}
