import type { ConformanceRejectionReason } from '../../conformance/conformance-driver.js';

/**
 * Technest's rejection reasons, declared from its contract and seeds: free text
 * from the upstream rail, which an adapter maps to a small set of codes
 * (technest.md, "After a rejection"). Retryable means a new attempt — a new
 * customer with a `-r2` reference — can succeed.
 *
 * - seed 001 / technest.md: `"ID document unreadable"`; seeds 000/001 tell the
 *   end-user to "retry with a clearer photo" → retryable.
 * - seed 002: "unclear or illegible images will be rejected" → retryable;
 *   "ID cards (National Identity Cards) are not accepted" → retryable with a
 *   passport, driver's license or residence permit; "Fraudulent or falsified
 *   documents will result in the customer being permanently blacklisted" →
 *   final.
 * - seed 000: "partial submissions get rejected" → retryable (send every file).
 * - The upstream rail's other grounds (expired document, data mismatch,
 *   sanctions screening, duplicate identity, age), in the wordings it is known
 *   to use: sanctions, duplicates and age are final, the rest retryable.
 */
export const TECHNEST_REJECTION_TABLE: readonly ConformanceRejectionReason[] = [
  // Unclear or illegible document (seeds 000–002): retry with a clearer photo.
  { providerReason: 'ID document unreadable', retryable: true, code: 'document_unreadable' },
  { providerReason: 'Document image unclear or illegible', retryable: true, code: 'document_unreadable' },
  { providerReason: 'Document not legible', retryable: true, code: 'document_unreadable' },
  { providerReason: 'Image is blurry, please retake', retryable: true, code: 'document_unreadable' },
  { providerReason: 'Poor image quality (glare)', retryable: true, code: 'document_unreadable' },
  // A document type Technest does not accept (seed 002): retry with one it does.
  { providerReason: 'National identity cards are not accepted', retryable: true, code: 'document_unsupported' },
  { providerReason: 'Unsupported document type', retryable: true, code: 'document_unsupported' },
  // Files missing (seed 000): send them all.
  { providerReason: 'Partial submission: required files missing', retryable: true },
  // Expired document, details that do not match: the end-user can fix them.
  { providerReason: 'ID document expired', retryable: true, code: 'document_expired' },
  { providerReason: 'Passport has expired', retryable: true, code: 'document_expired' },
  { providerReason: 'Name does not match ID document', retryable: true, code: 'data_mismatch' },
  { providerReason: 'Date of birth does not match document', retryable: true, code: 'data_mismatch' },
  // Fraudulent or falsified documents: permanently blacklisted (seed 002) — the gravest reading wins.
  { providerReason: 'Fraudulent document', retryable: false, code: 'fraud_suspected' },
  { providerReason: 'Falsified document; customer blacklisted', retryable: false, code: 'fraud_suspected' },
  { providerReason: 'Suspected fraud', retryable: false, code: 'fraud_suspected' },
  { providerReason: 'Forged document detected', retryable: false, code: 'fraud_suspected' },
  { providerReason: 'Document appears tampered', retryable: false, code: 'fraud_suspected' },
  { providerReason: 'Falsified passport, also expired', retryable: false, code: 'fraud_suspected' },
  // Sanctions, duplicate identity, age: nothing the end-user can fix.
  { providerReason: 'Sanctions screening match', retryable: false, code: 'sanctions' },
  { providerReason: 'Match on OFAC watchlist', retryable: false, code: 'sanctions' },
  { providerReason: 'Duplicate identity: customer already onboarded', retryable: false, code: 'duplicate' },
  { providerReason: 'Identity already registered with another account', retryable: false, code: 'duplicate' },
  { providerReason: 'Applicant is under 18', retryable: false, code: 'underage' },
  { providerReason: 'Applicant is underage', retryable: false, code: 'underage' },
  { providerReason: 'Applicant is a minor', retryable: false, code: 'underage' },
];
