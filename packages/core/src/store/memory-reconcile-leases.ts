import type { Customer } from '../models/customer.js';
import type { ReconcileLeases } from './reconcile-leases.js';

/** What the memory leases read of the store: customers in some statuses with their due times, synchronously. */
export interface MemoryReconcileCandidates<Row extends CandidateRow = CandidateRow> {
  /** Calls `visit` for each customer in `statuses`, in insertion order, with its stored due time. */
  forEachInStatuses(statuses: ReadonlySet<string>, visit: (id: string, dueAt: string | undefined) => void): void;
  /** The customer's stored row now (status and due time, not decoded); `undefined` when it is gone. */
  find(id: string): Row | undefined;
  /** The customer of a row `find` just gave, decoded. */
  decode(row: Row): Customer;
}

/** What a claim checks of a stored customer before decoding it. */
export interface CandidateRow {
  readonly status: string;
  readonly reconcileDueAt: string | undefined;
}

/**
 * memoryStore's reconcile leases: the claim picks and leases in one synchronous step (no await between
 * them), so concurrent `reconcile()` runs in this process never claim one customer twice; leases expire
 * by the wall clock, like a SQL store's.
 *
 * A scan visits every candidate once, keeps every eligible one in claim order (a stable sort by due time,
 * ties in insertion order; no sort at all when they came in that order already), and serves the next
 * claims of the same kind (same statuses and due time) from that list while it is fresh — `AHEAD_TTL_MS`,
 * or 100 × the scan's own duration on a store large enough for a scan to take over 10 ms — each candidate
 * checked again (still there, in those statuses, due, not leased); it scans again when the list runs out
 * or is too old. A run so visits each customer about once per list lifetime instead of once per page
 * (N² / page size visits: the claim was most of core's CPU per customer in figure 5). A customer that
 * became due after the scan waits for the next scan (at most the list's lifetime): it is still polled by
 * the same run. Only claimed customers are decoded; the list holds ids only (one pointer per candidate)
 * and is dropped when the run releases its leases.
 */
export function memoryReconcileLeases<Row extends CandidateRow>(
  candidates: MemoryReconcileCandidates<Row>,
  clock: () => number = Date.now,
): ReconcileLeases {
  /** customer id → lease expiry (ms since the epoch) */
  const leases = new Map<string, number>();
  /** Candidates found by the last scan beyond what it claimed, in claim order. */
  let ahead: { key: string; scannedAt: number; ttlMs: number; ids: readonly string[]; next: number } | undefined;

  return {
    async claimDue(claim) {
      const now = clock();
      const limit = Math.max(0, Math.floor(claim.limit));
      if (limit === 0) return [];
      const statuses = new Set<string>(claim.statuses);
      const all = claim.all === true;
      const isFree = (id: string): boolean => {
        const leasedUntil = leases.get(id);
        return leasedUntil === undefined || leasedUntil <= now;
      };
      const dueAt = claim.dueAt;
      const claimed: Customer[] = [];
      const until = now + claim.leaseMs;
      // One lookup per candidate: the row found is checked and decoded (a large store's lookups miss cache).
      const take = (id: string, row: Row | undefined = candidates.find(id)): void => {
        if (row === undefined) return;
        leases.set(id, until);
        claimed.push(candidates.decode(row));
      };

      const key = `${all ? '*' : dueAt}\u0000${[...statuses].sort().join(',')}`;
      if (ahead !== undefined && ahead.key === key && now - ahead.scannedAt <= ahead.ttlMs) {
        const queued = ahead;
        while (claimed.length < limit && queued.next < queued.ids.length) {
          const id = queued.ids[queued.next++]!;
          const row = candidates.find(id);
          if (row === undefined || !statuses.has(row.status) || !isFree(id)) continue;
          if (all) take(id, row);
          else {
            const due = row.reconcileDueAt;
            if (due === undefined || due <= dueAt) take(id, row);
          }
        }
        if (claimed.length === limit) return claimed;
      }

      const scanStarted = performance.now();
      const found = scanEligible(candidates, statuses, all, dueAt, isFree);
      // A large store's scan takes longer: its list serves longer, so scans stay a small share of a run.
      const ttlMs = Math.max(AHEAD_TTL_MS, (performance.now() - scanStarted) * AHEAD_TTL_PER_SCAN_MS);
      let next = 0;
      while (claimed.length < limit && next < found.length) take(found[next++]!);
      ahead = next < found.length ? { key, scannedAt: now, ttlMs, ids: found, next } : undefined;
      return claimed;
    },
    async releaseLeases(customerIds) {
      for (const id of customerIds) leases.delete(id);
      // A run ends by releasing: its candidates are not kept alive for the next one (which rescans).
      ahead = undefined;
    },
  };
}

/** How long a scan's candidates serve later claims, at least… */
const AHEAD_TTL_MS = 1_000;
/** …and at least this many times as long as the scan took (scans ≤ 1 % of a long run's time). */
const AHEAD_TTL_PER_SCAN_MS = 100;

/**
 * Every unleased candidate in `statuses` that is due (any, with `all`), in claim order: by due time
 * ascending, no due time first (it counts as due since ever), equal due times in the order visited.
 */
function scanEligible(
  candidates: MemoryReconcileCandidates<CandidateRow>,
  statuses: ReadonlySet<string>,
  all: boolean,
  dueAt: string,
  isFree: (id: string) => boolean,
): string[] {
  const ids: string[] = [];
  const dueAts: string[] = [];
  let ordered = true;
  let last = '';
  candidates.forEachInStatuses(statuses, (id, due) => {
    if (!(all || due === undefined || due <= dueAt) || !isFree(id)) return;
    const key = due ?? '';
    if (key < last) ordered = false;
    else last = key;
    ids.push(id);
    dueAts.push(key);
  });
  if (ordered) return ids;
  // Array.prototype.sort is stable: equal due times keep the order they were visited in.
  const order = Array.from(ids.keys()).sort((a, b) => (dueAts[a]! < dueAts[b]! ? -1 : dueAts[a]! > dueAts[b]! ? 1 : 0));
  return order.map((index) => ids[index]!);
}
