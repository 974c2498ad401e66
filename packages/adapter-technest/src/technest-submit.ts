import type { Application, ProviderReport } from '@openkyc/core';
import { match } from 'ts-pattern';
import type { AttachFilesBody, TechnestApi, TechnestCustomer } from './technest-api.js';
import type { TechnestCall } from './technest-call.js';
import type { TechnestClient } from './technest-client.js';
import { technestErrorCode } from './technest-errors.js';
import { documentUploads, toCustomerPatch } from './map-application.js';
import { customerReport } from './map-customer-report.js';
import { mapTechnestStatus, parseTechnestStatus, type StatusEvidence } from './map-technest-status.js';
import { uploadSlotFile } from './technest-uploads.js';

/**
 * Submitting an application to a Technest customer:
 *
 * 1. read the customer: only a `created` customer takes data and files;
 * 2. PATCH the personal details (`date_of_birth`, `phone`, `country`,
 *    `address` must be there before verification can start);
 * 3. per file: an upload intent, then the PUT to storage;
 * 4. ONE attach call with every slot — `id_file` in it means "upload
 *    complete", and verification starts at once;
 * 5. the `/kyc` acknowledgement (the audit timestamp), whose customer object
 *    is the report. The contract calls it optional: on a deployment that has
 *    it switched off (404 / 405) a warning is logged and the customer is read
 *    instead — onboarding never fails over it.
 *
 * Safe to repeat after a failure part-way: a customer already `pending` (an
 * earlier submit attached `id_file` and then failed, say on the
 * acknowledgement) is not uploaded to again — it is acknowledged if it was
 * not, and reported. A customer already decided is reported as it is.
 */
export interface SubmitDependencies {
  readonly provider: string;
  readonly client: TechnestClient;
  readonly api: TechnestApi;
}

export async function submitApplication(
  deps: SubmitDependencies,
  customerId: string,
  application: Application,
  call: TechnestCall,
): Promise<ProviderReport> {
  const current = await deps.api.getCustomer(customerId, call);
  // The status the report would carry (customerReport's mapping), without building a report that is not used.
  if (mapTechnestStatus(current.status, statusEvidence(current)) !== 'created') return finishSubmitted(deps, current, call);

  try {
    await deps.api.updateCustomer(customerId, toCustomerPatch(application), call);
  } catch (error) {
    // Someone (an earlier, lost request of ours) moved it on meanwhile.
    if (technestErrorCode(error) === 'verification_in_progress') return finishSubmitted(deps, await deps.api.getCustomer(customerId, call), call);
    throw error;
  }

  const slots: AttachFilesBody = {};
  for (const upload of documentUploads(application)) {
    slots[upload.slot] = await uploadSlotFile(deps, customerId, upload, call);
  }

  try {
    await deps.api.attachFiles(customerId, slots, call);
  } catch (error) {
    // A repeat of an attach that went through (its response was lost) finds the customer pending.
    if (technestErrorCode(error) !== 'verification_in_progress') throw error;
    call.logger.info({ provider: deps.provider, providerCustomerId: customerId }, 'files were already attached; verification is running');
  }

  return acknowledge(deps, customerId, call, () => deps.api.getCustomer(customerId, call));
}

/** A customer past `created`: acknowledge a pending one that has no acknowledgement yet, then report. */
async function finishSubmitted(deps: SubmitDependencies, customer: TechnestCustomer, call: TechnestCall): Promise<ProviderReport> {
  const needsAcknowledgement = match(parseTechnestStatus(customer.status))
    .with('pending', () => customer.kyc_submitted_at === undefined)
    // Unknown statuses: acknowledge only what is provably under review and not yet acknowledged.
    .with('unknown', () => customer.files.id_file !== undefined && customer.kyc_submitted_at === undefined)
    .with('created', 'verified', 'rejected', () => false)
    .exhaustive();
  if (!needsAcknowledgement) return customerReport(customer, { scrubber: call.scrubber });
  call.logger.info(
    { provider: deps.provider, providerCustomerId: customer.id, rawStatus: customer.status },
    'customer already under review (an earlier submit attached its files); acknowledging without uploading again',
  );
  return acknowledge(deps, customer.id, call, async () => customer);
}

/** What customerReport reads to map a status (map-customer-report.ts). */
function statusEvidence(customer: TechnestCustomer): StatusEvidence {
  return {
    verifiedAt: customer.verified_at,
    rejectedAt: customer.rejected_at,
    verificationStarted: customer.files.id_file !== undefined || customer.kyc_submitted_at !== undefined,
  };
}

/**
 * The optional `/kyc` acknowledgement. A deployment without it answers 404
 * (no such route) or 405; verification already started with the attach, so
 * the customer is reported as read, with a warning for operators (ids and
 * status only).
 */
async function acknowledge(
  deps: SubmitDependencies,
  customerId: string,
  call: TechnestCall,
  readCustomer: () => Promise<TechnestCustomer>,
): Promise<ProviderReport> {
  const answer = await deps.api.acknowledgeKyc(customerId, call);
  if (answer.acknowledged) return customerReport(answer.customer, { scrubber: call.scrubber });
  call.logger.warn(
    { provider: deps.provider, providerCustomerId: customerId, status: answer.status },
    'the optional KYC acknowledgement (POST /v1/customers/{id}/kyc) is not available on this deployment; continuing without its audit timestamp',
  );
  return customerReport(await readCustomer(), { scrubber: call.scrubber });
}
