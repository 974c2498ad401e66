import type { CustomerStatus } from './customer-status.js';
import type { Rejection, Requirement } from './requirement.js';

export type CustomerType = 'individual' | 'business';
export type EventSource = 'api' | 'webhook' | 'poll';

/** One provider record made for this customer. Rejected attempts stay, for audit. */
export interface CustomerAttempt {
  /** 1 for the first provider record, 2 for the first retry that needed a new one, … */
  readonly number: number;
  readonly providerCustomerId: string;
  /** The reference used at the provider (Technest: `user-123-r2` on the second attempt). */
  readonly providerReference: string;
  /** Last normalized status reported for this record. */
  readonly status: CustomerStatus;
  readonly rawStatus: string;
  readonly startedAt: string;
}

/** A report that changed nothing, kept (the last few) so operators can see why. */
export interface IgnoredReport {
  readonly at: string;
  readonly source: EventSource;
  readonly status: CustomerStatus;
  readonly rawStatus: string;
  readonly occurredAt: string;
  readonly reason: 'stale' | 'invalid_transition' | 'final_state' | 'superseded_attempt';
}

/** The normalized customer, as stored and as returned by every client method. */
export interface Customer {
  /** Ours; stable across retries and provider records. */
  readonly id: string;
  /** The platform's own id for this end-customer. */
  readonly reference: string;
  readonly type: CustomerType;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  /** Provider id; customers stay with the provider they were created at. */
  readonly provider: string;
  /** The provider record of the current attempt. */
  readonly providerCustomerId: string;
  readonly providerReference: string;
  readonly attempts: readonly CustomerAttempt[];
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
  readonly machineVersion: number;
  /** Provider time of the newest report applied: older reports are stale. */
  readonly lastReportAt?: string;
  /** When we last asked the provider (refresh / reconcile). */
  readonly lastCheckedAt?: string;
  /** When the customer entered `pending` (for escalation). */
  readonly pendingSince?: string;
  /** Set once `customer.review_overdue` was emitted for the current pending period. */
  readonly reviewOverdueAt?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly submittedAt?: string;
  readonly verifiedAt?: string;
  readonly activatedAt?: string;
  readonly rejectedAt?: string;
  readonly deactivatedAt?: string;
  /** The last few reports that changed nothing, newest last. */
  readonly ignored: readonly IgnoredReport[];
  /** How many events this customer has emitted; event ids derive from it. */
  readonly eventCount: number;
  /** Optimistic-concurrency version; every committed change adds one. */
  readonly version: number;
}
