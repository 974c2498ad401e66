import { CUSTOMER_STATUSES, type CustomerStatus, type ProviderReport, type ProviderTextScrubber } from '@openkyc/core';
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
  options: { readonly withReference?: boolean; readonly scrubber?: ProviderTextScrubber | undefined } = NO_OPTIONS,
): ProviderReport {
  const status = mapTechnestStatus(customer.status, {
    verifiedAt: customer.verified_at,
    rejectedAt: customer.rejected_at,
    verificationStarted: customer.files.id_file !== undefined || customer.kyc_submitted_at !== undefined,
  });
  const occurredAt = occurredAtFor(status, customer);
  // Optional keys are added only when present (absent, not `undefined`), by assignment: three conditional
  // spreads cost an object and a copy each on every poll (reconcile maps one report per customer).
  const report: { -readonly [K in keyof ProviderReport]: ProviderReport[K] } = {
    providerCustomerId: customer.id,
    status,
    rawStatus: customer.status,
  };
  if (occurredAt !== undefined) report.occurredAt = occurredAt;
  if (status === 'rejected') report.rejection = mapTechnestRejection(customer.rejection_reason, options.scrubber);
  if (options.withReference === true && customer.customer_reference !== undefined) report.providerReference = customer.customer_reference;
  return report;
}

const NO_OPTIONS: { readonly withReference?: boolean; readonly scrubber?: ProviderTextScrubber | undefined } = {};

function occurredAtFor(status: CustomerStatus, customer: TechnestCustomer): string | undefined {
  // The match runs once per status (building it per report cost more than the rest of the mapping).
  return (occurredAtReaders ??= new Map(CUSTOMER_STATUSES.map((each) => [each, occurredAtReaderFor(each)]))).get(status)!(customer);
}

/** Status → what `occurredAtFor` reads of the customer, from `occurredAtReaderFor`. */
let occurredAtReaders: ReadonlyMap<CustomerStatus, OccurredAtReader> | undefined;

type OccurredAtReader = (customer: TechnestCustomer) => string | undefined;

function occurredAtReaderFor(status: CustomerStatus): OccurredAtReader {
  return match(status)
    .returnType<OccurredAtReader>()
    .with('created', () => (customer) => customer.created_at)
    // Without the acknowledgement, the record's creation: earlier than the true start of
    // review, so it never makes a later decision look stale (a receipt time could).
    .with('pending', () => (customer) => customer.kyc_submitted_at ?? customer.created_at)
    .with('verified', () => (customer) => customer.verified_at)
    .with('rejected', () => (customer) => customer.rejected_at)
    // Technest has no such states; kept total for the type.
    .with('needs_info', 'active', 'deactivated', () => () => undefined)
    .exhaustive();
}
