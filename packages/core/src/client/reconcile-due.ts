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
  const lastText = customer.lastCheckedAt ?? customer.updatedAt;
  // Every customer a reconcile run polls has the same last check (the run's time): one entry saves a
  // Date.parse and a toISOString per commit there, and costs one comparison elsewhere.
  if (lastText === memo.text && interval === memo.interval) return memo.dueAt;
  const last = Date.parse(lastText);
  const dueAt = Number.isFinite(last) ? new Date(last + interval).toISOString() : undefined;
  memo = { text: lastText, interval, dueAt };
  return dueAt;
}

/** The last answer of `reconcileDueAt` (a pure function of the last check's text and the interval). */
let memo: { readonly text: string | undefined; readonly interval: number; readonly dueAt: string | undefined } = {
  text: undefined,
  interval: Number.NaN,
  dueAt: undefined,
};

/** The schedule's interval for `status`: the client's when it names the status (even as `undefined`: never), else the default. */
export function intervalFor(schedule: Partial<ReconcileSchedule> | undefined, status: Customer['status']): number | undefined {
  return schedule !== undefined && status in schedule ? schedule[status] : DEFAULT_RECONCILE_SCHEDULE[status];
}
