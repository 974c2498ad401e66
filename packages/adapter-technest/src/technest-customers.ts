import { ProviderError } from '@openkyc/core';
import type { TechnestApi, TechnestCustomer } from './technest-api.js';
import type { TechnestCall } from './technest-call.js';
import { envelopeOf, technestErrorCode } from './technest-errors.js';

/**
 * Creating a Technest customer, safely repeatable. `customer_reference` is
 * unique per platform (rejected records included), so a repeat — after a
 * timeout, a crash, or the HTTP toolkit's own retry — gets 409
 * `customer_reference_taken` with `existing_customer_id`. That record is
 * adopted when it is ours: same e-mail (case-insensitive) and same type.
 * Otherwise the reference belongs to another customer, and creating fails
 * with a clear, non-retryable error.
 */
export interface NewCustomer {
  readonly reference: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
}

export interface CustomerDependencies {
  readonly provider: string;
  readonly api: TechnestApi;
}

export async function createOrAdoptCustomer(deps: CustomerDependencies, input: NewCustomer, call: TechnestCall): Promise<TechnestCustomer> {
  try {
    return await deps.api.createCustomer(
      {
        type: 'individual',
        customer_reference: input.reference,
        email: input.email,
        first_name: input.firstName,
        last_name: input.lastName,
      },
      call,
    );
  } catch (error) {
    if (technestErrorCode(error) !== 'customer_reference_taken') throw error;
    const existing = await findExisting(deps, input.reference, envelopeOf(error)?.existingCustomerId, call);
    if (existing === undefined || !isOurs(existing, input)) {
      throw new ProviderError(
        `${deps.provider} already has a customer with this customer_reference (409 customer_reference_taken) and it belongs to another customer (a different e-mail address or customer type): it was not adopted. Use a reference that is unique to this end-customer.`,
        { provider: deps.provider, status: 409, providerCode: 'customer_reference_taken', retryable: false, cause: error },
      );
    }
    call.logger.info(
      { provider: deps.provider, providerCustomerId: existing.id, rawStatus: existing.status },
      'customer_reference already taken by our own earlier request; adopted the existing customer',
    );
    return existing;
  }
}

async function findExisting(
  deps: CustomerDependencies,
  reference: string,
  existingId: string | undefined,
  call: TechnestCall,
): Promise<TechnestCustomer | undefined> {
  if (existingId !== undefined) return deps.api.getCustomer(existingId, call);
  // The 409 should name the record; when it does not, look it up by reference.
  const matches = await deps.api.findCustomersByReference(reference, call);
  return matches.find((customer) => customer.customer_reference === reference);
}

function isOurs(existing: TechnestCustomer, input: NewCustomer): boolean {
  if (existing.email === undefined) return false;
  if (existing.email.trim().toLowerCase() !== input.email.trim().toLowerCase()) return false;
  return existing.type === undefined || existing.type === 'individual';
}
