import type { Customer, EventSource } from '../../models/customer.js';
import { applyReportWithRetry, callContext, mustGetCustomer, providerById, type KycContext } from '../kyc-context.js';

/**
 * `kyc.refresh` (and each customer of `reconcile`): reads the provider's current state and applies what
 * changed. The answer is an observation ordered by when we asked (docs/lifecycle-ordering.md).
 * `checkedAt` is recorded as the last check (reconcile passes its run time, formatted once per run).
 */
export async function refreshCustomer(
  ctx: KycContext,
  customerId: string,
  source: EventSource,
  /** ISO 8601 (`toISOString`); default: the client's clock after the provider answered. */
  checkedAt?: string,
  /** The customer as the caller just read it (reconcile's listing): saves a read; a stale one is re-read on commit. */
  known?: Customer,
): Promise<Customer> {
  const customer = known ?? (await mustGetCustomer(ctx, customerId));
  const provider = providerById(ctx, customer.provider);
  const askedAt = ctx.now();
  const report = await provider.fetch(
    { customerId: customer.id, providerCustomerId: customer.providerCustomerId, providerReference: customer.providerReference },
    callContext(ctx, provider, 'fetch', `fetch:${customer.id}`),
  );
  const lastCheckedAt = checkedAt ?? ctx.now().toISOString();
  // The customer read before the call is the first `latest`: if anything changed it
  // meanwhile, the versioned commit fails and the change is re-read and re-applied.
  // `return await`: resolving this async function with a promise would cost two more ticks per refresh.
  return await applyReportWithRetry(
    ctx,
    customerId,
    report,
    source === 'api' ? 'poll' : source,
    askedAt,
    (next) => {
      // `next` is the copy applyProviderReport made for this commit, seen by nothing else yet: the
      // check time goes on it instead of onto a second copy of the whole customer.
      (next as { lastCheckedAt?: string }).lastCheckedAt = lastCheckedAt;
      return next;
    },
    customer,
  );
}
