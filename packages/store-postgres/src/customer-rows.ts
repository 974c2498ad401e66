import { ConfigurationError, type Customer, type CustomerAttempt, type IgnoredReport, type KycEvent, type Rejection, type Requirement } from '@openkyc/core';

/*
 * Customers and events as typed statement parameters and back. Scalar fields are
 * one parameter per column; lists (attempts, requirements, ignored reports, the
 * events of a commit) are one array parameter per column, unnested in SQL, so a
 * commit is one prepared statement whatever the list lengths. A field without a
 * column is refused (migration 0002 explains why there is no catch-all column).
 */

/** Customer fields with a column of their own, in parameter order, with the SQL type each is cast to. */
const CUSTOMER_SCALARS = [
  ['reference', 'reference', 'text'],
  ['type', 'type', 'text'],
  ['email', 'email', 'text'],
  ['firstName', 'first_name', 'text'],
  ['lastName', 'last_name', 'text'],
  ['provider', 'provider', 'text'],
  ['providerCustomerId', 'provider_customer_id', 'text'],
  ['providerReference', 'provider_reference', 'text'],
  ['status', 'status', 'text'],
  ['rawStatus', 'raw_status', 'text'],
  ['verificationLevel', 'verification_level', 'text'],
  ['submissions', 'submissions', 'integer'],
  ['machineVersion', 'machine_version', 'integer'],
  ['lastReportAt', 'last_report_at', 'timestamptz'],
  ['lastReceivedAt', 'last_received_at', 'timestamptz'],
  ['lastCheckedAt', 'last_checked_at', 'timestamptz'],
  ['pendingSince', 'pending_since', 'timestamptz'],
  ['reviewOverdueAt', 'review_overdue_at', 'timestamptz'],
  ['reviewOverdueLevel', 'review_overdue_level', 'integer'],
  ['createdAt', 'created_at', 'timestamptz'],
  ['updatedAt', 'updated_at', 'timestamptz'],
  ['submittedAt', 'submitted_at', 'timestamptz'],
  ['verifiedAt', 'verified_at', 'timestamptz'],
  ['activatedAt', 'activated_at', 'timestamptz'],
  ['rejectedAt', 'rejected_at', 'timestamptz'],
  ['deactivatedAt', 'deactivated_at', 'timestamptz'],
  ['forgottenAt', 'forgotten_at', 'timestamptz'],
  ['eventCount', 'event_count', 'integer'],
  ['version', 'version', 'integer'],
] as const satisfies readonly (readonly [keyof Customer, string, string])[];

/** The rejection columns (customers and events alike), after the scalars. */
const REJECTION_COLUMNS = [
  ['rejection_code', 'text'],
  ['rejection_message', 'text'],
  ['rejection_provider_reason', 'text'],
  ['rejection_retryable', 'boolean'],
] as const;

/** Customer columns a commit writes (`id` aside), in parameter order, with their SQL types. */
export const CUSTOMER_COLUMNS: readonly (readonly [column: string, type: string])[] = [
  ...CUSTOMER_SCALARS.map(([, column, type]) => [column, type] as const),
  ...REJECTION_COLUMNS,
];

/** Customer keys stored somewhere: a column, the rejection columns or a child table. */
const CUSTOMER_KEYS: ReadonlySet<string> = new Set(['id', 'attempts', 'requirements', 'rejection', 'ignored', ...CUSTOMER_SCALARS.map(([field]) => field)]);

/** The customer's column values, in {@link CUSTOMER_COLUMNS} order; `undefined` fields become NULL. */
export function customerValues(customer: Customer): unknown[] {
  assertKnownKeys(customer, CUSTOMER_KEYS, 'customer');
  const source = customer as unknown as Record<string, unknown>;
  const values: unknown[] = CUSTOMER_SCALARS.map(([field]) => source[field] ?? null);
  values.push(...rejectionValues(customer.rejection));
  return values;
}

/** Attempt columns as arrays: number, provider customer id, provider reference, status, raw status, started at. */
export function attemptArrays(attempts: readonly CustomerAttempt[]): unknown[][] {
  return [
    attempts.map((a) => a.number),
    attempts.map((a) => a.providerCustomerId),
    attempts.map((a) => a.providerReference),
    attempts.map((a) => a.status),
    attempts.map((a) => a.rawStatus),
    attempts.map((a) => a.startedAt),
  ];
}

/** Requirement columns as arrays: kind, name, message, provider code. */
export function requirementArrays(requirements: readonly Requirement[]): unknown[][] {
  return [
    requirements.map((r) => r.kind),
    requirements.map((r) => r.name),
    requirements.map((r) => r.message),
    requirements.map((r) => r.providerCode ?? null),
  ];
}

/** Ignored-report columns as arrays: at, source, status, raw status, occurred at, reason. */
export function ignoredArrays(ignored: readonly IgnoredReport[]): unknown[][] {
  return [
    ignored.map((g) => g.at),
    ignored.map((g) => g.source),
    ignored.map((g) => g.status),
    ignored.map((g) => g.rawStatus),
    ignored.map((g) => g.occurredAt),
    ignored.map((g) => g.reason),
  ];
}

/** Event fields with a column of their own, in array-parameter order, with their SQL types. */
const EVENT_SCALARS = [
  ['id', 'id', 'text'],
  ['type', 'type', 'text'],
  ['reference', 'reference', 'text'],
  ['provider', 'provider', 'text'],
  ['providerCustomerId', 'provider_customer_id', 'text'],
  ['from', 'from_status', 'text'],
  ['to', 'to_status', 'text'],
  ['at', 'at', 'timestamptz'],
  ['occurredAt', 'occurred_at', 'timestamptz'],
  ['source', 'source', 'text'],
  ['providerStatus', 'provider_status', 'text'],
  ['verificationLevel', 'verification_level', 'text'],
  ['pendingSince', 'pending_since', 'timestamptz'],
  ['escalateAfterMs', 'escalate_after_ms', 'bigint'],
  ['level', 'escalation_level', 'integer'],
  ['action', 'escalation_action', 'text'],
] as const;

/** Event columns a commit writes (`customer_id` aside), in parameter order, with their SQL types. */
export const EVENT_COLUMNS: readonly (readonly [column: string, type: string])[] = [
  ...EVENT_SCALARS.map(([, column, type]) => [column, type] as const),
  ...REJECTION_COLUMNS,
];

const EVENT_KEYS: ReadonlySet<string> = new Set(['customerId', 'requirements', 'rejection', ...EVENT_SCALARS.map(([field]) => field)]);

/** The event's column values, in {@link EVENT_COLUMNS} order. */
export function eventValues(event: KycEvent): unknown[] {
  assertKnownKeys(event, EVENT_KEYS, 'event');
  const source = event as unknown as Record<string, unknown>;
  return [...EVENT_SCALARS.map(([field]) => source[field] ?? null), ...rejectionValues(source.rejection as Rejection | undefined)];
}

/** The needs_info events' requirements as rows: event id, number (from 1 per event), kind, name, message, provider code. */
export function eventRequirementValues(events: readonly KycEvent[]): unknown[][] {
  const rows: unknown[][] = [];
  for (const event of events) {
    if (event.type !== 'customer.needs_info') continue;
    event.requirements.forEach((requirement, i) => rows.push([event.id, i + 1, requirement.kind, requirement.name, requirement.message, requirement.providerCode ?? null]));
  }
  return rows;
}

/** A customer row as read (child lists aggregated as arrays), back to the customer. */
export function customerFromRow(row: Record<string, unknown>): Customer {
  const customer: Record<string, unknown> = { id: row.id };
  for (const [field, column, type] of CUSTOMER_SCALARS) {
    const value = row[column];
    if (value === null || value === undefined) continue;
    customer[field] = type === 'timestamptz' ? isoOf(value) : value;
  }
  customer.attempts = zip(row.attempt_numbers, (i) => ({
    number: (row.attempt_numbers as number[])[i]!,
    providerCustomerId: (row.attempt_provider_customer_ids as string[])[i]!,
    providerReference: (row.attempt_provider_references as string[])[i]!,
    status: (row.attempt_statuses as CustomerAttempt['status'][])[i]!,
    rawStatus: (row.attempt_raw_statuses as string[])[i]!,
    startedAt: isoOf((row.attempt_started_ats as unknown[])[i]),
  }));
  customer.requirements = requirementsFrom(row);
  const rejection = rejectionFrom(row);
  if (rejection !== undefined) customer.rejection = rejection;
  customer.ignored = zip(row.ignored_ats, (i) => ({
    at: isoOf((row.ignored_ats as unknown[])[i]),
    source: (row.ignored_sources as IgnoredReport['source'][])[i]!,
    status: (row.ignored_statuses as IgnoredReport['status'][])[i]!,
    rawStatus: (row.ignored_raw_statuses as string[])[i]!,
    occurredAt: isoOf((row.ignored_occurred_ats as unknown[])[i]),
    reason: (row.ignored_reasons as IgnoredReport['reason'][])[i]!,
  }));
  return customer as unknown as Customer;
}

/** An event row as read (a needs_info event's requirements aggregated as arrays), back to the event. */
export function eventFromRow(row: Record<string, unknown>): KycEvent {
  const event: Record<string, unknown> = {};
  for (const [field, column, type] of EVENT_SCALARS) {
    const value = row[column];
    if (value === undefined || (value === null && field !== 'from')) continue;
    if (type === 'timestamptz') event[field] = isoOf(value);
    else if (type === 'bigint') event[field] = Number(value);
    else event[field] = value;
  }
  event.customerId = row.customer_id;
  if (event.type === 'customer.needs_info') event.requirements = requirementsFrom(row);
  const rejection = rejectionFrom(row);
  if (rejection !== undefined) event.rejection = rejection;
  return event as unknown as KycEvent;
}

function rejectionValues(rejection: Rejection | undefined): unknown[] {
  if (rejection === undefined) return [null, null, null, null];
  return [rejection.code, rejection.message, rejection.providerReason ?? null, rejection.retryable];
}

function rejectionFrom(row: Record<string, unknown>): Rejection | undefined {
  if (row.rejection_code === null || row.rejection_code === undefined) return undefined;
  const rejection: Record<string, unknown> = { code: row.rejection_code, message: row.rejection_message };
  if (row.rejection_provider_reason !== null) rejection.providerReason = row.rejection_provider_reason;
  rejection.retryable = row.rejection_retryable;
  return rejection as unknown as Rejection;
}

function requirementsFrom(row: Record<string, unknown>): Requirement[] {
  return zip(row.requirement_kinds, (i) => {
    const requirement: Record<string, unknown> = {
      kind: (row.requirement_kinds as string[])[i],
      name: (row.requirement_names as string[])[i],
      message: (row.requirement_messages as string[])[i],
    };
    const providerCode = (row.requirement_provider_codes as (string | null)[])[i];
    if (providerCode !== null && providerCode !== undefined) requirement.providerCode = providerCode;
    return requirement as unknown as Requirement;
  });
}

/** `build(i)` for each index of an aggregated array column (NULL: no rows). */
function zip<T>(column: unknown, build: (i: number) => T): T[] {
  if (!Array.isArray(column)) return [];
  return column.map((_, i) => build(i));
}

/** A value the schema has no column for is refused, not stored blind or dropped (see migration 0002). */
function assertKnownKeys(value: object, known: ReadonlySet<string>, what: string): void {
  for (const key of Object.keys(value)) {
    if (!known.has(key) && (value as Record<string, unknown>)[key] !== undefined) {
      throw new ConfigurationError(
        `This @openkyc/store-postgres has no column for the ${what} field '${key}'; upgrade @openkyc/store-postgres to the version released with your @openkyc/core.`,
      );
    }
  }
}

/** ISO 8601 (UTC, milliseconds) of a timestamp read as a Date (or as text). */
function isoOf(value: unknown): string {
  return (value instanceof Date ? value : new Date(value as string)).toISOString();
}
