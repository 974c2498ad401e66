import { describe, expect, it } from 'vitest';
import {
  applyReport,
  initialLifecycleSnapshot,
  lifecyclePath,
  type LifecycleResult,
  type LifecycleSnapshot,
} from '../../src/lifecycle/apply-report.js';
import { CUSTOMER_STATUSES, type CustomerStatus } from '../../src/models/customer-status.js';
import { EXPECTED_EDGES, expectedDistance, isExpectedEdge } from './expected-lifecycle.js';

const T1 = '2024-05-01T10:00:00.000Z';
const T2 = '2024-05-01T11:00:00.000Z';
const T0 = '2024-05-01T09:00:00.000Z';

const at = (status: CustomerStatus, lastReportAt?: string): LifecycleSnapshot =>
  lastReportAt === undefined ? { machineVersion: 1, status } : { machineVersion: 1, status, lastReportAt };

const stepsOf = (result: LifecycleResult): string[] =>
  result.outcome === 'applied' ? result.steps.map((s) => `${s.from}→${s.to}`) : [];

/** Every pair that is neither the same status nor an edge, and what it must do. */
const NON_EDGE_PAIRS: readonly [CustomerStatus, CustomerStatus, readonly CustomerStatus[] | 'invalid_transition' | 'final_state'][] = [
  // A provider reporting a later status passes through the ones in between (design's path first).
  ['created', 'verified', ['created', 'pending', 'verified']],
  ['created', 'active', ['created', 'pending', 'verified', 'active']],
  ['pending', 'active', ['pending', 'verified', 'active']],
  ['needs_info', 'verified', ['needs_info', 'pending', 'verified']],
  ['needs_info', 'active', ['needs_info', 'pending', 'verified', 'active']],
  // Down the rank there is only the direct edge: core never invents a status on the way back
  // (a retry that the provider answers at once names pending as its previous status).
  ['rejected', 'needs_info', 'invalid_transition'],
  ['rejected', 'verified', 'invalid_transition'],
  ['rejected', 'active', 'invalid_transition'],
  ['verified', 'pending', 'invalid_transition'],
  ['active', 'pending', 'invalid_transition'],
  ['active', 'verified', 'invalid_transition'],
  // Nothing leads back to created.
  ['pending', 'created', 'invalid_transition'],
  ['needs_info', 'created', 'invalid_transition'],
  ['verified', 'created', 'invalid_transition'],
  ['active', 'created', 'invalid_transition'],
  ['rejected', 'created', 'invalid_transition'],
  // Nothing leaves deactivated.
  ['deactivated', 'created', 'final_state'],
  ['deactivated', 'pending', 'final_state'],
  ['deactivated', 'needs_info', 'final_state'],
  ['deactivated', 'verified', 'final_state'],
  ['deactivated', 'active', 'final_state'],
  ['deactivated', 'rejected', 'final_state'],
];

describe('initialLifecycleSnapshot', () => {
  it('is created, current version, no report yet', () => {
    expect(initialLifecycleSnapshot()).toEqual({ machineVersion: 1, status: 'created' });
  });
});

describe('applyReport: edges', () => {
  it.each(EXPECTED_EDGES)('%s → %s is applied in one step', (from, to) => {
    const result = applyReport(at(from, T1), { status: to, occurredAt: T2 });
    expect(result).toEqual({
      outcome: 'applied',
      snapshot: { machineVersion: 1, status: to, lastReportAt: T2, lastReceivedAt: T2 },
      steps: [{ from, to }],
    });
  });
});

describe('applyReport: every other pair', () => {
  it('the list below covers every pair that is neither an edge nor a self-report', () => {
    const listed = new Set(NON_EDGE_PAIRS.map(([from, to]) => `${from}→${to}`));
    expect(listed.size).toBe(NON_EDGE_PAIRS.length);
    for (const from of CUSTOMER_STATUSES) {
      for (const to of CUSTOMER_STATUSES) {
        const expected = from !== to && !isExpectedEdge(from, to);
        expect(listed.has(`${from}→${to}`), `${from}→${to}`).toBe(expected);
      }
    }
    expect(NON_EDGE_PAIRS.length + EXPECTED_EDGES.length + CUSTOMER_STATUSES.length).toBe(49);
  });

  it.each(NON_EDGE_PAIRS)('%s → %s: %j', (from, to, expected) => {
    const before = at(from, T1);
    const result = applyReport(before, { status: to, occurredAt: T2 });
    if (typeof expected === 'string') {
      expect(result).toEqual({ outcome: 'ignored', snapshot: before, reason: expected });
      expect(result.snapshot).toBe(before);
      return;
    }
    expect(result.outcome).toBe('applied');
    expect(result.snapshot).toEqual({ machineVersion: 1, status: to, lastReportAt: T2, lastReceivedAt: T2 });
    const walked = expected.slice(1).map((status, i) => `${expected[i]}→${status}`);
    expect(stepsOf(result)).toEqual(walked);
    expect(walked.length).toBe(expectedDistance(from, to)); // shortest
  });

  it.each(CUSTOMER_STATUSES)('%s → %s (same status) is unchanged, no steps, lastReportAt moves forward', (status) => {
    expect(applyReport(at(status, T1), { status, occurredAt: T2 })).toEqual({
      outcome: 'unchanged',
      snapshot: { machineVersion: 1, status, lastReportAt: T2, lastReceivedAt: T2 },
    });
    expect(applyReport(at(status), { status, occurredAt: T1 })).toEqual({
      outcome: 'unchanged',
      snapshot: { machineVersion: 1, status, lastReportAt: T1, lastReceivedAt: T1 },
    });
  });

  it('lifecyclePath agrees with applyReport and is empty for the same status', () => {
    expect(lifecyclePath('pending', 'pending')).toEqual([]);
    expect(lifecyclePath('pending', 'created')).toBeUndefined();
    expect(lifecyclePath('verified', 'pending')).toBeUndefined();
    expect(lifecyclePath('verified', 'needs_info')).toEqual([{ from: 'verified', to: 'needs_info' }]);
    expect(lifecyclePath('pending', 'active')).toEqual([
      { from: 'pending', to: 'verified' },
      { from: 'verified', to: 'active' },
    ]);
  });
});

describe('applyReport: time', () => {
  it('a report strictly older than the last applied one is stale, whatever it says', () => {
    for (const from of CUSTOMER_STATUSES) {
      for (const to of CUSTOMER_STATUSES) {
        const before = at(from, T2);
        const result = applyReport(before, { status: to, occurredAt: T1 });
        expect(result, `${from} ← ${to}`).toEqual({ outcome: 'ignored', snapshot: before, reason: 'stale' });
        expect(result.snapshot).toBe(before);
      }
    }
  });

  it('at an equal timestamp only a move up the rank applies; a tie never regresses', () => {
    expect(applyReport(at('pending', T1), { status: 'verified', occurredAt: T1 }).outcome).toBe('applied');
    expect(applyReport(at('verified', T1), { status: 'active', occurredAt: T1 }).outcome).toBe('applied');
    expect(applyReport(at('pending', T1), { status: 'pending', occurredAt: T1 })).toEqual({
      outcome: 'unchanged',
      snapshot: { ...at('pending', T1), lastReceivedAt: T1 },
    });
    // The reported bug: a late `pending` in the same second as `verified` walked verified → needs_info → pending.
    const verified = at('verified', T1);
    expect(applyReport(verified, { status: 'pending', previousStatus: 'created', occurredAt: T1 })).toEqual({
      outcome: 'ignored',
      snapshot: verified,
      reason: 'stale',
    });
    expect(applyReport(verified, { status: 'needs_info', occurredAt: T1 })).toMatchObject({ reason: 'stale' });
    expect(applyReport(at('needs_info', T1), { status: 'pending', occurredAt: T1 })).toMatchObject({ reason: 'stale' });
    expect(applyReport(at('active', T1), { status: 'needs_info', occurredAt: T1 })).toMatchObject({ reason: 'stale' });
    // A rejection outranks approval: the same second's "fraud found" is not lost.
    expect(applyReport(at('active', T1), { status: 'rejected', occurredAt: T1 }).outcome).toBe('applied');
  });

  it('a strictly newer regression takes the one direct edge, never a path', () => {
    expect(stepsOf(applyReport(at('verified', T1), { status: 'needs_info', occurredAt: T2 }))).toEqual(['verified→needs_info']);
    expect(applyReport(at('verified', T1), { status: 'pending', previousStatus: 'created', occurredAt: T2 })).toMatchObject({
      outcome: 'ignored',
      reason: 'invalid_transition',
    });
    expect(stepsOf(applyReport(at('rejected', T1), { status: 'pending', occurredAt: T2 }))).toEqual(['rejected→pending']);
  });

  it('walks through a previous status the provider named, each leg by the same rules', () => {
    // A retry answered at once: rejected → pending (direct, down) → verified (up).
    expect(stepsOf(applyReport(at('rejected', T1), { status: 'verified', previousStatus: 'pending', occurredAt: T2 }))).toEqual([
      'rejected→pending',
      'pending→verified',
    ]);
    // A missed resubmission: needs_info → pending → verified.
    expect(stepsOf(applyReport(at('needs_info', T1), { status: 'active', previousStatus: 'verified', occurredAt: T2 }))).toEqual([
      'needs_info→pending',
      'pending→verified',
      'verified→active',
    ]);
    // A redelivery of the current status through a previous one is a no-op, not a loop.
    expect(applyReport(at('verified', T1), { status: 'verified', previousStatus: 'pending', occurredAt: T2 }).outcome).toBe(
      'unchanged',
    );
    // Down the rank through a named previous status: each leg is one direct edge.
    expect(applyReport(at('active', T1), { status: 'pending', previousStatus: 'needs_info', occurredAt: T2 })).toMatchObject({
      outcome: 'applied',
      steps: [
        { from: 'active', to: 'needs_info' },
        { from: 'needs_info', to: 'pending' },
      ],
    });
  });

  it('orders an observation by when we asked, not by any claimed time', () => {
    const claimedFuture = { ...at('needs_info', '2099-01-01T00:00:00.000Z'), lastReceivedAt: T1 };
    const poll = applyReport(claimedFuture, { status: 'pending', kind: 'observation', occurredAt: T2, receivedAt: T2 });
    expect(poll).toMatchObject({ outcome: 'applied', snapshot: { status: 'pending', lastReportAt: T2, lastReceivedAt: T2 } });
    // A poll started before the newest report reached us may not have seen it.
    const older = applyReport(claimedFuture, { status: 'pending', kind: 'observation', occurredAt: T0, receivedAt: T0 });
    expect(older).toMatchObject({ outcome: 'ignored', reason: 'stale' });
    // Asked at the instant the last report reached us: we ask after handling it, so the answer is newer.
    expect(applyReport(claimedFuture, { status: 'pending', kind: 'observation', occurredAt: T1, receivedAt: T1 }).outcome).toBe(
      'applied',
    );
    // An unchanged observation re-anchors the state's time on our clock.
    expect(applyReport(claimedFuture, { status: 'needs_info', kind: 'observation', occurredAt: T2, receivedAt: T2 })).toEqual({
      outcome: 'unchanged',
      snapshot: { machineVersion: 1, status: 'needs_info', lastReportAt: T2, lastReceivedAt: T2 },
    });
  });

  it('compares instants, not strings (offsets, fractions)', () => {
    // 11:30+02:00 is 09:30Z: older than 10:00Z although it sorts after it as a string.
    expect(applyReport(at('pending', T1), { status: 'verified', occurredAt: '2024-05-01T11:30:00+02:00' })).toMatchObject({
      outcome: 'ignored',
      reason: 'stale',
    });
    // 08:00-03:00 is 11:00Z: newer, although it sorts before it as a string.
    expect(applyReport(at('pending', T1), { status: 'verified', occurredAt: '2024-05-01T08:00:00-03:00' }).outcome).toBe(
      'applied',
    );
    // The same instant written differently is equal, hence not stale, and the kept string does not change.
    expect(applyReport(at('pending', T1), { status: 'pending', occurredAt: '2024-05-01T12:00:00+02:00' })).toEqual({
      outcome: 'unchanged',
      snapshot: { ...at('pending', T1), lastReceivedAt: '2024-05-01T12:00:00+02:00' },
    });
    expect(applyReport(at('pending', '2024-05-01T10:00:00.000001Z'), { status: 'verified', occurredAt: T1 }).outcome).toBe(
      'applied', // sub-millisecond precision is beyond Date.parse: equal, not stale
    );
  });

  it('a snapshot without lastReportAt accepts any time', () => {
    expect(applyReport(at('created'), { status: 'pending', occurredAt: '1970-01-01T00:00:00Z' }).outcome).toBe('applied');
  });

  it('stale wins over final_state (the first check is time)', () => {
    expect(applyReport(at('deactivated', T2), { status: 'active', occurredAt: T1 })).toMatchObject({ reason: 'stale' });
    expect(applyReport(at('deactivated', T1), { status: 'active', occurredAt: T2 })).toMatchObject({ reason: 'final_state' });
  });

  it.each([
    'not a date',
    '',
    '2024-05-01', // no time
    '2024-05-01T10:00:00', // no offset: would be read in the host's time zone
    '2024-05-01 10:00:00Z',
    '2024-05-01T10:00:00+0200',
    '2024-05-01T25:00:00Z',
    'Wed, 01 May 2024 10:00:00 GMT',
  ])('an occurredAt that is not ISO 8601 with an offset throws a TypeError: %j', (occurredAt) => {
    expect(() => applyReport(at('pending', T1), { status: 'verified', occurredAt })).toThrow(TypeError);
    expect(() => applyReport(at('pending', occurredAt), { status: 'verified', occurredAt: T1 })).toThrow(TypeError);
  });
});

describe('applyReport: final state and versions', () => {
  it('deactivated accepts only a repeat of itself', () => {
    for (const status of CUSTOMER_STATUSES) {
      const result = applyReport(at('deactivated', T1), { status, occurredAt: T2 });
      expect(result.outcome, status).toBe(status === 'deactivated' ? 'unchanged' : 'ignored');
    }
  });

  it('refuses a snapshot of another machine version (migrate first)', () => {
    expect(() => applyReport({ machineVersion: 2, status: 'pending' }, { status: 'verified', occurredAt: T1 })).toThrow(
      /machineVersion 2/,
    );
  });

  it('does not mutate its inputs', () => {
    const snapshot = Object.freeze(at('pending', T1));
    const report = Object.freeze({ status: 'active' as const, occurredAt: T2 });
    expect(() => applyReport(snapshot, report)).not.toThrow();
    expect(snapshot).toEqual(at('pending', T1));
  });
});

describe('sanity (no timing): the hot path only looks up precomputed paths', () => {
  it('returns the same frozen steps on every call, and applies many reports without trouble', () => {
    const a = applyReport(at('created'), { status: 'active', occurredAt: T1 });
    const b = applyReport(at('created'), { status: 'active', occurredAt: T2 });
    if (a.outcome !== 'applied' || b.outcome !== 'applied') throw new Error('expected applied');
    expect(a.steps).toBe(b.steps);
    expect(Object.isFrozen(a.steps)).toBe(true);
    expect(a.steps.every((step) => Object.isFrozen(step))).toBe(true);

    let snapshot = initialLifecycleSnapshot();
    const cycle: CustomerStatus[] = ['pending', 'needs_info', 'pending', 'verified', 'active', 'rejected'];
    for (let i = 0; i < 10_000; i += 1) {
      const status = cycle[i % cycle.length] as CustomerStatus;
      snapshot = applyReport(snapshot, { status, occurredAt: new Date(Date.UTC(2024, 0, 1) + i).toISOString() }).snapshot;
    }
    expect(snapshot.status).toBe(cycle[9_999 % cycle.length]);
  });
});
