import type { CustomerStatus } from './customer-status.js';
import type { Rejection, Requirement } from './requirement.js';

/**
 * The kind of end-customer. The shipped adapters verify individuals only (businesses go through each
 * provider's separate KYB flow).
 */
export type CustomerType = 'individual' | 'business';
/**
 * What caused a change: your call (`api`), a provider webhook (`webhook`), or `refresh` / `reconcile`
 * (`poll`).
 */
export type EventSource = 'api' | 'webhook' | 'poll';

/** One provider record made for this customer. Rejected attempts stay, for audit. */
export interface CustomerAttempt {
  /** 1 for the first provider record, 2 for the first retry that needed a new one, … */
  readonly number: number;
  /** The provider's id of this record. */
  readonly providerCustomerId: string;
  /** The reference used at the provider (Technest: `user-123-r2` on the second attempt). */
  readonly providerReference: string;
  /** Last normalized status reported for this record. */
  readonly status: CustomerStatus;
  /** The provider's own status of this record. */
  readonly rawStatus: string;
  /** When this record was created (ISO 8601). */
  readonly startedAt: string;
}

/** A report that changed nothing, kept (the last few) so operators can see why. */
export interface IgnoredReport {
  /** When openkyc received the report (ISO 8601). */
  readonly at: string;
  /** Where the report came from. */
  readonly source: EventSource;
  /** The status the report named. */
  readonly status: CustomerStatus;
  /** The provider's own status in the report. */
  readonly rawStatus: string;
  /** The provider's time of the report (ISO 8601), or the receipt time. */
  readonly occurredAt: string;
  /**
   * `stale`: older than the last report applied; `invalid_transition`: the lifecycle has no way there from
   * the current status; `final_state`: the customer is deactivated; `superseded_attempt`: about an earlier
   * attempt's record.
   */
  readonly reason: 'stale' | 'invalid_transition' | 'final_state' | 'superseded_attempt';
}

/** The normalized customer, as stored and as returned by every client method. */
export interface Customer {
  /** Ours; stable across retries and provider records. */
  readonly id: string;
  /** The platform's own id for this end-customer. */
  readonly reference: string;
  /** Individual or business. */
  readonly type: CustomerType;
  /** As given to `createCustomer`. */
  readonly email: string;
  /** As given to `createCustomer`. */
  readonly firstName: string;
  /** As given to `createCustomer`. */
  readonly lastName: string;
  /** Provider id; customers stay with the provider they were created at. */
  readonly provider: string;
  /** The provider record of the current attempt. */
  readonly providerCustomerId: string;
  /** The reference used at the provider for the current record (Technest retries: `<reference>-r2`…). */
  readonly providerReference: string;
  /** Every provider record made for this customer, oldest first, rejected ones included (for audit). */
  readonly attempts: readonly CustomerAttempt[];
  /** The normalized lifecycle status. */
  readonly status: CustomerStatus;
  /** The provider's own status for the current attempt. */
  readonly rawStatus: string;
  /** What the end-user must provide, while `needs_info`. */
  readonly requirements: readonly Requirement[];
  /** Why the provider said no, while `rejected` (and kept after, until the next rejection or approval). */
  readonly rejection?: Rejection;
  /** E.g. `'FULL'` / `'PARTIAL'` where the provider has levels. */
  readonly verificationLevel?: string;
  /** How many times `submit` reached the provider. */
  readonly submissions: number;
  /**
   * Version of the lifecycle graph this customer's status was computed with (see `migrateLifecycleSnapshot`).
   */
  readonly machineVersion: number;
  /**
   * Time of the current state (docs/lifecycle-ordering.md): a webhook's provider time (capped at its receipt),
   * or when we last read the provider. Webhooks not newer than it are stale.
   */
  readonly lastReportAt?: string;
  /** Our clock: when the newest applied or confirming report reached us. Polls started before it are stale. */
  readonly lastReceivedAt?: string;
  /** When we last asked the provider (refresh / reconcile). */
  readonly lastCheckedAt?: string;
  /** When the customer entered `pending` (for escalation). */
  readonly pendingSince?: string;
  /** When `customer.review_overdue` was last emitted for the current pending period. */
  readonly reviewOverdueAt?: string;
  /** The highest escalation level emitted for the current pending period (absent: none, or 1 when `reviewOverdueAt` is set). */
  readonly reviewOverdueLevel?: number;
  /** When the customer was created (ISO 8601). */
  readonly createdAt: string;
  /** When the stored record last changed (ISO 8601). */
  readonly updatedAt: string;
  /** When the customer last entered `pending` (ISO 8601). */
  readonly submittedAt?: string;
  /** When the customer last became `verified` (ISO 8601). */
  readonly verifiedAt?: string;
  /** When the customer became `active` (ISO 8601). */
  readonly activatedAt?: string;
  /** When the customer was last rejected (ISO 8601). */
  readonly rejectedAt?: string;
  /** When the customer was deactivated (ISO 8601). */
  readonly deactivatedAt?: string;
  /**
   * When `kyc.forgetCustomer` erased the customer's personal data (ISO 8601): `email`, `firstName` and
   * `lastName` are empty since, and provider free text is gone from the customer and its events.
   */
  readonly forgottenAt?: string;
  /** The last few reports that changed nothing, newest last. */
  readonly ignored: readonly IgnoredReport[];
  /** How many events this customer has emitted; event ids derive from it. */
  readonly eventCount: number;
  /** Optimistic-concurrency version; every committed change adds one. */
  readonly version: number;
}
