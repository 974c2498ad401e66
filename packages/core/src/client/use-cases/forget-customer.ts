import type { Customer } from '../../models/customer.js';
import { NotFoundError } from '../../errors.js';
import type { KycContext } from '../kyc-context.js';

/**
 * `kyc.forgetCustomer`: the store erases the customer's personal data in one
 * versioned write (so a concurrent change re-applies on the erased record and
 * cannot bring the names back). Logged by id only.
 */
export async function forgetCustomer(ctx: KycContext, customerId: string): Promise<Customer> {
  const forgottenAt = ctx.now().toISOString();
  const forgotten = await ctx.store.forget(customerId, forgottenAt);
  if (forgotten === undefined) {
    throw new NotFoundError(`No customer '${customerId}' in the store; check the id (createCustomer returns it).`);
  }
  ctx.logger.info({ customerId, forgottenAt }, 'customer personal data forgotten');
  return forgotten;
}
