import type { Customer } from '@openkyc/core';
import { errorCodeOf, recordAudit } from './audit.js';
import type { ConsoleAuditEntry, ConsoleKyc, RefreshAuditEntry } from './console-options.js';

/**
 * "Refresh now": asks the provider, applies what changed, and records who did it (`recordAudit`). A failed
 * refresh is audited too; its error's stable `code` is all that leaves this function (KycError messages carry
 * no personal data, but the page needs only the code).
 */
export async function refreshAction(
  kyc: ConsoleKyc,
  customer: Customer,
  operator: string | undefined,
  audit: ((entry: ConsoleAuditEntry) => void | Promise<void>) | undefined,
): Promise<RefreshAuditEntry> {
  let entry: RefreshAuditEntry;
  const base = { action: 'refresh', customerId: customer.id, provider: customer.provider, ...(operator === undefined ? {} : { operator }) } as const;
  try {
    const after = await kyc.refresh(customer.id);
    entry = { ...base, at: new Date().toISOString(), outcome: 'ok', from: customer.status, to: after.status };
  } catch (error) {
    entry = { ...base, at: new Date().toISOString(), outcome: 'failed', from: customer.status, to: customer.status, errorCode: errorCodeOf(error) };
  }
  await recordAudit(kyc, entry, audit);
  return entry;
}
