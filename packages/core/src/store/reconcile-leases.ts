import type { Customer } from '../models/customer.js';
import type { CustomerStatus } from '../models/customer-status.js';

/**
 * Row leases for `kyc.reconcile` across instances: a claim hands out due customers that no other instance
 * holds and leases them for a while, so several instances reconciling at once poll each due customer once.
 * A successful poll moves the customer's due time on (`StoreCommit.reconcileDueAt`) before its lease is
 * released, so no other instance finds it due again; an instance that dies mid-round frees its customers
 * when their leases expire.
 */
export interface ReconcileLeases {
  /**
   * Claims up to `limit` customers in `statuses` that are due at `dueAt` (or all of them with `all`) and not
   * leased, leases them for `leaseMs` by the store's own clock, and answers them, the longest-due first. A
   * customer without a stored due time (written before due times existed, or by a commit that gave none)
   * counts as due.
   */
  claimDue(claim: ReconcileClaim): Promise<readonly Customer[]>;
  /** Ends the leases on these customers (the round is done with them); unknown or unleased ids are ignored. */
  releaseLeases(customerIds: readonly string[]): Promise<void>;
}

/** What `ReconcileLeases.claimDue` takes. */
export interface ReconcileClaim {
  /** Only customers in these statuses (the polled ones). */
  readonly statuses: readonly CustomerStatus[];
  /** Due at or before this time (ISO 8601). */
  readonly dueAt: string;
  /** Every customer in `statuses`, due or not (still only unleased ones). */
  readonly all?: boolean;
  /** At most this many. */
  readonly limit: number;
  /** How long the claimed customers stay leased (milliseconds). */
  readonly leaseMs: number;
}
