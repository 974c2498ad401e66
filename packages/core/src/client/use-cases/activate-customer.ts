import { InvalidStateError } from '../../errors.js';
import type { Customer } from '../../models/customer.js';
import { applyReportWithRetry, callContext, mustGetCustomer, providerById, type KycContext } from '../kyc-context.js';

/** `kyc.activate`: where the provider's activation is `'explicit'`, activates a verified customer. */
export function activateCustomer(ctx: KycContext, customerId: string): Promise<Customer> {
  return ctx.customerLock.run(customerId, async () => {
    const customer = await mustGetCustomer(ctx, customerId);
    const provider = providerById(ctx, customer.provider);
    if (provider.capabilities.activation !== 'explicit' || provider.activate === undefined) {
      throw new InvalidStateError(
        'activate',
        customer.status,
        `${provider.id} has activation '${provider.capabilities.activation}': there is nothing to call`,
      );
    }
    if (customer.status === 'active') return customer;
    if (customer.status !== 'verified') {
      throw new InvalidStateError('activate', customer.status, 'only verified customers can be activated');
    }
    const askedAt = ctx.now();
    const report = await provider.activate(
      { customerId: customer.id, providerCustomerId: customer.providerCustomerId, providerReference: customer.providerReference },
      callContext(ctx, provider, 'activate', `activate:${customer.id}`),
    );
    return applyReportWithRetry(ctx, customerId, report, 'api', askedAt);
  });
}
