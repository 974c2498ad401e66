import { ValidationError, type ValidationIssue } from '../errors.js';
import type { AuditEntry, AuditQuery } from '../store/audit-trail.js';
import type { KycContext } from './kyc-context.js';

/** What `kyc.recordAuditEntry` takes: an `AuditEntry`, `at` defaulting to the client's clock. */
export type AuditEntryInput = Omit<AuditEntry, 'at'> & {
  /** When the action ended (ISO 8601); default now. */
  readonly at?: string;
};

/**
 * `kyc.recordAuditEntry`: checks the entry's shape (a `ValidationError` before anything is written) and
 * appends it to the store's audit trail. Only the documented fields are kept, so nothing else an app passes
 * along can reach the store.
 */
export async function recordAuditEntry(ctx: KycContext, input: AuditEntryInput): Promise<AuditEntry> {
  const issues = auditIssues(input);
  if (issues.length > 0) throw new ValidationError(issues);
  const entry: AuditEntry = {
    at: input.at ?? ctx.now().toISOString(),
    action: input.action,
    outcome: input.outcome,
    ...(input.actor === undefined ? {} : { actor: input.actor }),
    ...(input.customerId === undefined ? {} : { customerId: input.customerId }),
    ...(input.target === undefined ? {} : { target: input.target }),
    ...(input.errorCode === undefined ? {} : { errorCode: input.errorCode }),
    ...(input.detail === undefined ? {} : { detail: input.detail }),
  };
  await ctx.store.appendAuditEntry(entry);
  return entry;
}

/** `kyc.listAuditEntries`: newest first; a `ValidationError` for a limit that is not a positive integer. */
export function listAuditEntries(ctx: KycContext, query: AuditQuery = {}): Promise<readonly AuditEntry[]> {
  if (query.limit !== undefined && (!Number.isSafeInteger(query.limit) || query.limit < 1)) {
    return Promise.reject(new ValidationError([{ path: ['limit'], code: 'invalid', message: 'a whole number, 1 or more' }]));
  }
  return ctx.store.listAuditEntries(query);
}

const MAX_FIELD = 500;

function auditIssues(input: AuditEntryInput): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const text = (field: keyof AuditEntryInput, required: boolean): void => {
    const value = (input as Record<string, unknown>)[field];
    if (value === undefined && !required) return;
    if (typeof value !== 'string' || value === '' || value.length > MAX_FIELD) {
      issues.push({ path: [field], code: 'invalid', message: `${required ? 'required: ' : ''}a non-empty string of at most ${MAX_FIELD} characters` });
    }
  };
  text('action', true);
  for (const field of ['actor', 'customerId', 'target', 'errorCode', 'detail'] as const) text(field, false);
  if (input.outcome !== 'ok' && input.outcome !== 'failed') issues.push({ path: ['outcome'], code: 'invalid', message: "'ok' or 'failed'" });
  if (input.at !== undefined && (typeof input.at !== 'string' || Number.isNaN(Date.parse(input.at)))) {
    issues.push({ path: ['at'], code: 'invalid', message: 'an ISO 8601 time' });
  }
  return issues;
}
