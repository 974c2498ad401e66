import { KycError } from '../errors.js';
import type { KycLogger } from '../logging/logger.js';
import type { Customer } from '../models/customer.js';
import type { CustomerStatus } from '../models/customer-status.js';
import type { KycEvent } from '../models/events.js';
import type { KycProvider } from '../provider/kyc-provider.js';
import type { CustomerStore } from '../store/customer-store.js';

/** How long after the last check a customer in each status is due again; `undefined` never polls. */
export type ReconcileSchedule = Readonly<Record<CustomerStatus, number | undefined>>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Pending reviews are polled often (a webhook may be lost); settled customers
 * rarely, because some providers change them only in their back office
 * (clients-command rejects or closes without webhooks).
 */
export const DEFAULT_RECONCILE_SCHEDULE: ReconcileSchedule = {
  created: 24 * HOUR,
  pending: 5 * MINUTE,
  needs_info: HOUR,
  verified: HOUR,
  active: 24 * HOUR,
  rejected: 24 * HOUR,
  deactivated: undefined,
};

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

export interface ReconcileDependencies {
  readonly store: CustomerStore;
  readonly providers: ReadonlyMap<string, KycProvider>;
  readonly schedule: Partial<ReconcileSchedule> | undefined;
  readonly clock: () => Date;
  readonly logger: KycLogger;
  refresh(customerId: string, now: Date): Promise<Customer>;
  /** `known`: the customer as the refresh just committed it, if it succeeded (saves a read). */
  commitOverdue(customerId: string, now: Date, known?: Customer): Promise<readonly KycEvent[]>;
}

/** Runs one reconcile pass (the implementation of `kyc.reconcile`). */
export async function reconcileCustomers(options: ReconcileOptions, deps: ReconcileDependencies): Promise<ReconcileResult> {
  const now = options.now ?? deps.clock();
  const schedule: ReconcileSchedule = { ...DEFAULT_RECONCILE_SCHEDULE, ...deps.schedule };
  const polled = (Object.keys(schedule) as CustomerStatus[]).filter((status) => schedule[status] !== undefined);

  const due: Customer[] = [];
  for await (const customer of deps.store.list({ statuses: polled })) {
    if (options.all === true || isDue(customer, schedule, now)) due.push(customer);
  }

  let checked = 0;
  let changed = 0;
  let overdue = 0;
  const failed: { customerId: string; code: string; message: string }[] = [];

  await forEachLimited(due, options.concurrency ?? 8, async (customer) => {
    if (options.signal?.aborted) return;
    let after: Customer | undefined;
    try {
      after = await deps.refresh(customer.id, now);
      checked++;
      if (after.status !== customer.status) changed++;
    } catch (error) {
      // One failing provider call must not stop the run; the customer stays due.
      const code = KycError.isInstance(error) ? error.code : 'unknown';
      const message = KycError.isInstance(error) ? error.message : 'unexpected error';
      failed.push({ customerId: customer.id, code, message });
      deps.logger.warn({ customerId: customer.id, code }, 'reconcile refresh failed');
    }
    // Escalation does not depend on the provider answering.
    const provider = deps.providers.get(customer.provider);
    if (provider !== undefined) overdue += (await deps.commitOverdue(customer.id, now, after)).length;
  });

  return { checked, changed, overdue, failed };
}

function isDue(customer: Customer, schedule: ReconcileSchedule, now: Date): boolean {
  const interval = schedule[customer.status];
  if (interval === undefined) return false;
  const last = Date.parse(customer.lastCheckedAt ?? customer.updatedAt);
  return now.getTime() - last >= interval;
}

async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await task(item);
    }
  });
  await Promise.all(workers);
}
