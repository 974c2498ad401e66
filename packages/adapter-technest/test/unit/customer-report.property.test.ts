import fc from 'fast-check';
import type { ProviderReport } from '@openkyc/core';
import { describe, expect, it } from 'vitest';
import { customerReport } from '../../src/map-customer-report.js';
import { mapTechnestRejection } from '../../src/map-technest-rejection.js';
import { mapTechnestStatus } from '../../src/map-technest-status.js';
import { technestCustomerSchema, type TechnestCustomer } from '../../src/technest-api.js';

/**
 * `customerReport` builds its report by assignment (reconcile maps one per customer); the plain model is the
 * rule as written with conditional spreads: optional keys absent, never `undefined`.
 */
describe('customerReport', () => {
  it('equals the plain model for any customer Technest may send, key for key', () => {
    const maybeTime = fc.option(
      fc.oneof(
        fc.constantFrom('2026-05-05T12:34:56Z', '2026-05-05T14:34:56+02:00', '2026-05-06T00:00:00.123456', 'yesterday', ''),
        fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
      ),
      { nil: undefined },
    );
    const raw = fc.record(
      {
        id: fc.constantFrom('ckcust_1', 'ckcust_2'),
        status: fc.constantFrom('created', 'pending', 'verified', 'rejected', ' Verified ', 'in_review', 'closed'),
        customer_reference: fc.option(fc.constantFrom('ref-1', ''), { nil: undefined }),
        created_at: maybeTime,
        kyc_submitted_at: maybeTime,
        verified_at: maybeTime,
        rejected_at: maybeTime,
        rejection_reason: fc.option(fc.constantFrom('document_expired', 'fraud_suspected', 'something_new', ''), { nil: undefined }),
        files: fc.option(fc.record({ id_file: fc.option(fc.constantFrom('file_1', ''), { nil: undefined }) }, { requiredKeys: [] }), { nil: null }),
      },
      { requiredKeys: ['id', 'status'] },
    );
    fc.assert(
      fc.property(raw, fc.boolean(), fc.boolean(), (body, withReference, passOptions) => {
        const customer = technestCustomerSchema().parse(body);
        const options = passOptions ? { withReference } : undefined;
        expect(customerReport(customer, options)).toStrictEqual(plainReport(customer, options ?? {}));
      }),
      { numRuns: 500 },
    );
  });
});

function plainReport(customer: TechnestCustomer, options: { readonly withReference?: boolean }): ProviderReport {
  const status = mapTechnestStatus(customer.status, {
    verifiedAt: customer.verified_at,
    rejectedAt: customer.rejected_at,
    verificationStarted: customer.files.id_file !== undefined || customer.kyc_submitted_at !== undefined,
  });
  const occurredAt =
    status === 'created'
      ? customer.created_at
      : status === 'pending'
        ? (customer.kyc_submitted_at ?? customer.created_at)
        : status === 'verified'
          ? customer.verified_at
          : status === 'rejected'
            ? customer.rejected_at
            : undefined;
  return {
    providerCustomerId: customer.id,
    status,
    rawStatus: customer.status,
    ...(occurredAt === undefined ? {} : { occurredAt }),
    ...(status === 'rejected' ? { rejection: mapTechnestRejection(customer.rejection_reason, undefined) } : {}),
    ...(options.withReference === true && customer.customer_reference !== undefined ? { providerReference: customer.customer_reference } : {}),
  };
}
