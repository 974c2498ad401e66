import { KycError, type AuditEntryInput } from '@openkyc/core';
import type { ConsoleAuditEntry, ConsoleKyc } from './console-options.js';

/**
 * Records an operator action, whether it succeeded or failed: first on `kyc.logger` (info, `console action`,
 * redacted like every openkyc log line), then durably in the store's audit trail (`kyc.recordAuditEntry`),
 * then through the app's `audit` hook. A store write or hook that fails is logged, not rethrown: the action
 * already happened.
 */
export async function recordAudit(
  kyc: ConsoleKyc,
  entry: ConsoleAuditEntry,
  audit: ((entry: ConsoleAuditEntry) => void | Promise<void>) | undefined,
): Promise<void> {
  kyc.logger.info({ audit: true, ...entry }, 'console action');
  const customerId = 'customerId' in entry ? entry.customerId : undefined;
  try {
    await kyc.recordAuditEntry(trailEntryOf(entry));
  } catch (error) {
    kyc.logger.error({ audit: true, action: entry.action, customerId, errorName: errorNameOf(error), code: errorCodeOf(error) }, 'console audit entry not stored');
  }
  try {
    await audit?.(entry);
  } catch (error) {
    // The action happened; a failing audit sink must be visible, not silently lose the record.
    kyc.logger.error({ audit: true, action: entry.action, customerId, errorName: errorNameOf(error) }, 'console audit hook failed');
  }
}

/** The stable `code` of a failed action's error; nothing else of it leaves the action (no message text). */
export function errorCodeOf(error: unknown): string {
  return KycError.isInstance(error) ? error.code : 'internal_error';
}

/** The store's shape of a console entry: ids, codes and statuses only (what `target` and `detail` say per action). */
export function trailEntryOf(entry: ConsoleAuditEntry): AuditEntryInput {
  const common = {
    at: entry.at,
    action: entry.action,
    outcome: entry.outcome,
    ...(entry.operator === undefined ? {} : { actor: entry.operator }),
    ...(entry.errorCode === undefined ? {} : { errorCode: entry.errorCode }),
  };
  switch (entry.action) {
    case 'refresh':
      return { ...common, customerId: entry.customerId, target: entry.provider, detail: `${entry.from} → ${entry.to}` };
    case 'retry_dead_letter':
      return { ...common, ...(entry.customerId === undefined ? {} : { customerId: entry.customerId }), target: `${entry.consumer}/${entry.eventId}` };
    case 'apply_parked':
      return { ...common, ...(entry.applied === undefined ? {} : { detail: `applied ${entry.applied}, waiting ${entry.waiting ?? 0}` }) };
    case 'replay_parked':
      return {
        ...common,
        ...(entry.customerId === undefined ? {} : { customerId: entry.customerId }),
        target: `${entry.provider}/${entry.dedupeKey}`,
        ...(entry.result === undefined ? {} : { detail: entry.result }),
      };
  }
}

function errorNameOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
