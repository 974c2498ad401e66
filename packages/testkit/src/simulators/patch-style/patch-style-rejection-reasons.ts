import type { ConformanceRejectionReason } from '../../conformance/conformance-driver.js';
import { PATCH_STYLE_REJECTION_REASONS } from './patch-style-state.js';

/**
 * Patch-style's rejection reasons, declared from its contract: the
 * `rejectionReason` codes patch-style.md lists (GET, and the webhook's
 * `reason`). Seed 004 names no others. A `REJECTED` customer may be PATCHed
 * again on the same record; that helps only when the end-user can fix the
 * cause: an expired document (the guide's quality rules: "Current - Not
 * expired") or details that do not match. Suspected fraud and an age below
 * the guide's 18 cannot be fixed by resubmitting: final.
 */
export const PATCH_STYLE_REJECTION_TABLE: readonly ConformanceRejectionReason[] = PATCH_STYLE_REJECTION_REASONS.map((code) => {
  switch (code) {
    case 'DOCUMENT_EXPIRED':
      return { providerReason: code, retryable: true, code: 'document_expired' };
    case 'DATA_MISMATCH':
      return { providerReason: code, retryable: true, code: 'data_mismatch' };
    case 'FRAUD_SUSPECTED':
      return { providerReason: code, retryable: false, code: 'fraud_suspected' };
    case 'UNDERAGE':
      return { providerReason: code, retryable: false, code: 'underage' };
  }
});
