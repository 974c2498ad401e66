import { ValidationError } from '../errors.js';
import type { Customer } from '../models/customer.js';
import type { CustomerStatus } from '../models/customer-status.js';
import type { CustomerStore } from '../store/customer-store.js';

/** What `kyc.listCustomers` takes; every field is optional. */
export interface ListCustomersQuery {
  /** Only customers in this status, or in any of these statuses (all when absent). */
  readonly status?: CustomerStatus | readonly CustomerStatus[];
  /** Only customers of this provider id (all when absent). */
  readonly provider?: string;
  /** At most this many customers per page: an integer from 1 to {@link MAX_CUSTOMER_PAGE_SIZE}; default 50. */
  readonly limit?: number;
  /** The `next` cursor of the previous page; absent for the first page. */
  readonly after?: string;
}

/** One page of `kyc.listCustomers`. */
export interface CustomerPage {
  /** The customers of this page, in the store's stable order. */
  readonly customers: readonly Customer[];
  /** Pass it as `after` for the next page; absent on the last page. Opaque: do not parse it. */
  readonly next?: string;
}

/** The largest page `kyc.listCustomers` answers. */
export const MAX_CUSTOMER_PAGE_SIZE = 500;
const DEFAULT_PAGE_SIZE = 50;

/**
 * One page of customers, filtered by status and provider, in the store's stable order (`CustomerStore.list`).
 * The cursor is the id of the page's last customer: a later page starts right after it even when that
 * customer's status changed in between. Throws `ValidationError` for a bad `limit`.
 */
export async function listCustomers(store: CustomerStore, query: ListCustomersQuery = {}): Promise<CustomerPage> {
  const limit = pageSize(query.limit);
  const statuses = query.status === undefined ? undefined : typeof query.status === 'string' ? [query.status as CustomerStatus] : query.status;
  const matches = (customer: Customer): boolean =>
    (statuses === undefined || statuses.includes(customer.status)) && (query.provider === undefined || customer.provider === query.provider);

  // Without a cursor the store filters; with one, the scan runs unfiltered so the cursor's customer is found
  // even when it no longer matches (the store has no keyset read by id yet).
  const source =
    query.after === undefined
      ? store.list({ ...(statuses === undefined ? {} : { statuses }), ...(query.provider === undefined ? {} : { provider: query.provider }) })
      : store.list();
  const customers: Customer[] = [];
  let passedCursor = query.after === undefined;
  for await (const customer of source) {
    if (!passedCursor) {
      passedCursor = customer.id === query.after;
      continue;
    }
    if (!matches(customer)) continue;
    if (customers.length === limit) return { customers, next: customers.at(-1)!.id };
    customers.push(customer);
  }
  return { customers };
}

function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CUSTOMER_PAGE_SIZE) {
    throw new ValidationError([
      { path: ['limit'], code: 'invalid_limit', message: `must be an integer from 1 to ${MAX_CUSTOMER_PAGE_SIZE}` },
    ]);
  }
  return limit;
}
