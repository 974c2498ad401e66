import { ConfigurationError } from '../errors.js';
import { applyReport, applyTimedReport, type LifecycleReport, type LifecycleSnapshot, type LifecycleStep } from '../lifecycle/apply-report.js';
import { LIFECYCLE_MACHINE_VERSION } from '../lifecycle/lifecycle-machine.js';
import { canonicalInstantMs } from '../lifecycle/timestamp.js';
import { migrateLifecycleSnapshot } from '../lifecycle/migrate-snapshot.js';
import type { Customer, CustomerAttempt, EventSource, IgnoredReport } from '../models/customer.js';
import type { CustomerStatus } from '../models/customer-status.js';
import { EVENT_TYPE_FOR_STATUS, type KycEvent } from '../models/events.js';
import type { ProviderReport } from '../provider/kyc-provider.js';
import type { Rejection } from '../models/requirement.js';
import { isoInstant } from '../values/iso-instant.js';

/** How many ignored reports a customer keeps for operators. */
const IGNORED_KEPT = 3;

export type ReportOutcome =
  | { readonly outcome: 'applied' | 'unchanged'; readonly customer: Customer; readonly events: readonly KycEvent[] }
  | {
      readonly outcome: 'ignored';
      readonly reason: IgnoredReport['reason'];
      readonly customer: Customer;
      readonly events: readonly [];
    };

/**
 * Pure: the next customer and the events one provider report causes.
 * The lifecycle machine decides the transitions; this adds what the customer
 * record keeps around them (requirements, rejection, timestamps, attempts).
 * The result is one version ahead of `customer`, ready to commit.
 */
export function applyProviderReport(
  customer: Customer,
  report: ProviderReport,
  source: EventSource,
  now: Date,
  receivedAt: Date = now,
): ReportOutcome {
  const at = isoInstant(now);
  // Usually the same instant (a webhook handled as it arrives): format it once.
  const received = receivedAt.getTime() === now.getTime() ? at : isoInstant(receivedAt);

  if (report.providerCustomerId !== customer.providerCustomerId) {
    // A late report about an earlier attempt's record (e.g. the rejected Technest record
    // after a retry made a new one) must not touch the current attempt.
    return ignore(customer, report, source, at, received, 'superseded_attempt');
  }

  if (report.status === 'created' && customer.status !== 'created') {
    // "Nothing newer than the record itself": e.g. a Fineract client stays Pending while it
    // waits for missing parts. No news, not an invalid report to log on every poll.
    return {
      outcome: 'unchanged',
      customer: { ...customer, rawStatus: report.rawStatus, updatedAt: at, version: customer.version + 1 },
      events: [],
    };
  }

  const result = applyLifecycle(lifecycleSnapshotOf(customer), report, source, receivedAt, received);
  if (result.outcome === 'ignored') return ignore(customer, report, source, at, received, result.reason);

  const steps = result.outcome === 'applied' ? result.steps : NO_STEPS;
  // One copy of the customer (the per-step timestamps are gathered first): this runs for
  // every webhook and every poll.
  let stamps: Partial<Customer> | undefined;
  for (const step of steps) stamps = stampTransition(stamps, step.to, at);
  const next: Customer = {
    ...customer,
    status: result.snapshot.status,
    machineVersion: result.snapshot.machineVersion,
    lastReportAt: result.snapshot.lastReportAt,
    lastReceivedAt: result.snapshot.lastReceivedAt,
    rawStatus: report.rawStatus,
    attempts: updateCurrentAttempt(customer, report),
    requirements: result.snapshot.status === 'needs_info' ? (report.requirements ?? customer.requirements) : [],
    rejection: rejectionAfter(customer, report, steps),
    verificationLevel: report.verificationLevel ?? customer.verificationLevel,
    providerReference: report.providerReference ?? customer.providerReference,
    updatedAt: at,
    version: customer.version + 1,
    ...stamps,
    eventCount: customer.eventCount + steps.length,
  };

  // Events read only fields the steps do not stamp (identity, requirements, rejection, level).
  const events: KycEvent[] = [];
  for (const step of steps) {
    events.push(
      eventFor(next, step.from, step.to, {
        at,
        occurredAt: report.occurredAt,
        source,
        providerStatus: report.rawStatus,
        seq: customer.eventCount + events.length + 1,
      }),
    );
  }
  return { outcome: result.outcome, customer: next, events };
}

const NO_STEPS: readonly [] = [];

/**
 * The customer's lifecycle snapshot at the current machine version. Stores hand
 * back what an older openkyc wrote; those snapshots are migrated (and a snapshot
 * no migration knows is refused with a ConfigurationError, not misread).
 */
function lifecycleSnapshotOf(customer: Customer): LifecycleSnapshot {
  const snapshot: LifecycleSnapshot = { machineVersion: customer.machineVersion, status: customer.status };
  if (customer.lastReportAt !== undefined) snapshot.lastReportAt = customer.lastReportAt;
  if (customer.lastReceivedAt !== undefined) snapshot.lastReceivedAt = customer.lastReceivedAt;
  if (customer.machineVersion === LIFECYCLE_MACHINE_VERSION) return snapshot;
  try {
    return migrateLifecycleSnapshot(snapshot);
  } catch (cause) {
    throw new ConfigurationError(
      `Customer ${customer.id} was stored by a lifecycle this openkyc cannot read (machineVersion ${customer.machineVersion}); upgrade @openkyc/core.`,
      [],
      { cause },
    );
  }
}

/**
 * Provider time is untrusted: a webhook is ordered by the time it claims, but never later than when it
 * reached us plus this allowance for a provider clock running slightly ahead. Without the cap, one
 * report dated years ahead would make every later report look stale.
 */
export const PROVIDER_CLOCK_SKEW_MS = 5_000;

/**
 * What the lifecycle orders a report by (docs/lifecycle-ordering.md): a webhook is a claim at the provider's
 * time, capped at receipt + `PROVIDER_CLOCK_SKEW_MS`; a poll or the answer to our own call is an observation
 * of the provider's current state when we asked.
 */
function applyLifecycle(
  snapshot: LifecycleSnapshot,
  report: ProviderReport,
  source: EventSource,
  receivedAt: Date,
  received: string,
): ReturnType<typeof applyReport> {
  if (source === 'webhook') {
    const occurredAt = capAtReceipt(normalizeOccurredAt(report.occurredAt, received), receivedAt);
    const claim: LifecycleReport = { status: report.status, kind: 'claim', occurredAt, receivedAt: received };
    if (report.previousStatus !== undefined) claim.previousStatus = report.previousStatus;
    return applyReport(snapshot, claim);
  }
  // An observation's times are our clock's, made here by toISOString: handed over as numbers too, not
  // parsed again. (Only a clock outside years 0–9999 gives another shape: applyReport refuses it, as before.)
  const receivedMs = receivedAt.getTime();
  const secondMs = receivedMs - (receivedMs % 1000);
  const canonical = received.length === 24;
  const observation: LifecycleReport = {
    status: report.status,
    kind: 'observation',
    // Many providers date events to the second: a change in the same second as our read must tie with it
    // (a tie applies a move up the rank), not look older than the read. Zeroing the milliseconds of the
    // text is the same instant as `secondMs` after 1970 (before it, the remainder rounds up).
    occurredAt: canonical && receivedMs >= 0 ? `${received.slice(0, 20)}000Z` : new Date(secondMs).toISOString(),
    receivedAt: received,
  };
  if (report.previousStatus !== undefined) observation.previousStatus = report.previousStatus;
  return canonical ? applyTimedReport(snapshot, observation, secondMs, receivedMs) : applyReport(snapshot, observation);
}

function capAtReceipt(occurredAt: string, receivedAt: Date): string {
  const latest = receivedAt.getTime() + PROVIDER_CLOCK_SKEW_MS;
  return (canonicalInstantMs(occurredAt) ?? Date.parse(occurredAt)) > latest ? new Date(latest).toISOString() : occurredAt;
}

/** Builds a lifecycle event for `customer` (already in its new state). */
export function eventFor(
  customer: Customer,
  from: CustomerStatus | null,
  to: CustomerStatus,
  meta: { at: string; occurredAt?: string | undefined; source: EventSource; providerStatus?: string | undefined; seq: number },
): KycEvent {
  // Built in one object, keys in the order of the event types (base fields, `type`, then data).
  const event: Record<string, unknown> = {
    id: eventId(customer.id, meta.seq),
    customerId: customer.id,
    reference: customer.reference,
    provider: customer.provider,
    providerCustomerId: customer.providerCustomerId,
    from,
    to,
    at: meta.at,
  };
  if (meta.occurredAt !== undefined) event.occurredAt = meta.occurredAt;
  event.source = meta.source;
  // The same value the customer record keeps as `rawStatus` for this report: the provider's word, verbatim.
  if (meta.providerStatus !== undefined) event.providerStatus = meta.providerStatus;
  const type = from === null ? 'customer.created' : EVENT_TYPE_FOR_STATUS[to];
  event.type = type;
  switch (type) {
    case 'customer.needs_info':
      event.requirements = customer.requirements;
      break;
    case 'customer.rejected':
      event.rejection = customer.rejection ?? UNKNOWN_REJECTION;
      break;
    case 'customer.verified':
      if (customer.verificationLevel !== undefined) event.verificationLevel = customer.verificationLevel;
      break;
    default:
      break;
  }
  return event as unknown as KycEvent;
}

/** Event ids derive from the customer and its event sequence: stable, unique, no randomness. */
export function eventId(customerId: string, seq: number): string {
  return `evt_${customerId}_${seq}`;
}

const UNKNOWN_REJECTION = {
  code: 'other',
  message: 'We could not verify your identity. Please contact support.',
  retryable: false,
} as const;

/**
 * Provider times are untrusted input: an unparseable one falls back to the
 * receipt time (a bad clock on their side must not throw inside webhook
 * handling), and one without an offset is read as UTC, never as this
 * server's local time.
 */
export function normalizeOccurredAt(value: string | undefined, receivedAt: string): string {
  if (value === undefined) return receivedAt;
  // Already what `toISOString` would give back (adapters normalise their times): kept as is,
  // without formatting a Date again. Date.parse rolls Feb 30 or 24:00 over to the next day:
  // such a value is not canonical and takes the general path.
  if (typeof value === 'string' && canonicalInstantMs(value) !== undefined) return value;
  if (CANONICAL_INSTANT.test(value)) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms) && new Date(ms).getUTCDate() === (value.charCodeAt(8) - 48) * 10 + value.charCodeAt(9) - 48) return value;
  }
  const withZone = HAS_ZONE.test(value) || !HAS_TIME.test(value) ? value : `${value}Z`;
  const ms = Date.parse(withZone);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : receivedAt;
}

const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HAS_TIME = /T\d{2}:\d{2}/;
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A new rejection carries the report's reason, or the unknown one (not retryable) when the provider gave
 * none — never an earlier attempt's. A rejection stays visible while the customer works towards a retry,
 * and is cleared by approval.
 */
function rejectionAfter(customer: Customer, report: ProviderReport, steps: readonly LifecycleStep[]): Rejection | undefined {
  const status = steps.at(-1)?.to ?? customer.status;
  if (status === 'verified' || status === 'active') return undefined;
  if (steps.some((step) => step.to === 'rejected')) return report.rejection ?? UNKNOWN_REJECTION;
  return report.rejection ?? customer.rejection;
}

/** The timestamps a move into `to` sets, added to `stamps` (later steps win). */
function stampTransition(stamps: Partial<Customer> | undefined, to: CustomerStatus, at: string): Partial<Customer> | undefined {
  switch (to) {
    case 'pending':
      return { ...stamps, submittedAt: at, pendingSince: at, reviewOverdueAt: undefined, reviewOverdueLevel: undefined };
    case 'verified':
      return { ...stamps, verifiedAt: at };
    case 'active':
      return { ...stamps, activatedAt: at };
    case 'rejected':
      return { ...stamps, rejectedAt: at };
    case 'deactivated':
      return { ...stamps, deactivatedAt: at };
    default:
      return stamps;
  }
}

function updateCurrentAttempt(customer: Customer, report: ProviderReport): readonly CustomerAttempt[] {
  // A poll that finds the same status changes no attempt: the (readonly) list is kept, not copied.
  if (!changesAnAttempt(customer.attempts, report)) return customer.attempts;
  return customer.attempts.map((attempt) =>
    attempt.providerCustomerId === report.providerCustomerId
      ? { ...attempt, status: report.status, rawStatus: report.rawStatus }
      : attempt,
  );
}

function changesAnAttempt(attempts: readonly CustomerAttempt[], report: ProviderReport): boolean {
  for (let index = 0; index < attempts.length; index++) {
    const attempt = attempts[index]!;
    if (attempt.providerCustomerId === report.providerCustomerId && (attempt.status !== report.status || attempt.rawStatus !== report.rawStatus)) return true;
  }
  return false;
}

function ignore(
  customer: Customer,
  report: ProviderReport,
  source: EventSource,
  at: string,
  received: string,
  reason: IgnoredReport['reason'],
): ReportOutcome {
  const occurredAt = normalizeOccurredAt(report.occurredAt, received);
  const entry: IgnoredReport = { at, source, status: report.status, rawStatus: report.rawStatus, occurredAt, reason };
  return {
    outcome: 'ignored',
    reason,
    customer: {
      ...customer,
      ignored: [...customer.ignored, entry].slice(-IGNORED_KEPT),
      updatedAt: at,
      version: customer.version + 1,
    },
    events: [],
  };
}
