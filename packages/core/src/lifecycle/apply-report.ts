import type { CustomerStatus } from '../models/customer-status.js';
import { LIFECYCLE_MACHINE_VERSION } from './lifecycle-machine.js';
import { canonicalInstantMs, parseLifecycleTimestamp } from './timestamp.js';
import { lifecycleTransitionTable, type TransitionTable } from './transition-table.js';

/** The persisted lifecycle state of one customer. */
export interface LifecycleSnapshot {
  /** The lifecycle graph version (`LIFECYCLE_MACHINE_VERSION` when current). */
  machineVersion: number;
  /** The current status. */
  status: CustomerStatus;
  /** ISO 8601 time of the current state: the newest applied report's `occurredAt`. */
  lastReportAt?: string;
  /**
   * ISO 8601, our clock: when the newest applied (or confirming) report reached us. An observation
   * (poll, API answer) made before it cannot tell whether it saw that change, so it is stale.
   */
  lastReceivedAt?: string;
}

/**
 * How a report is ordered against the current state:
 * - `claim`: the provider tells us about a change at its own time (a webhook). Ordered by `occurredAt`.
 * - `observation`: we read the provider's current state (a poll, the answer to our own call). Ordered by
 *   `receivedAt` on our clock — it saw everything that reached us before we asked, whatever time a
 *   provider claimed for it.
 */
export type LifecycleReportKind = 'claim' | 'observation';

/** A provider report reduced to what the lifecycle needs. */
export interface LifecycleReport {
  /** The status the provider reported. */
  status: CustomerStatus;
  /**
   * ISO 8601 with offset: the time of the reported state. Core gives the provider's time, clamped to the
   * receipt time plus a small skew allowance, or the receipt time when the provider gives none; for an
   * observation, when we asked.
   */
  occurredAt: string;
  /** `claim` (the default) or `observation`; see {@link LifecycleReportKind}. */
  kind?: LifecycleReportKind;
  /** ISO 8601, our clock: when the report reached us (an observation: when we asked). Default: `occurredAt`. */
  receivedAt?: string;
  /**
   * The status the provider says the customer was in just before (a webhook's `previous_status`). A move the
   * customer has not seen yet goes through it, so real steps are neither skipped nor invented.
   */
  previousStatus?: CustomerStatus;
}

/** One edge of the lifecycle machine; core emits one event per step. */
export interface LifecycleStep {
  /** The status before this step. */
  from: CustomerStatus;
  /** The status after this step. */
  to: CustomerStatus;
}

/**
 * Why a report changed nothing: `stale` (not newer than the current state, see `applyReport`),
 * `invalid_transition` (the lifecycle has no way there that the rules allow) or `final_state`.
 */
export type LifecycleIgnoredReason = 'stale' | 'invalid_transition' | 'final_state';

/**
 * What `applyReport` decided: `applied` (with one step per lifecycle edge), `unchanged` (same status), or
 * `ignored` (with the reason).
 */
export type LifecycleResult =
  | {
      /** The report moved the customer. */
      outcome: 'applied';
      /** The snapshot after the report. */
      snapshot: LifecycleSnapshot;
      /** One step per lifecycle edge walked, in order. */
      steps: readonly LifecycleStep[];
    }
  | {
      /** Same status as before: nothing to emit. */
      outcome: 'unchanged';
      /** The snapshot, with its times moved forward. */
      snapshot: LifecycleSnapshot;
    }
  | {
      /** The report changed nothing. */
      outcome: 'ignored';
      /** The input snapshot, untouched. */
      snapshot: LifecycleSnapshot;
      /** Why: `stale`, `invalid_transition` or `final_state`. */
      reason: LifecycleIgnoredReason;
    };

/**
 * Applies one provider report to a customer's lifecycle snapshot. Pure; never
 * throws for provider behaviour (stale, out-of-order or impossible reports come
 * back as `ignored` with a reason). It throws only on caller bugs: a snapshot of
 * another machine version (migrate it first) or a non-ISO timestamp (TypeError).
 * The rules are written out in docs/lifecycle-ordering.md:
 *
 * 1. **Order.** A claim is compared by `occurredAt` with `lastReportAt`; an
 *    observation by `receivedAt` with `lastReceivedAt`. Older is `stale`, whatever
 *    the status (final states included).
 * 2. **Ties never regress.** A claim at the same time as the current state applies
 *    only when it moves up the status rank (created < pending = needs_info <
 *    verified < active < rejected < deactivated); any other change is `stale`.
 *    Providers often report whole seconds. An observation made at the instant the
 *    last report reached us is newer than it (we ask after handling what came in).
 * 3. Same status: `unchanged`, times move forward. A final current status: `final_state`.
 * 4. **Moves up or sideways** walk the shortest path whose every step keeps or raises
 *    the rank (a provider that reports `active` straight from review passes through
 *    `verified`); through `previousStatus` first when the report names one.
 * 5. **Moves down the rank** (re-verification, a retry) take one direct edge of the
 *    machine, never a path: core does not insert a status on the way back.
 * 6. No allowed way: `invalid_transition`.
 * An ignored result returns the input snapshot object untouched.
 */
export function applyReport(snapshot: LifecycleSnapshot, report: LifecycleReport): LifecycleResult {
  assertCurrentVersion(snapshot);
  const occurredAt = parseLifecycleTimestamp(report.occurredAt, 'report.occurredAt');
  const receivedAt = report.receivedAt === undefined ? occurredAt : parseLifecycleTimestamp(report.receivedAt, 'report.receivedAt');
  return applyTimedReport(snapshot, report, occurredAt, receivedAt);
}

/**
 * `applyReport` for a caller that made the report's times itself (core: `toISOString` of its own clock) and
 * has them as epoch milliseconds already: the same result, without parsing them again. Internal.
 */
export function applyTimedReport(snapshot: LifecycleSnapshot, report: LifecycleReport, occurredAt: number, receivedAt: number): LifecycleResult {
  assertCurrentVersion(snapshot);
  const receivedAtText = report.receivedAt ?? report.occurredAt;
  const observation = report.kind === 'observation';

  const currentText = observation ? snapshot.lastReceivedAt : snapshot.lastReportAt;
  const current =
    currentText === undefined
      ? undefined
      : parseLifecycleTimestamp(currentText, observation ? 'snapshot.lastReceivedAt' : 'snapshot.lastReportAt');
  const reportTime = observation ? receivedAt : occurredAt;

  if (current !== undefined && reportTime < current) return ignored(snapshot, 'stale');
  // An observation asked at the very instant the last report reached us comes after it: we only ask
  // once we are done with what we received.
  const tie = !observation && current !== undefined && reportTime === current;

  if (report.status === snapshot.status) {
    return { outcome: 'unchanged', snapshot: advanceTimes(snapshot, report, occurredAt, receivedAtText, receivedAt, observation, current) };
  }
  if (tie && STATUS_RANK[report.status] <= STATUS_RANK[snapshot.status]) return ignored(snapshot, 'stale');
  if (lifecycleTransitionTable.finalStatuses.has(snapshot.status)) return ignored(snapshot, 'final_state');

  const steps = stepsThrough(snapshot.status, report.previousStatus, report.status) ?? leg(snapshot.status, report.status);
  if (steps === undefined) return ignored(snapshot, 'invalid_transition');

  return {
    outcome: 'applied',
    snapshot: {
      machineVersion: LIFECYCLE_MACHINE_VERSION,
      status: report.status,
      lastReportAt: report.occurredAt,
      lastReceivedAt: newest(snapshot.lastReceivedAt, receivedAtText, receivedAt),
    },
    steps,
  };
}

/**
 * The rank the ordering rules compare (see `applyReport`): a move to a lower rank is a regression, which ties
 * never cause and paths never contain. `pending` and `needs_info` share a rank: a customer goes back and
 * forth between them while answering requests for information.
 */
export const STATUS_RANK: Readonly<Record<CustomerStatus, number>> = Object.freeze({
  created: 0,
  pending: 1,
  needs_info: 1,
  verified: 2,
  active: 3,
  rejected: 4,
  deactivated: 5,
});

/** The snapshot of a customer no report has touched yet: `created`, current machine version. */
export function initialLifecycleSnapshot(): LifecycleSnapshot {
  return { machineVersion: LIFECYCLE_MACHINE_VERSION, status: lifecycleTransitionTable.initial };
}

/**
 * The path `applyReport` walks from one status to another when the report names no previous status: for a
 * move that keeps or raises the rank, the shortest path that never lowers it (ties broken by
 * `INTERMEDIATE_PREFERENCE`); for a move down, the direct edge. `undefined` when there is no such way; an
 * empty array when `from === to`. Exposed for tests and for callers that want to preview a move.
 */
export function lifecyclePath(from: CustomerStatus, to: CustomerStatus): readonly LifecycleStep[] | undefined {
  return leg(from, to);
}

// --- helpers ---------------------------------------------------------------

/** One leg of a move: a rank-keeping path upwards, or a single edge downwards. */
function leg(from: CustomerStatus, to: CustomerStatus): readonly LifecycleStep[] | undefined {
  if (STATUS_RANK[to] < STATUS_RANK[from]) return DIRECT_EDGES.get(from)?.get(to);
  return UPWARD_PATHS.get(from)?.get(to);
}

/** `from → previous → to`, when the provider named a previous status the customer is not in yet. */
function stepsThrough(
  from: CustomerStatus,
  previous: CustomerStatus | undefined,
  to: CustomerStatus,
): readonly LifecycleStep[] | undefined {
  // Only when the customer is elsewhere on the way: a redelivered report for a status it already has
  // must stay a no-op, not a loop through `previous` and back.
  if (previous === undefined || previous === from || previous === to) return undefined;
  if (lifecycleTransitionTable.finalStatuses.has(previous)) return undefined;
  const first = leg(from, previous);
  const second = first === undefined ? undefined : leg(previous, to);
  return first === undefined || second === undefined ? undefined : [...first, ...second];
}

function advanceTimes(
  snapshot: LifecycleSnapshot,
  report: LifecycleReport,
  occurredAt: number,
  receivedAtText: string,
  receivedAt: number,
  observation: boolean,
  /** The compared stored time, parsed: `lastReceivedAt` for an observation, `lastReportAt` for a claim. */
  current: number | undefined,
): LifecycleSnapshot {
  // An observation re-anchors the state's time on our clock (a claimed future time must not outlive it);
  // a claim only moves it forward.
  const lastReportAt = observation ? report.occurredAt : newest(snapshot.lastReportAt, report.occurredAt, occurredAt, current);
  const lastReceivedAt = newest(snapshot.lastReceivedAt, receivedAtText, receivedAt, observation ? current : undefined);
  if (lastReportAt === snapshot.lastReportAt && lastReceivedAt === snapshot.lastReceivedAt) return snapshot;
  return withTimes(snapshot, lastReportAt, lastReceivedAt);
}

function withTimes(snapshot: LifecycleSnapshot, lastReportAt: string | undefined, lastReceivedAt: string | undefined): LifecycleSnapshot {
  const next: LifecycleSnapshot = { machineVersion: snapshot.machineVersion, status: snapshot.status };
  if (lastReportAt !== undefined) next.lastReportAt = lastReportAt;
  if (lastReceivedAt !== undefined) next.lastReceivedAt = lastReceivedAt;
  return next;
}

/** The later of a stored time and a new one; the stored string is kept when they are the same instant. */
function newest(stored: string | undefined, candidateText: string, candidate: number, storedMs?: number): string {
  if (stored === undefined) return candidateText;
  return (storedMs ?? (typeof stored === 'string' ? canonicalInstantMs(stored) : undefined) ?? Date.parse(stored)) >= candidate ? stored : candidateText;
}

/**
 * Tie-break between equally short paths: the design's happy path first
 * (pending → verified → active), then re-verification, then rejection. Each
 * intermediate status becomes an emitted event, and a rejection nobody reported
 * must not be invented when another status explains the same move in as many steps.
 */
const INTERMEDIATE_PREFERENCE: readonly CustomerStatus[] = [
  'pending',
  'verified',
  'active',
  'needs_info',
  'rejected',
  'deactivated',
  'created',
];

// All paths are computed once at load (7 × 7), so the hot path is two map
// lookups; the table itself is derived from the machine.
const UPWARD_PATHS = computeUpwardPaths(lifecycleTransitionTable);
const DIRECT_EDGES = computeDirectEdges(lifecycleTransitionTable);

function computeUpwardPaths(
  table: TransitionTable,
): ReadonlyMap<CustomerStatus, ReadonlyMap<CustomerStatus, readonly LifecycleStep[]>> {
  const rank = (status: CustomerStatus): number => INTERMEDIATE_PREFERENCE.indexOf(status);
  const paths = new Map<CustomerStatus, Map<CustomerStatus, readonly LifecycleStep[]>>();
  for (const source of table.statuses) {
    paths.set(source, bfsFrom(source, table, rank));
  }
  return paths;
}

function computeDirectEdges(table: TransitionTable): ReadonlyMap<CustomerStatus, ReadonlyMap<CustomerStatus, readonly LifecycleStep[]>> {
  const edges = new Map<CustomerStatus, Map<CustomerStatus, readonly LifecycleStep[]>>();
  for (const from of table.statuses) {
    const byTarget = new Map<CustomerStatus, readonly LifecycleStep[]>();
    for (const to of table.graph.get(from)?.keys() ?? []) byTarget.set(to, Object.freeze([Object.freeze({ from, to })]));
    edges.set(from, byTarget);
  }
  return edges;
}

// Breadth-first search over rank-keeping edges only, visiting successors in
// preference order: the first path found to a status is the shortest, and among
// the shortest the preferred one (BFS dequeues each level in preference order, so
// parents are chosen likewise).
function bfsFrom(
  source: CustomerStatus,
  table: TransitionTable,
  rank: (status: CustomerStatus) => number,
): Map<CustomerStatus, readonly LifecycleStep[]> {
  const found = new Map<CustomerStatus, readonly LifecycleStep[]>([[source, Object.freeze([])]]);
  const queue: CustomerStatus[] = [source];
  for (let head = 0; head < queue.length; head += 1) {
    const from = queue[head] as CustomerStatus;
    if (table.finalStatuses.has(from)) continue;
    const pathToFrom = found.get(from) ?? [];
    const successors = [...(table.graph.get(from)?.keys() ?? [])]
      .filter((to) => STATUS_RANK[to] >= STATUS_RANK[from])
      .sort((a, b) => rank(a) - rank(b));
    for (const to of successors) {
      if (found.has(to)) continue;
      found.set(to, Object.freeze([...pathToFrom, Object.freeze({ from, to })]));
      queue.push(to);
    }
  }
  return found;
}

function ignored(snapshot: LifecycleSnapshot, reason: LifecycleIgnoredReason): LifecycleResult {
  return { outcome: 'ignored', snapshot, reason };
}

function assertCurrentVersion(snapshot: LifecycleSnapshot): void {
  if (snapshot.machineVersion !== LIFECYCLE_MACHINE_VERSION) {
    throw new Error(
      `Lifecycle snapshot has machineVersion ${String(snapshot.machineVersion)}, this build applies reports to version ${LIFECYCLE_MACHINE_VERSION}; migrate it with migrateLifecycleSnapshot first.`,
    );
  }
}
