import type { Customer } from '../../src/models/customer.js';
import type { CustomerStatus } from '../../src/models/customer-status.js';

/**
 * A stored customer with one provider record (`rec_1`) in `status`, for tests of the pure report
 * application; `overrides` replaces any field.
 */
export function customerFixture(status: CustomerStatus, at: string, overrides: Partial<Customer> = {}): Customer {
  return {
    id: 'cus_1',
    reference: 'user-1',
    type: 'individual',
    email: 'a@b.co',
    firstName: 'A',
    lastName: 'B',
    provider: 'p',
    providerCustomerId: 'rec_1',
    providerReference: 'user-1',
    attempts: [{ number: 1, providerCustomerId: 'rec_1', providerReference: 'user-1', status, rawStatus: status, startedAt: at }],
    status,
    rawStatus: status,
    requirements: [],
    submissions: 1,
    machineVersion: 1,
    createdAt: at,
    updatedAt: at,
    ignored: [],
    eventCount: 1,
    version: 1,
    ...overrides,
  };
}
