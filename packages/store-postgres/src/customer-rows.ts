import type { Customer, CustomerAttempt, KycEvent } from '@openkyc/core';

/*
 * Customers and events as table rows, and back. Rows are built as JSON objects
 * keyed by column name and handed to SQL in one parameter
 * (`jsonb_populate_record`), so a commit is one statement whatever the number of
 * columns. A customer field this schema has no column for goes to `extra`.
 */

/** Customer fields with a column of their own (snake_case name), in table order. */
const CUSTOMER_FIELDS = {
  reference: 'reference',
  type: 'type',
  email: 'email',
  firstName: 'first_name',
  lastName: 'last_name',
  provider: 'provider',
  providerCustomerId: 'provider_customer_id',
  providerReference: 'provider_reference',
  status: 'status',
  rawStatus: 'raw_status',
  requirements: 'requirements',
  rejection: 'rejection',
  verificationLevel: 'verification_level',
  submissions: 'submissions',
  machineVersion: 'machine_version',
  lastReportAt: 'last_report_at',
  lastReceivedAt: 'last_received_at',
  lastCheckedAt: 'last_checked_at',
  pendingSince: 'pending_since',
  reviewOverdueAt: 'review_overdue_at',
  reviewOverdueLevel: 'review_overdue_level',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  submittedAt: 'submitted_at',
  verifiedAt: 'verified_at',
  activatedAt: 'activated_at',
  rejectedAt: 'rejected_at',
  deactivatedAt: 'deactivated_at',
  forgottenAt: 'forgotten_at',
  ignored: 'ignored',
  eventCount: 'event_count',
  version: 'version',
} as const satisfies Partial<Record<keyof Customer | 'forgottenAt', string>>;

/** Every customer column a commit writes (`id` and `position` aside; `reconcile_due_at` comes with the commit, not the customer). */
export const CUSTOMER_COLUMNS: readonly string[] = [...Object.values(CUSTOMER_FIELDS), 'extra', 'reconcile_due_at'];

/** The customer columns read as timestamps (Date from either driver). */
const TIMESTAMP_COLUMNS: ReadonlySet<string> = new Set(
  Object.values(CUSTOMER_FIELDS).filter((column) => column.endsWith('_at') || column === 'pending_since'),
);

/** Keys covered by a column, `id` and `attempts` (their own table). */
const COVERED_KEYS: ReadonlySet<string> = new Set(['id', 'attempts', ...Object.keys(CUSTOMER_FIELDS)]);

/** The customer as a row object (column → value); `undefined` fields become NULL. */
export function customerRow(customer: Customer): Record<string, unknown> {
  const row: Record<string, unknown> = { id: customer.id };
  const source = customer as unknown as Record<string, unknown>;
  for (const [field, column] of Object.entries(CUSTOMER_FIELDS)) row[column] = source[field] ?? null;
  let extra: Record<string, unknown> | null = null;
  for (const key of Object.keys(source)) {
    if (!COVERED_KEYS.has(key) && source[key] !== undefined) (extra ??= {})[key] = source[key];
  }
  row.extra = extra;
  return row;
}

/** The customer's provider records as attempt rows. */
export function attemptRows(customer: Customer): Record<string, unknown>[] {
  return customer.attempts.map((attempt) => ({
    customer_id: customer.id,
    number: attempt.number,
    provider: customer.provider,
    provider_customer_id: attempt.providerCustomerId,
    provider_reference: attempt.providerReference,
    status: attempt.status,
    raw_status: attempt.rawStatus,
    started_at: attempt.startedAt,
  }));
}

/** A customer row as read (`attempts` aggregated as JSON), back to the customer. */
export function customerFromRow(row: Record<string, unknown>): Customer {
  const customer: Record<string, unknown> = { id: row.id };
  for (const [field, column] of Object.entries(CUSTOMER_FIELDS)) {
    const value = row[column];
    if (value === null || value === undefined) continue;
    customer[field] = TIMESTAMP_COLUMNS.has(column) ? isoOf(value) : value;
  }
  const attempts = (parseJson(row.attempts) ?? []) as Record<string, unknown>[];
  customer.attempts = attempts.map(
    (attempt): CustomerAttempt => ({
      number: attempt.number as number,
      providerCustomerId: attempt.providerCustomerId as string,
      providerReference: attempt.providerReference as string,
      status: attempt.status as CustomerAttempt['status'],
      rawStatus: attempt.rawStatus as string,
      startedAt: isoOf(attempt.startedAt),
    }),
  );
  const extra = parseJson(row.extra) as Record<string, unknown> | null;
  if (extra !== null) Object.assign(customer, extra);
  return customer as unknown as Customer;
}

/** Event fields with a column of their own; the rest of an event goes to `detail`. */
const EVENT_FIELDS = {
  id: 'id',
  type: 'type',
  customerId: 'customer_id',
  reference: 'reference',
  provider: 'provider',
  providerCustomerId: 'provider_customer_id',
  from: 'from_status',
  to: 'to_status',
  at: 'at',
  occurredAt: 'occurred_at',
  source: 'source',
} as const;

/** The event as a row object. */
export function eventRow(event: KycEvent): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  const detail: Record<string, unknown> = {};
  const source = event as unknown as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const column = (EVENT_FIELDS as Record<string, string>)[key];
    if (column === undefined) detail[key] = source[key];
    else row[column] = source[key] ?? null;
  }
  row.detail = detail;
  return row;
}

/** An event row as read, back to the event. */
export function eventFromRow(row: Record<string, unknown>): KycEvent {
  const event: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(EVENT_FIELDS)) {
    const value = row[column];
    if (value === undefined || (value === null && field !== 'from')) continue;
    event[field] = column === 'at' || column === 'occurred_at' ? isoOf(value) : value;
  }
  Object.assign(event, parseJson(row.detail));
  return event as unknown as KycEvent;
}

/** ISO 8601 (UTC, milliseconds) of a timestamp read as a Date or as JSON text. */
function isoOf(value: unknown): string {
  return (value instanceof Date ? value : new Date(value as string)).toISOString();
}

/** JSON columns come parsed from both drivers; text (json_agg in some paths) is parsed here. */
function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
