import type { Customer } from '../models/customer.js';
import { DEFAULT_RECONCILE_SCHEDULE, type ReconcileSchedule } from './reconcile-schedule.js';

/**
 * When `reconcile` next polls `customer` under the client's schedule: its status's interval after the last
 * check (or the last change), as `reconcile` has always decided; `undefined` for a status never polled.
 * Written with every commit (`StoreCommit.reconcileDueAt`) so that a store can hand out due customers
 * from an index instead of every instance reading every customer.
 */
export function reconcileDueAt(schedule: Partial<ReconcileSchedule> | undefined, customer: Customer): string | undefined {
  const interval = intervalFor(schedule, customer.status);
  if (interval === undefined) return undefined;
  const base = customer.lastCheckedAt ?? customer.updatedAt;
  // Customers checked or changed in the same millisecond (a batch of polls, a burst of webhooks) share the
  // answer: the last one is remembered instead of parsing and formatting the same instant again.
  if (base === remembered.base && interval === remembered.interval && typeof base === 'string') return remembered.dueAt;
  const last = Date.parse(base);
  const dueAt = Number.isFinite(last) ? new Date(last + interval).toISOString() : undefined;
  remembered.base = base;
  remembered.interval = interval;
  remembered.dueAt = dueAt;
  return dueAt;
}

const remembered: { base: string | undefined; interval: number; dueAt: string | undefined } = { base: undefined, interval: Number.NaN, dueAt: undefined };

/** The schedule's interval for `status`: the client's when it names the status (even as `undefined`: never), else the default. */
export function intervalFor(schedule: Partial<ReconcileSchedule> | undefined, status: Customer['status']): number | undefined {
  return schedule !== undefined && status in schedule ? schedule[status] : DEFAULT_RECONCILE_SCHEDULE[status];
}
