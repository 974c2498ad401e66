import type { CustomerStatus } from '../models/customer-status.js';
import { LIFECYCLE_MACHINE_VERSION } from './lifecycle-machine.js';
import { parseLifecycleTimestamp } from './timestamp.js';
import { lifecycleTransitionTable, type TransitionTable } from './transition-table.js';

/** The persisted lifecycle state of one customer. */
export interface LifecycleSnapshot {
  /** The lifecycle graph version (`LIFECYCLE_MACHINE_VERSION` when current). */
  machineVersion: number;
  /** The current status. */
  status: CustomerStatus;
  /** ISO 8601 `occurredAt` of the newest applied report. */
  lastReportAt?: string;
}

/** A provider report reduced to what the lifecycle needs. */
export interface LifecycleReport {
  /** The status the provider reported. */
  status: CustomerStatus;
  /** ISO 8601 with offset; core fills the receipt time when the provider gives none. */
  occurredAt: string;
}

/** One edge of the lifecycle machine; core emits one event per step. */
export interface LifecycleStep {
  /** The status before this step. */
  from: CustomerStatus;
  /** The status after this step. */
  to: CustomerStatus;
}

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
      /** The snapshot, with `lastReportAt` moved forward. */
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
 *
 * Checks, in order:
 * 1. `stale` — `occurredAt` strictly before `lastReportAt` (equal is not stale),
 *    whatever the status, final states included;
 * 2. `unchanged` — same status: no steps, `lastReportAt` moves forward;
 * 3. `final_state` — the current status is final (deactivated);
 * 4. `applied` — the shortest path in the machine's graph, one step per edge
 *    (a provider that reports `active` straight from review passes through
 *    `verified`); no path (e.g. anything → created) is `invalid_transition`.
 * An ignored result returns the input snapshot object untouched.
 */
export function applyReport(snapshot: LifecycleSnapshot, report: LifecycleReport): LifecycleResult {
  assertCurrentVersion(snapshot);
  const occurredAt = parseLifecycleTimestamp(report.occurredAt, 'report.occurredAt');
  const lastReportAt =
    snapshot.lastReportAt === undefined
      ? undefined
      : parseLifecycleTimestamp(snapshot.lastReportAt, 'snapshot.lastReportAt');

  if (lastReportAt !== undefined && occurredAt < lastReportAt) return ignored(snapshot, 'stale');

  if (report.status === snapshot.status) {
    // Never moves backwards (given the stale check above, this is occurredAt).
    const newest = lastReportAt !== undefined && lastReportAt >= occurredAt ? snapshot.lastReportAt : report.occurredAt;
    return { outcome: 'unchanged', snapshot: { ...snapshot, lastReportAt: newest } };
  }

  if (lifecycleTransitionTable.finalStatuses.has(snapshot.status)) return ignored(snapshot, 'final_state');

  const steps = SHORTEST_PATHS.get(snapshot.status)?.get(report.status);
  if (steps === undefined) return ignored(snapshot, 'invalid_transition');

  return {
    outcome: 'applied',
    snapshot: { machineVersion: LIFECYCLE_MACHINE_VERSION, status: report.status, lastReportAt: report.occurredAt },
    steps,
  };
}

/** The snapshot of a customer no report has touched yet: `created`, current machine version. */
export function initialLifecycleSnapshot(): LifecycleSnapshot {
  return { machineVersion: LIFECYCLE_MACHINE_VERSION, status: lifecycleTransitionTable.initial };
}

/**
 * The path `applyReport` walks from one status to another: shortest in the
 * machine's graph, ties broken by `INTERMEDIATE_PREFERENCE`. `undefined` when the
 * machine has no path; an empty array when `from === to`. Exposed for tests and
 * for callers that want to preview a move.
 */
export function lifecyclePath(from: CustomerStatus, to: CustomerStatus): readonly LifecycleStep[] | undefined {
  return SHORTEST_PATHS.get(from)?.get(to);
}

// --- helpers ---------------------------------------------------------------

/**
 * Tie-break between equally short paths: the design's happy path first
 * (pending → verified → active), then re-verification, then rejection. Each
 * intermediate status becomes an emitted event, and a rejection nobody reported
 * must not be invented when a request for information explains the same move in
 * as many steps (e.g. active → pending goes through needs_info, not rejected).
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

// All-pairs paths are computed once at load (7 × 7), so the hot path is two map
// lookups; the table itself is derived from the machine.
const SHORTEST_PATHS = computeShortestPaths(lifecycleTransitionTable);

function computeShortestPaths(
  table: TransitionTable,
): ReadonlyMap<CustomerStatus, ReadonlyMap<CustomerStatus, readonly LifecycleStep[]>> {
  const rank = (status: CustomerStatus): number => INTERMEDIATE_PREFERENCE.indexOf(status);
  const paths = new Map<CustomerStatus, Map<CustomerStatus, readonly LifecycleStep[]>>();
  for (const source of table.statuses) {
    paths.set(source, bfsFrom(source, table, rank));
  }
  return paths;
}

// Breadth-first search visiting successors in preference order: the first path
// found to a status is the shortest, and among the shortest the preferred one
// (BFS dequeues each level in preference order, so parents are chosen likewise).
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
    const successors = [...(table.graph.get(from)?.keys() ?? [])].sort((a, b) => rank(a) - rank(b));
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
