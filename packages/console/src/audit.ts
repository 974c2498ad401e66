import { KycError } from '@openkyc/core';
import type { ConsoleAuditEntry, ConsoleKyc } from './console-options.js';

/**
 * Records an operator action, whether it succeeded or failed: first on `kyc.logger` (info, `console action`,
 * redacted like every openkyc log line), then through the app's `audit` hook. A hook that throws is logged,
 * not rethrown: the action already happened.
 */
export async function recordAudit(
  kyc: ConsoleKyc,
  entry: ConsoleAuditEntry,
  audit: ((entry: ConsoleAuditEntry) => void | Promise<void>) | undefined,
): Promise<void> {
  kyc.logger.info({ audit: true, ...entry }, 'console action');
  try {
    await audit?.(entry);
  } catch (error) {
    // The action happened; a failing audit sink must be visible, not silently lose the record.
    const customerId = 'customerId' in entry ? entry.customerId : undefined;
    kyc.logger.error({ audit: true, action: entry.action, customerId, errorName: error instanceof Error ? error.name : typeof error }, 'console audit hook failed');
  }
}

/** The stable `code` of a failed action's error; nothing else of it leaves the action (no message text). */
export function errorCodeOf(error: unknown): string {
  return KycError.isInstance(error) ? error.code : 'internal_error';
}
