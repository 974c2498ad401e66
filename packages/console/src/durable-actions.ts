import { errorCodeOf, recordAudit } from './audit.js';
import type { ApplyParkedAuditEntry, ConsoleAuditEntry, ConsoleKyc, ReplayParkedAuditEntry, RetryDeadLetterAuditEntry } from './console-options.js';

type AuditHook = ((entry: ConsoleAuditEntry) => void | Promise<void>) | undefined;

/**
 * "Retry" on a dead letter: asks the consumer's holder to deliver the event again (`kyc.retryDeadLetter`);
 * it leaves the list when the handler succeeds. Audited whether it worked or not (`not_found` when the dead
 * letter is gone, e.g. retried meanwhile).
 */
export async function retryDeadLetterAction(
  kyc: ConsoleKyc,
  consumer: string,
  eventId: string,
  operator: string | undefined,
  audit: AuditHook,
): Promise<RetryDeadLetterAuditEntry> {
  const letter = (await kyc.listDeadLetters(consumer)).find((dead) => dead.eventId === eventId);
  const base = {
    action: 'retry_dead_letter',
    consumer,
    eventId,
    ...(letter === undefined ? {} : { customerId: letter.customerId }),
    ...(operator === undefined ? {} : { operator }),
  } as const;
  let entry: RetryDeadLetterAuditEntry;
  try {
    await kyc.retryDeadLetter(consumer, eventId);
    entry = { ...base, at: new Date().toISOString(), outcome: 'ok' };
  } catch (error) {
    entry = { ...base, at: new Date().toISOString(), outcome: 'failed', errorCode: errorCodeOf(error) };
  }
  await recordAudit(kyc, entry, audit);
  return entry;
}

/**
 * "Apply parked deliveries": applies every parked webhook whose customer exists by now
 * (`kyc.applyParkedWebhooks`, exactly once each); the others keep waiting. Audited with the counts.
 */
export async function applyParkedAction(kyc: ConsoleKyc, operator: string | undefined, audit: AuditHook): Promise<ApplyParkedAuditEntry> {
  const base = { action: 'apply_parked', ...(operator === undefined ? {} : { operator }) } as const;
  let entry: ApplyParkedAuditEntry;
  try {
    const pass = await kyc.applyParkedWebhooks();
    entry = { ...base, at: new Date().toISOString(), outcome: 'ok', applied: pass.applied, waiting: pass.waiting };
  } catch (error) {
    entry = { ...base, at: new Date().toISOString(), outcome: 'failed', errorCode: errorCodeOf(error) };
  }
  await recordAudit(kyc, entry, audit);
  return entry;
}

/**
 * "Apply" on one parked delivery (`kyc.applyParkedWebhook`): applied now, exactly once, if its customer exists
 * by now; otherwise it keeps waiting and the entry's `result` says so. Audited with the result.
 */
export async function replayParkedAction(
  kyc: ConsoleKyc,
  provider: string,
  dedupeKey: string,
  operator: string | undefined,
  audit: AuditHook,
): Promise<ReplayParkedAuditEntry> {
  const base = { action: 'replay_parked', provider, dedupeKey, ...(operator === undefined ? {} : { operator }) } as const;
  let entry: ReplayParkedAuditEntry;
  try {
    const replay = await kyc.applyParkedWebhook(provider, dedupeKey);
    const customerId = 'customerId' in replay ? replay.customerId : undefined;
    entry = { ...base, at: new Date().toISOString(), outcome: 'ok', result: replay.outcome, ...(customerId === undefined ? {} : { customerId }) };
  } catch (error) {
    entry = { ...base, at: new Date().toISOString(), outcome: 'failed', errorCode: errorCodeOf(error) };
  }
  await recordAudit(kyc, entry, audit);
  return entry;
}
