import { CUSTOMER_STATUSES, type CustomerStatus } from '../models/customer-status.js';
import type { Customer } from '../models/customer.js';
import type { KycProvider } from '../provider/kyc-provider.js';
import type { CustomerStore } from '../store/customer-store.js';
import { escalationsOf } from './review-overdue.js';

/** What `kyc.countCustomers` takes. */
export interface CountCustomersOptions {
  /** The time reviews are judged overdue at; default the client's clock. */
  readonly now?: Date;
}

/** What `kyc.countCustomers` answers: the numbers an operator overview shows. */
export interface CustomerCounts {
  /** Every customer in the store. */
  readonly total: number;
  /** Customers per normalized status; every status is present (0 when none). */
  readonly byStatus: Readonly<Record<CustomerStatus, number>>;
  /** Customers per provider id (only providers that have customers). */
  readonly byProvider: Readonly<Record<string, number>>;
  /**
   * `pending` customers waiting longer than their provider's first escalation time (or already flagged by a
   * `customer.review_overdue` event when the provider is no longer configured).
   */
  readonly reviewsOverdue: number;
}

/**
 * Counts every customer by status and provider, and the pending reviews that are overdue. Reads each customer
 * once (`CustomerStore.list`): meant for an operator page, not for a request hot path.
 */
export async function countCustomers(
  store: CustomerStore,
  providers: ReadonlyMap<string, KycProvider>,
  now: Date,
): Promise<CustomerCounts> {
  const byStatus = Object.fromEntries(CUSTOMER_STATUSES.map((status) => [status, 0])) as Record<CustomerStatus, number>;
  const byProvider: Record<string, number> = {};
  let total = 0;
  let reviewsOverdue = 0;
  for await (const customer of store.list()) {
    total++;
    byStatus[customer.status]++;
    byProvider[customer.provider] = (byProvider[customer.provider] ?? 0) + 1;
    if (isReviewOverdue(customer, providers.get(customer.provider), now)) reviewsOverdue++;
  }
  return { total, byStatus, byProvider, reviewsOverdue };
}

function isReviewOverdue(customer: Customer, provider: KycProvider | undefined, now: Date): boolean {
  if (customer.status !== 'pending') return false;
  if (provider === undefined || customer.pendingSince === undefined) return customer.reviewOverdueAt !== undefined;
  const firstEscalationMs = escalationsOf(provider.capabilities)[0]?.afterMs ?? Number.POSITIVE_INFINITY;
  return now.getTime() - Date.parse(customer.pendingSince) >= firstEscalationMs;
}
