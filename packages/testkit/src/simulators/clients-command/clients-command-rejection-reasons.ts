import type { ConformanceRejectionReason } from '../../conformance/conformance-driver.js';
import type { ClientsCommandCodeValue } from './clients-command-code-values.js';

/**
 * Clients-command's rejection reasons: a back-office rejection carries
 * `rejectionReason: {"name": "…"}`, a code value each tenant configures
 * (clients-command.md; seed 003 names none). These are the names the
 * conformance driver configures its tenant with: the simulator's defaults plus
 * one per ground a back office rejects on. `undoRejection` reopens any rejected
 * client, but only a cause the end-user can fix makes the retry worth it:
 * fraud, sanctions, a duplicate client and age are final.
 */
export const CLIENTS_COMMAND_REJECTION_TABLE: readonly ConformanceRejectionReason[] = [
  { providerReason: 'Identity could not be verified', retryable: true },
  { providerReason: 'Document unreadable', retryable: true, code: 'document_unreadable' },
  { providerReason: 'Document expired', retryable: true, code: 'document_expired' },
  { providerReason: 'Document type not accepted', retryable: true, code: 'document_unsupported' },
  { providerReason: 'Details do not match documents', retryable: true, code: 'data_mismatch' },
  { providerReason: 'Other', retryable: true },
  { providerReason: 'Suspected fraud', retryable: false, code: 'fraud_suspected' },
  { providerReason: 'Sanctions list match', retryable: false, code: 'sanctions' },
  { providerReason: 'Duplicate client', retryable: false, code: 'duplicate' },
  { providerReason: 'Applicant under age', retryable: false, code: 'underage' },
];

/** The table as the tenant's rejection reason code values (ids from 71, like the simulator's defaults). */
export function clientsCommandRejectionCodeValues(): ClientsCommandCodeValue[] {
  return CLIENTS_COMMAND_REJECTION_TABLE.map((reason, index) => ({ id: 71 + index, name: reason.providerReason }));
}
