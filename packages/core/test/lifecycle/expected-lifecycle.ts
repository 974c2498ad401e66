import { CUSTOMER_STATUSES, type CustomerStatus } from '../../src/models/customer-status.js';

/**
 * The lifecycle as specified (DESIGN.md diagram + re-verification and
 * post-approval rejection edges), written out independently of the machine so
 * the tests check the machine against the spec rather than against itself.
 */
export const EXPECTED_EDGES: readonly (readonly [CustomerStatus, CustomerStatus])[] = [
  ['created', 'pending'],
  ['created', 'needs_info'],
  ['created', 'rejected'],
  ['pending', 'needs_info'],
  ['pending', 'verified'],
  ['pending', 'rejected'],
  ['needs_info', 'pending'],
  ['needs_info', 'rejected'],
  ['verified', 'active'],
  ['verified', 'needs_info'],
  ['verified', 'rejected'],
  ['active', 'deactivated'],
  ['active', 'needs_info'],
  ['active', 'rejected'],
  ['rejected', 'pending'],
  // Closed or withdrawn at the provider from any non-final status (clients-command Withdrawn/Closed).
  ['created', 'deactivated'],
  ['pending', 'deactivated'],
  ['needs_info', 'deactivated'],
  ['verified', 'deactivated'],
  ['rejected', 'deactivated'],
];

export const isExpectedEdge = (from: CustomerStatus, to: CustomerStatus): boolean =>
  EXPECTED_EDGES.some(([f, t]) => f === from && t === to);

export const expectedSuccessors = (from: CustomerStatus): CustomerStatus[] =>
  EXPECTED_EDGES.filter(([f]) => f === from).map(([, t]) => t);

/** All-pairs shortest distances (Floyd–Warshall) over EXPECTED_EDGES; Infinity when unreachable. */
export function expectedDistance(from: CustomerStatus, to: CustomerStatus): number {
  return DISTANCES.get(from)?.get(to) ?? Number.POSITIVE_INFINITY;
}

const DISTANCES = (() => {
  const d = new Map<CustomerStatus, Map<CustomerStatus, number>>();
  for (const a of CUSTOMER_STATUSES) {
    d.set(a, new Map(CUSTOMER_STATUSES.map((b) => [b, a === b ? 0 : isExpectedEdge(a, b) ? 1 : Number.POSITIVE_INFINITY])));
  }
  const get = (a: CustomerStatus, b: CustomerStatus): number => d.get(a)?.get(b) ?? Number.POSITIVE_INFINITY;
  for (const k of CUSTOMER_STATUSES) {
    for (const i of CUSTOMER_STATUSES) {
      for (const j of CUSTOMER_STATUSES) {
        if (get(i, k) + get(k, j) < get(i, j)) d.get(i)?.set(j, get(i, k) + get(k, j));
      }
    }
  }
  return d;
})();

/** ISO 8601 for `ms`, written with the given UTC offset (minutes), e.g. +02:00. */
export function isoWithOffset(ms: number, offsetMinutes = 0): string {
  if (offsetMinutes === 0) return new Date(ms).toISOString();
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, -1); // drop the Z
  const sign = offsetMinutes > 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}

/**
 * The ordering rules' rank (docs/lifecycle-ordering.md), written out independently of the implementation:
 * a move down it is a regression.
 */
export const EXPECTED_RANK: Readonly<Record<CustomerStatus, number>> = {
  created: 0,
  pending: 1,
  needs_info: 1,
  verified: 2,
  active: 3,
  rejected: 4,
  deactivated: 5,
};

/**
 * How many steps the rules allow from `from` to `to` without a previous status: one direct edge down the
 * rank; up or sideways, the shortest path none of whose steps goes down. Infinity when there is no way.
 */
export function expectedAllowedSteps(from: CustomerStatus, to: CustomerStatus): number {
  if (from === to) return 0;
  if (EXPECTED_RANK[to] < EXPECTED_RANK[from]) return isExpectedEdge(from, to) ? 1 : Number.POSITIVE_INFINITY;
  const seen = new Map<CustomerStatus, number>([[from, 0]]);
  const queue: CustomerStatus[] = [from];
  while (queue.length > 0) {
    const at = queue.shift()!;
    if (at === 'deactivated') continue;
    for (const next of expectedSuccessors(at)) {
      if (EXPECTED_RANK[next] < EXPECTED_RANK[at] || seen.has(next)) continue;
      seen.set(next, seen.get(at)! + 1);
      queue.push(next);
    }
  }
  return seen.get(to) ?? Number.POSITIVE_INFINITY;
}
