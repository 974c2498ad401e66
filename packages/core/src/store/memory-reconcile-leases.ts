import type { Customer } from '../models/customer.js';
import type { CustomerStatus } from '../models/customer-status.js';
import type { ReconcileLeases } from './reconcile-leases.js';

/** What the memory leases read of the store: customers in some statuses with their due times, synchronously. */
export interface MemoryReconcileCandidates {
  /** Calls `visit` for each customer in `statuses`, in insertion order, with its stored due time. */
  forEachInStatuses(statuses: ReadonlySet<string>, visit: (id: string, dueAt: string | undefined) => void): void;
  /** The customer, decoded. */
  read(id: string): Customer | undefined;
}

/**
 * memoryStore's reconcile leases: the claim picks and leases in one synchronous step (no await between
 * them), so concurrent `reconcile()` runs in this process never claim one customer twice; leases expire
 * by the wall clock, like a SQL store's.
 *
 * A claim visits every candidate once and keeps only the `limit` longest-due (a bounded sorted window,
 * ties in insertion order), so a run over N customers in pages of k costs O(N) per page, not a sort of
 * every due customer per page; only the claimed customers are decoded.
 */
export function memoryReconcileLeases(candidates: MemoryReconcileCandidates, clock: () => number = Date.now): ReconcileLeases {
  /** customer id → lease expiry (ms since the epoch) */
  const leases = new Map<string, number>();

  return {
    async claimDue(claim) {
      const now = clock();
      const limit = Math.max(0, Math.floor(claim.limit));
      if (limit === 0) return [];
      const statuses = new Set<CustomerStatus>(claim.statuses);
      const window = new DueWindow(limit);
      candidates.forEachInStatuses(statuses, (id, dueAt) => {
        const leasedUntil = leases.get(id);
        if (leasedUntil !== undefined && leasedUntil > now) return;
        if (claim.all !== true && dueAt !== undefined && dueAt > claim.dueAt) return;
        window.offer(id, dueAt ?? '');
      });
      const claimed: Customer[] = [];
      const until = now + claim.leaseMs;
      for (const id of window.ids) {
        const customer = candidates.read(id);
        if (customer === undefined) continue;
        leases.set(id, until);
        claimed.push(customer);
      }
      return claimed;
    },
    async releaseLeases(customerIds) {
      for (const id of customerIds) leases.delete(id);
    },
  };
}

/**
 * The `limit` smallest due times offered so far, ascending; equal due times keep the order they were
 * offered in ('' sorts before every time: no due time counts as due since ever).
 */
class DueWindow {
  readonly ids: string[] = [];
  readonly #dueAts: string[] = [];
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  offer(id: string, dueAt: string): void {
    const dueAts = this.#dueAts;
    const full = dueAts.length >= this.#limit;
    // Not earlier than the latest kept: it stays out when full, and goes last otherwise (the common case
    // when most customers share a due time or none has one).
    if (dueAts.length === 0 || dueAt >= dueAts[dueAts.length - 1]!) {
      if (full) return;
      dueAts.push(dueAt);
      this.ids.push(id);
      return;
    }
    // After every kept one due at the same time or earlier (binary search for the upper bound).
    let low = 0;
    let high = dueAts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (dueAts[middle]! <= dueAt) low = middle + 1;
      else high = middle;
    }
    dueAts.splice(low, 0, dueAt);
    this.ids.splice(low, 0, id);
    if (full) {
      dueAts.pop();
      this.ids.pop();
    }
  }
}
