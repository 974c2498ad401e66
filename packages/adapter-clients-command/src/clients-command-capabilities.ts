import type { ProviderCapabilities } from '@openkyc/core';

const HOUR = 60 * 60_000;

/**
 * What clients-command accepts and how it behaves.
 *
 * - Documents: only identity documents that have a home here, as files
 *   uploaded to an identifier of their type (Passport, Drivers License,
 *   National ID, Residence Permit). Proof of address and selfies have no
 *   identifier type: refused rather than silently dropped.
 * - No identity document is required up front: a FULL verification is also
 *   satisfied by an SSN or ITIN identifier, a PARTIAL one by any identifier.
 *   What is missing is reported by verify (403) and becomes `needs_info`.
 * - `contactVerified` is not required either: without it (or with `false`)
 *   the provider refuses verify with the email / mobile rules, which become
 *   `contact_verification` requirements; the platform runs its one-time-code
 *   checks and submits again with `contactVerified: true`.
 * - Verify is synchronous (`verified` or `needs_info` during `submit`), so a
 *   customer is never left `pending`; the escalation time is a safety net.
 * - No webhooks: back-office rejections and closures are seen by `refresh` /
 *   `reconcile` only.
 */
export const clientsCommandCapabilities: ProviderCapabilities = {
  documentTypes: ['passport', 'drivers_license', 'national_id', 'residence_permit'],
  twoSidedDocuments: [],
  identityDocumentTypes: [],
  // No proof of address at all (see above), so no kind of one either.
  proofOfAddressKinds: [],
  requiredFields: [],
  files: {
    contentTypes: ['image/jpeg', 'image/png', 'application/pdf'],
    maxBytes: 10 * 1024 * 1024,
  },
  customerTypes: ['individual'],
  activation: 'explicit',
  retryAfterRejection: 'undo-rejection',
  webhooks: false,
  needsInfo: true,
  reviewTime: { synchronous: true, typicalMs: 0, escalateAfterMs: HOUR },
};
