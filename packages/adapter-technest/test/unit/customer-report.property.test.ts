import fc from 'fast-check';
import type { CustomerStatus, ProviderReport } from '@openkyc/core';
import { describe, expect, it } from 'vitest';
import { customerReport } from '../../src/map-customer-report.js';
import { mapTechnestRejection } from '../../src/map-technest-rejection.js';
import { technestCustomerSchema, type TechnestCustomer } from '../../src/technest-api.js';

/**
 * `customerReport` builds its report by assignment and answers documented statuses and the time to order by from
 * tables its ts-pattern matches filled once (reconcile maps one report per customer); the plain model is the rule
 * as documented, written out: optional keys absent, never `undefined`.
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
        status: fc.constantFrom('created', 'pending', 'verified', 'rejected', ' Verified ', 'PENDING', 'in_review', 'closed', ''),
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

/** The documented status (case and spaces ignored), else the furthest the record proves. */
function plainStatus(customer: TechnestCustomer): CustomerStatus {
  const normalized = customer.status.trim().toLowerCase();
  if (normalized === 'created' || normalized === 'pending' || normalized === 'verified' || normalized === 'rejected') return normalized;
  const verified = customer.verified_at === undefined ? undefined : Date.parse(customer.verified_at);
  const rejected = customer.rejected_at === undefined ? undefined : Date.parse(customer.rejected_at);
  if (rejected !== undefined && (verified === undefined || rejected >= verified)) return 'rejected';
  if (verified !== undefined) return 'verified';
  return customer.files.id_file !== undefined || customer.kyc_submitted_at !== undefined ? 'pending' : 'created';
}

function plainReport(customer: TechnestCustomer, options: { readonly withReference?: boolean }): ProviderReport {
  const status = plainStatus(customer);
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
