import type { Customer } from '../models/customer.js';
import type { CustomerStatus } from '../models/customer-status.js';
import type { ReconcileLeases } from './reconcile-leases.js';

/** What the memory leases read of the store: customers in some statuses with their due times, synchronously. */
export interface MemoryReconcileCandidates {
  /** The customers in `statuses`, in insertion order, with their stored due time. */
  inStatuses(statuses: ReadonlySet<string>): Iterable<{ readonly id: string; readonly dueAt: string | undefined }>;
  /** The customer, decoded. */
  read(id: string): Customer | undefined;
}

/**
 * memoryStore's reconcile leases: the claim picks and leases in one synchronous step (no await between
 * them), so concurrent `reconcile()` runs in this process never claim one customer twice; leases expire
 * by the wall clock, like a SQL store's.
 */
export function memoryReconcileLeases(candidates: MemoryReconcileCandidates, clock: () => number = Date.now): ReconcileLeases {
  /** customer id → lease expiry (ms since the epoch) */
  const leases = new Map<string, number>();

  return {
    async claimDue(claim) {
      const now = clock();
      const statuses = new Set<CustomerStatus>(claim.statuses);
      const due: { id: string; dueAt: string }[] = [];
      for (const { id, dueAt } of candidates.inStatuses(statuses)) {
        if ((leases.get(id) ?? 0) > now) continue;
        if (claim.all !== true && dueAt !== undefined && dueAt > claim.dueAt) continue;
        due.push({ id, dueAt: dueAt ?? '' });
      }
      // The longest-due first ('' sorts before every time: no due time counts as due since ever).
      due.sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0));
      const claimed: Customer[] = [];
      for (const { id } of due.slice(0, Math.max(0, claim.limit))) {
        const customer = candidates.read(id);
        if (customer === undefined) continue;
        leases.set(id, now + claim.leaseMs);
        claimed.push(customer);
      }
      return claimed;
    },
    async releaseLeases(customerIds) {
      for (const id of customerIds) leases.delete(id);
    },
  };
}
