import type { ProviderCapabilities } from '@openkyc/core';
import { IDENTITY_DOCUMENT_TYPES, TWO_SIDED_DOCUMENT_TYPES } from './map-application.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * What Technest can do, as core reads it (before any request):
 * - documents: passport, driver's license, residence permit as the identity
 *   document (`id_file`; the two-sided ones need a back → `id_file_back`),
 *   proof of address and a selfie (liveness check). National identity cards and
 *   state ids are not accepted (seed 002), so core refuses them up front;
 * - proof of address: one `proof_of_address_file` slot whatever the kind of
 *   proof (the docs name no kinds and none is sent), so every kind is accepted;
 * - files: JPEG, PNG or PDF up to 10 MB;
 * - individuals only: business customers verify through Technest's separate KYB
 *   onboarding, so core refuses them at `createCustomer`;
 * - no activation step (`verified` is the end), no "needs more information"
 *   state (a bad document ends in `rejected`), and a rejected record cannot be
 *   re-submitted: a retry is a new Technest customer (`<reference>-r2`, `-r3`…).
 *
 * Review time: "a few minutes, occasionally up to ~2 hours" (seeds 000, 002), so
 * `typicalMs` is 10 minutes. Escalation after 5 hours, when seed 002 says to
 * contact Technest operations (and not before 2 hours: earlier enquiries are
 * not attended to). Seeds 000/001 add: pending past 24 hours → Technest support.
 */
export const technestCapabilities: ProviderCapabilities = {
  documentTypes: [...IDENTITY_DOCUMENT_TYPES, 'proof_of_address', 'selfie'],
  twoSidedDocuments: [...TWO_SIDED_DOCUMENT_TYPES],
  identityDocumentTypes: [...IDENTITY_DOCUMENT_TYPES],
  proofOfAddressKinds: ['utility_bill', 'bank_statement', 'lease_agreement'],
  requiredFields: [],
  files: {
    contentTypes: ['image/jpeg', 'image/png', 'application/pdf'],
    maxBytes: 10 * 1024 * 1024,
  },
  customerTypes: ['individual'],
  activation: 'none',
  retryAfterRejection: 'new-customer',
  webhooks: true,
  needsInfo: false,
  reviewTime: {
    synchronous: false,
    typicalMs: 10 * MINUTE_MS,
    escalateAfterMs: 5 * HOUR_MS,
    // Seed 002: pending 5 hours or more → contact operations; seeds 000/001: past 24 hours → contact support.
    escalations: [
      { level: 1, afterMs: 5 * HOUR_MS, action: 'contact_operations' },
      { level: 2, afterMs: 24 * HOUR_MS, action: 'contact_support' },
    ],
  },
};
