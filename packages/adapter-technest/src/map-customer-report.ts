import type { CustomerStatus, ProviderReport, ProviderTextScrubber } from '@openkyc/core';
import { match } from 'ts-pattern';
import type { TechnestCustomer } from './technest-api.js';
import { mapTechnestRejection } from './map-technest-rejection.js';
import { mapTechnestStatus } from './map-technest-status.js';

/**
 * A Technest customer object → core's report. `occurredAt` is the provider's
 * own time for the reported status (always ISO 8601 with an offset):
 * `created_at` for created, `kyc_submitted_at` for pending (else `created_at`),
 * `verified_at` / `rejected_at` for the decisions. Absent when Technest sent no
 * readable time: core then uses the receipt time.
 */
export function customerReport(
  customer: TechnestCustomer,
  options: { readonly withReference?: boolean; readonly scrubber?: ProviderTextScrubber | undefined } = {},
): ProviderReport {
  const status = mapTechnestStatus(customer.status, {
    verifiedAt: customer.verified_at,
    rejectedAt: customer.rejected_at,
    verificationStarted: customer.files.id_file !== undefined || customer.kyc_submitted_at !== undefined,
  });
  const occurredAt = occurredAtFor(status, customer);
  return {
    providerCustomerId: customer.id,
    status,
    rawStatus: customer.status,
    ...(occurredAt === undefined ? {} : { occurredAt }),
    ...(status === 'rejected' ? { rejection: mapTechnestRejection(customer.rejection_reason, options.scrubber) } : {}),
    ...(options.withReference === true && customer.customer_reference !== undefined
      ? { providerReference: customer.customer_reference }
      : {}),
  };
}

function occurredAtFor(status: CustomerStatus, customer: TechnestCustomer): string | undefined {
  return match(status)
    .returnType<string | undefined>()
    .with('created', () => customer.created_at)
    // Without the acknowledgement, the record's creation: earlier than the true start of
    // review, so it never makes a later decision look stale (a receipt time could).
    .with('pending', () => customer.kyc_submitted_at ?? customer.created_at)
    .with('verified', () => customer.verified_at)
    .with('rejected', () => customer.rejected_at)
    // Technest has no such states; kept total for the type.
    .with('needs_info', 'active', 'deactivated', () => undefined)
    .exhaustive();
}
