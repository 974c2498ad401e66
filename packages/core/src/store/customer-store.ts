import type { Customer } from '../models/customer.js';
import type { CustomerStatus } from '../models/customer-status.js';
import type { KycEvent } from '../models/events.js';

/**
 * Where customers, their events and processed webhook keys live. Async and
 * versioned: `commit` writes a customer change, the events it produced and the
 * dedupe key of the delivery that caused it together or not at all. A writer
 * that lost a race gets `version_conflict`, re-reads and re-applies.
 *
 * Durable stores implement the same interface and pass
 * `describeStoreConformance` from `@openkyc/testkit`.
 */
export interface CustomerStore {
  get(customerId: string): Promise<Customer | undefined>;
  findByReference(reference: string): Promise<Customer | undefined>;
  /** Matches the current record and earlier attempts' records. */
  findByProviderCustomerId(provider: string, providerCustomerId: string): Promise<Customer | undefined>;
  /** Whether a webhook with this dedupe key was already committed. */
  hasProcessed(provider: string, dedupeKey: string): Promise<boolean>;
  commit(change: StoreCommit): Promise<CommitResult>;
  /** Every event of one customer, oldest first. */
  listEvents(customerId: string): Promise<readonly KycEvent[]>;
  /** Customers in the given statuses (all when omitted), in a stable order. */
  list(query?: StoreListQuery): AsyncIterable<Customer>;
}

export interface StoreListQuery {
  readonly statuses?: readonly CustomerStatus[];
  readonly provider?: string;
}

export interface StoreCommit {
  /**
   * The new state. For a new customer `version` is 1 and `expectedVersion` 0;
   * otherwise `version === expectedVersion + 1`. Omitted when a delivery only
   * needs its dedupe key recorded (e.g. an event for a customer we do not know).
   */
  readonly customer?: Customer;
  readonly expectedVersion?: number;
  readonly events?: readonly KycEvent[];
  readonly dedupe?: { readonly provider: string; readonly key: string };
}

export type CommitResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'version_conflict' | 'duplicate_delivery' | 'reference_taken' };
