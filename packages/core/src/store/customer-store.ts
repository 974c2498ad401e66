import type { Customer } from '../models/customer.js';
import type { CustomerStatus } from '../models/customer-status.js';
import type { KycEvent } from '../models/events.js';
import type { ReconcileLeases } from './reconcile-leases.js';
import type { WebhookInbox } from './webhook-inbox.js';
import type { EventLog } from './event-log.js';
import type { AuditTrail } from './audit-trail.js';

/**
 * Where customers, their events and processed webhook keys live. Async and
 * versioned: `commit` writes a customer change, the events it produced and the
 * dedupe key of the delivery that caused it together or not at all. A writer
 * that lost a race gets `version_conflict`, re-reads and re-applies.
 *
 * Every committed event also enters the store-wide event log (`EventLog`), which `kyc.consume` reads.
 *
 * Durable stores implement the same interface and pass
 * `describeStoreConformance` from `@openkyc/testkit`. The webhook inbox and the
 * reconcile leases (multi-instance operation) are part of the contract, and so is the audit trail of
 * operator actions (`AuditTrail`).
 */
export interface CustomerStore extends EventLog, WebhookInbox, ReconcileLeases, AuditTrail {
  /** The customer with this openkyc id. */
  get(customerId: string): Promise<Customer | undefined>;
  /** The customer with this platform reference. */
  findByReference(reference: string): Promise<Customer | undefined>;
  /** Matches the current record and earlier attempts' records. */
  findByProviderCustomerId(provider: string, providerCustomerId: string): Promise<Customer | undefined>;
  /** Whether a webhook with this dedupe key was already committed. */
  hasProcessed(provider: string, dedupeKey: string): Promise<boolean>;
  /**
   * What a webhook delivery needs before it applies, in one read: whether its dedupe key was already
   * committed (`hasProcessed`), and if not the customer with this provider record
   * (`findByProviderCustomerId`). A durable store answers both in one round trip.
   */
  lookupDelivery(provider: string, dedupeKey: string, providerCustomerId: string): Promise<DeliveryLookup>;
  /**
   * Writes a customer change, its events and a dedupe key atomically, or nothing (see {@link StoreCommit}).
   */
  commit(change: StoreCommit): Promise<CommitResult>;
  /** Every event of one customer, oldest first. */
  listEvents(customerId: string): Promise<readonly KycEvent[]>;
  /**
   * The webhook deliveries committed with a change of this customer (their dedupe keys, see
   * `StoreCommit.dedupe`), oldest first: what the operator console's timeline shows beside the events.
   */
  listDeliveries(customerId: string): Promise<readonly ProcessedDelivery[]>;
  /** Customers in the given statuses (all when omitted), in a stable order. */
  list(query?: StoreListQuery): AsyncIterable<Customer>;
  /**
   * Erases the customer's personal data in one write: `email`, `firstName` and `lastName` become `''`, the
   * provider's free text (`rejection.providerReason`) leaves the customer and its events, `forgottenAt` is
   * set and the version goes up by one (a writer that read before gets `version_conflict` and re-applies on
   * the erased record). Ids, statuses and timestamps stay, for audit. Answers the erased customer, or
   * `undefined` when there is none.
   */
  forget(customerId: string, forgottenAt: string): Promise<Customer | undefined>;
}

/** What `CustomerStore.lookupDelivery` answers. */
export type DeliveryLookup =
  | {
      /** The dedupe key was already committed: the delivery is a duplicate. */
      readonly processed: true;
    }
  | {
      /** Not yet committed. */
      readonly processed: false;
      /** The customer with the provider record (current or an earlier attempt's), if any. */
      readonly customer: Customer | undefined;
    };

/** A webhook delivery committed with a customer's change, as `CustomerStore.listDeliveries` answers it. */
export interface ProcessedDelivery {
  /** The provider id the delivery came from. */
  readonly provider: string;
  /** The delivery's dedupe key. */
  readonly dedupeKey: string;
  /** The customer whose change it was committed with. */
  readonly customerId: string;
  /** When the store committed it (ISO 8601, the store's clock). */
  readonly processedAt: string;
}

/** Filters for `CustomerStore.list`. */
export interface StoreListQuery {
  /** Only customers in these statuses (all when absent). */
  readonly statuses?: readonly CustomerStatus[];
  /** Only customers of this provider (all when absent). */
  readonly provider?: string;
}

/**
 * One atomic write: a customer change, the events it produced and the dedupe key of the delivery that caused
 * it.
 */
export interface StoreCommit {
  /**
   * The new state. For a new customer `version` is 1 and `expectedVersion` 0;
   * otherwise `version === expectedVersion + 1`. Omitted when a delivery only
   * needs its dedupe key recorded (e.g. an event for a customer we do not know).
   */
  readonly customer?: Customer;
  /**
   * The version the writer read; the commit fails with `version_conflict` unless it is still the stored one
   * (0 for a new customer).
   */
  readonly expectedVersion?: number;
  /** The events this change produced, appended to the customer's history. */
  readonly events?: readonly KycEvent[];
  /** The webhook delivery that caused the change, recorded as processed in the same write. */
  readonly dedupe?: {
    /** The provider id the delivery came from. */
    readonly provider: string;
    /** The delivery's dedupe key (from the adapter's `webhooks.parse`). */
    readonly key: string;
  };
  /**
   * When `kyc.reconcile` next polls `customer` (ISO 8601), computed by core from its schedule on every
   * commit; absent when its status is never polled or the writer is not core (the customer then counts
   * as due, see `ReconcileLeases.claimDue`).
   */
  readonly reconcileDueAt?: string;
}

/** What `CustomerStore.commit` answers: committed, or why nothing was. */
export type CommitResult =
  | {
      /** Everything in the commit was written. */
      readonly ok: true;
    }
  | {
      /** Nothing in the commit was written. */
      readonly ok: false;
      /**
       * `version_conflict`: another writer got there first (re-read and re-apply);
       * `duplicate_delivery`: the dedupe key was already committed;
       * `reference_taken`: another customer has this reference.
       */
      readonly reason: 'version_conflict' | 'duplicate_delivery' | 'reference_taken';
    };
