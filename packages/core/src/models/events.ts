import type { CustomerStatus } from './customer-status.js';
import type { EventSource } from './customer.js';
import type { Rejection, Requirement } from './requirement.js';

interface KycEventBase<TType extends string> {
  /** Stable: the same transition always has the same id, so consumers can dedupe too. */
  readonly id: string;
  /** The event type, e.g. `customer.verified`. */
  readonly type: TType;
  /** openkyc's customer id (stable across provider records). */
  readonly customerId: string;
  /** Your reference for the customer. */
  readonly reference: string;
  /** The provider id. */
  readonly provider: string;
  /** The provider's record of the current attempt. */
  readonly providerCustomerId: string;
  /** `null` only on `customer.created`. */
  readonly from: CustomerStatus | null;
  /** The status after the transition (`pending` for `customer.review_overdue`). */
  readonly to: CustomerStatus;
  /** When openkyc applied it (ISO 8601). */
  readonly at: string;
  /** The provider's time of the report that caused it, when known. */
  readonly occurredAt?: string;
  /** What caused it: your call (`api`), a `webhook`, or `refresh` / `reconcile` (`poll`). */
  readonly source: EventSource;
  /**
   * The provider's own status value in the report that caused it, as the provider sent it (the raw value next to
   * the normalized `to`, like `Customer.rawStatus`). Absent on events no provider report caused
   * (`customer.review_overdue`) and on events stored before openkyc recorded it.
   */
  readonly providerStatus?: string;
}

/** `createCustomer` made the customer (`from` is `null`, `to` is `created`). */
export type CustomerCreatedEvent = KycEventBase<'customer.created'>;
/** The customer entered `pending`: a first submission, a resubmission or a retry. */
export type CustomerSubmittedEvent = KycEventBase<'customer.submitted'>;
/** The provider needs more information (`needs_info`). */
export interface CustomerNeedsInfoEvent extends KycEventBase<'customer.needs_info'> {
  /** What the end-user must provide, with end-user-safe messages. */
  readonly requirements: readonly Requirement[];
}
/** The identity was approved (`verified`). */
export interface CustomerVerifiedEvent extends KycEventBase<'customer.verified'> {
  /** The provider's verification level, where it has levels (e.g. `FULL` / `PARTIAL`). */
  readonly verificationLevel?: string;
}
/** The customer became usable at the provider (`active`). */
export type CustomerActivatedEvent = KycEventBase<'customer.activated'>;
/** The provider rejected the customer (`rejected`), possibly after approval. */
export interface CustomerRejectedEvent extends KycEventBase<'customer.rejected'> {
  /** Why, with an end-user-safe message and whether a retry can succeed. */
  readonly rejection: Rejection;
}
/** The customer was closed or withdrawn at the provider (`deactivated`, final). */
export type CustomerDeactivatedEvent = KycEventBase<'customer.deactivated'>;
/**
 * `reconcile` found the customer `pending` past one of the provider's escalation levels; emitted once per
 * level per pending period (`from` and `to` are `pending`).
 */
export interface CustomerReviewOverdueEvent extends KycEventBase<'customer.review_overdue'> {
  /** When the current pending period started (ISO 8601). */
  readonly pendingSince: string;
  /** The escalation time of this level that was exceeded. */
  readonly escalateAfterMs: number;
  /** The escalation level reached: 1 for the first (`escalateAfterMs`), 2 for the next, … */
  readonly level: number;
  /** What the provider documents doing at this level (e.g. `'contact_operations'`, `'contact_support'`). */
  readonly action: string;
}

/** Every event openkyc emits; narrow on `type`. */
export type KycEvent =
  | CustomerCreatedEvent
  | CustomerSubmittedEvent
  | CustomerNeedsInfoEvent
  | CustomerVerifiedEvent
  | CustomerActivatedEvent
  | CustomerRejectedEvent
  | CustomerDeactivatedEvent
  | CustomerReviewOverdueEvent;

/** The `type` of every event. */
export type KycEventType = KycEvent['type'];
/** The event with the given `type`. */
export type KycEventOf<T extends KycEventType> = Extract<KycEvent, { type: T }>;

/** Every event type, in lifecycle order. */
export const KYC_EVENT_TYPES = [
  'customer.created',
  'customer.submitted',
  'customer.needs_info',
  'customer.verified',
  'customer.activated',
  'customer.rejected',
  'customer.deactivated',
  'customer.review_overdue',
] as const satisfies readonly KycEventType[];

/** The event a transition into `status` emits. */
export const EVENT_TYPE_FOR_STATUS = {
  /** Only on creation. */
  created: 'customer.created',
  /** Submission, resubmission, retry. */
  pending: 'customer.submitted',
  /** More information requested. */
  needs_info: 'customer.needs_info',
  /** Identity approved. */
  verified: 'customer.verified',
  /** Usable at the provider. */
  active: 'customer.activated',
  /** Rejected, before or after approval. */
  rejected: 'customer.rejected',
  /** Closed or withdrawn. */
  deactivated: 'customer.deactivated',
} as const satisfies Record<CustomerStatus, KycEventType>;
