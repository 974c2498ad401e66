import type { Customer } from '../models/customer.js';
import type { ReconcileLeases } from './reconcile-leases.js';

/** What the memory leases read of the store: customers in some statuses with their due times, synchronously. */
export interface MemoryReconcileCandidates {
  /** Calls `visit` for each customer in `statuses`, in insertion order, with its stored due time. */
  forEachInStatuses(statuses: ReadonlySet<string>, visit: (id: string, dueAt: string | undefined) => void): void;
  /** The customer's status now, without decoding it; `undefined` when it is gone. */
  statusOf(id: string): string | undefined;
  /** The customer's stored due time now. */
  dueAtOf(id: string): string | undefined;
  /** The customer, decoded. */
  read(id: string): Customer | undefined;
}

/**
 * memoryStore's reconcile leases: the claim picks and leases in one synchronous step (no await between
 * them), so concurrent `reconcile()` runs in this process never claim one customer twice; leases expire
 * by the wall clock, like a SQL store's.
 *
 * A scan visits every candidate once and keeps only the longest-due few (a bounded sorted window, ties in
 * insertion order), and keeps `AHEAD_PAGES` pages of them beyond the claim: the next claims of the same
 * kind (same statuses and due time) within `AHEAD_TTL_MS` are served from there, each candidate checked
 * again (still there, in those statuses, due, not leased), and scan again only when it runs out. A run over
 * N customers in pages of k so visits them about N / (k · AHEAD_PAGES) times instead of N / k. A customer
 * that became due after the scan waits for the next scan (at most `AHEAD_TTL_MS`): it is still polled by
 * the same run. Only claimed customers are decoded.
 */
export function memoryReconcileLeases(candidates: MemoryReconcileCandidates, clock: () => number = Date.now): ReconcileLeases {
  /** customer id → lease expiry (ms since the epoch) */
  const leases = new Map<string, number>();
  /** Candidates found by the last scan beyond what it claimed, in claim order. */
  let ahead: { key: string; scannedAt: number; ids: readonly string[]; next: number } | undefined;

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
      const isDue = (dueAt: string | undefined): boolean => all || dueAt === undefined || dueAt <= claim.dueAt;
      const claimed: Customer[] = [];
      const until = now + claim.leaseMs;
      const take = (id: string): void => {
        const customer = candidates.read(id);
        if (customer === undefined) return;
        leases.set(id, until);
        claimed.push(customer);
      };

      const key = `${all ? '*' : claim.dueAt}\u0000${[...statuses].sort().join(',')}`;
      if (ahead !== undefined && ahead.key === key && now - ahead.scannedAt <= AHEAD_TTL_MS) {
        const queued = ahead;
        while (claimed.length < limit && queued.next < queued.ids.length) {
          const id = queued.ids[queued.next++]!;
          const status = candidates.statusOf(id);
          if (status !== undefined && statuses.has(status) && isFree(id) && isDue(candidates.dueAtOf(id))) take(id);
        }
        if (claimed.length === limit) return claimed;
      }

      const window = new DueWindow(limit * AHEAD_PAGES);
      candidates.forEachInStatuses(statuses, (id, dueAt) => {
        if (isFree(id) && isDue(dueAt)) window.offer(id, dueAt ?? '');
      });
      const found = window.ids;
      let next = 0;
      while (claimed.length < limit && next < found.length) take(found[next++]!);
      ahead = next < found.length ? { key, scannedAt: now, ids: found, next } : undefined;
      return claimed;
    },
    async releaseLeases(customerIds) {
      for (const id of customerIds) leases.delete(id);
    },
  };
}

/** Pages of candidates a scan keeps beyond the claim it serves. */
const AHEAD_PAGES = 16;
/** How long a scan's candidates serve later claims. */
const AHEAD_TTL_MS = 1_000;

/**
 * The `limit` smallest due times offered so far, ascending; equal due times keep the order they were
 * offered in ('' sorts before every time: no due time counts as due since ever).
 */
class DueWindow {
  readonly ids: string[] = [];
  readonly #dueAts: string[] = [];
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  offer(id: string, dueAt: string): void {
    const dueAts = this.#dueAts;
    const full = dueAts.length >= this.#limit;
    // Not earlier than the latest kept: it stays out when full, and goes last otherwise (the common case
    // when most customers share a due time or none has one).
    if (dueAts.length === 0 || dueAt >= dueAts[dueAts.length - 1]!) {
      if (full) return;
      dueAts.push(dueAt);
      this.ids.push(id);
      return;
    }
    // After every kept one due at the same time or earlier (binary search for the upper bound).
    let low = 0;
    let high = dueAts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (dueAts[middle]! <= dueAt) low = middle + 1;
      else high = middle;
    }
    dueAts.splice(low, 0, dueAt);
    this.ids.splice(low, 0, id);
    if (full) {
      dueAts.pop();
      this.ids.pop();
    }
  }
}
