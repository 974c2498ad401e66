import type { ProviderCapabilities } from '@openkyc/core';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * What patch-style accepts and how it behaves (guide "KYC integration guide"
 * + `providers/patch-style.md`):
 *
 * - documents: the five ID types and a proof of address. No selfie: kycData has
 *   no place for one, so core refuses it before any call.
 * - proof of address: all three address-proof types of the contract
 *   (`UTILITY_BILL`, `BANK_STATEMENT`, `LEASE_AGREEMENT`), one per
 *   `proofOfAddressKind`; without a kind, `UTILITY_BILL`.
 * - two-sided: the card documents (driver's license, national ID card,
 *   residence permit, state ID). The guide's document format has
 *   `backImageUrl` "if applicable", and its only card example sends both
 *   sides; asking up front avoids an RFI for a missing back.
 * - required fields: the guide marks the whole employment/financial table,
 *   the national identification table and `address.state` + `address.stateCode`
 *   as required (any country); the provider otherwise answers
 *   NEEDS_ADDITIONAL_INFORMATION. (`locale` is derived from the country.)
 * - files: JPG, PNG or PDF of 100 KB to 10 MB ("Document image requirements").
 * - individuals only: this guide is KYC; business verification is a separate
 *   (KYB) guide and flow.
 * - activation: ACTIVE comes from review by itself; retry after a rejection
 *   PATCHes the same record again.
 * - review: typically 1–5 business days (3 days used for display and polling);
 *   escalate past the guide's total of 7 business days, about 9 calendar days
 *   (7 business days are 9 calendar days from a Monday–Wednesday or Sunday
 *   start, 10–11 from a Thursday–Saturday one).
 */
export const patchStyleCapabilities: ProviderCapabilities = Object.freeze({
  documentTypes: Object.freeze(['passport', 'drivers_license', 'national_id', 'residence_permit', 'state_id', 'proof_of_address'] as const),
  twoSidedDocuments: Object.freeze(['drivers_license', 'national_id', 'residence_permit', 'state_id'] as const),
  identityDocumentTypes: Object.freeze(['passport', 'drivers_license', 'national_id', 'residence_permit', 'state_id'] as const),
  proofOfAddressKinds: Object.freeze(['utility_bill', 'bank_statement', 'lease_agreement'] as const),
  requiredFields: Object.freeze(['profile', 'identifiers', 'address.state', 'address.stateCode'] as const),
  files: Object.freeze({
    contentTypes: Object.freeze(['image/jpeg', 'image/png', 'application/pdf'] as const),
    minBytes: 100 * 1024,
    maxBytes: 10 * 1024 * 1024,
  }),
  customerTypes: Object.freeze(['individual'] as const),
  activation: 'automatic',
  retryAfterRejection: 'resubmit',
  webhooks: true,
  needsInfo: true,
  reviewTime: Object.freeze({
    synchronous: false,
    typicalMs: 3 * DAY_MS,
    escalateAfterMs: 9 * DAY_MS,
  }),
});
