import type { CustomerStatus } from './customer-status.js';
import type { EventSource } from './customer.js';
import type { Rejection, Requirement } from './requirement.js';

interface KycEventBase<TType extends string> {
  /** Stable: the same transition always has the same id, so consumers can dedupe too. */
  readonly id: string;
  readonly type: TType;
  readonly customerId: string;
  readonly reference: string;
  readonly provider: string;
  readonly providerCustomerId: string;
  /** `null` only on `customer.created`. */
  readonly from: CustomerStatus | null;
  readonly to: CustomerStatus;
  /** When openkyc applied it (ISO 8601). */
  readonly at: string;
  /** The provider's time of the report that caused it, when known. */
  readonly occurredAt?: string;
  readonly source: EventSource;
}

export type CustomerCreatedEvent = KycEventBase<'customer.created'>;
export type CustomerSubmittedEvent = KycEventBase<'customer.submitted'>;
export interface CustomerNeedsInfoEvent extends KycEventBase<'customer.needs_info'> {
  readonly requirements: readonly Requirement[];
}
export interface CustomerVerifiedEvent extends KycEventBase<'customer.verified'> {
  readonly verificationLevel?: string;
}
export type CustomerActivatedEvent = KycEventBase<'customer.activated'>;
export interface CustomerRejectedEvent extends KycEventBase<'customer.rejected'> {
  readonly rejection: Rejection;
}
export type CustomerDeactivatedEvent = KycEventBase<'customer.deactivated'>;
export interface CustomerReviewOverdueEvent extends KycEventBase<'customer.review_overdue'> {
  readonly pendingSince: string;
  readonly escalateAfterMs: number;
}

export type KycEvent =
  | CustomerCreatedEvent
  | CustomerSubmittedEvent
  | CustomerNeedsInfoEvent
  | CustomerVerifiedEvent
  | CustomerActivatedEvent
  | CustomerRejectedEvent
  | CustomerDeactivatedEvent
  | CustomerReviewOverdueEvent;

export type KycEventType = KycEvent['type'];
export type KycEventOf<T extends KycEventType> = Extract<KycEvent, { type: T }>;

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
  created: 'customer.created',
  pending: 'customer.submitted',
  needs_info: 'customer.needs_info',
  verified: 'customer.verified',
  active: 'customer.activated',
  rejected: 'customer.rejected',
  deactivated: 'customer.deactivated',
} as const satisfies Record<CustomerStatus, KycEventType>;
