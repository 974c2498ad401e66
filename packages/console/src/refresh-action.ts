import { KycError, type Customer } from '@openkyc/core';
import type { ConsoleAuditEntry, ConsoleKyc } from './console-options.js';

/**
 * "Refresh now": asks the provider, applies what changed, and records who did it. The audit entry goes to
 * `kyc.logger` (info, `console action`, redacted like every openkyc log line) and then to the app's `audit`
 * hook. A failed refresh is audited too; its error's stable `code` is all that leaves this function (KycError
 * messages carry no personal data, but the page needs only the code).
 */
export async function refreshAction(
  kyc: ConsoleKyc,
  customer: Customer,
  operator: string | undefined,
  audit: ((entry: ConsoleAuditEntry) => void | Promise<void>) | undefined,
): Promise<ConsoleAuditEntry> {
  let entry: ConsoleAuditEntry;
  const base = { action: 'refresh', customerId: customer.id, provider: customer.provider, ...(operator === undefined ? {} : { operator }) } as const;
  try {
    const after = await kyc.refresh(customer.id);
    entry = { ...base, at: new Date().toISOString(), outcome: 'ok', from: customer.status, to: after.status };
  } catch (error) {
    const errorCode = KycError.isInstance(error) ? error.code : 'internal_error';
    entry = { ...base, at: new Date().toISOString(), outcome: 'failed', from: customer.status, to: customer.status, errorCode };
  }
  kyc.logger.info({ audit: true, ...entry }, 'console action');
  try {
    await audit?.(entry);
  } catch (error) {
    // The action happened; a failing audit sink must be visible, not silently lose the record.
    kyc.logger.error({ audit: true, action: entry.action, customerId: entry.customerId, errorName: error instanceof Error ? error.name : typeof error }, 'console audit hook failed');
  }
  return entry;
}
