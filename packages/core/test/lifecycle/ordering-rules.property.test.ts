import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyProviderReport, PROVIDER_CLOCK_SKEW_MS } from '../../src/client/apply-provider-report.js';
import { applyReport, type LifecycleReportKind, type LifecycleSnapshot } from '../../src/lifecycle/apply-report.js';
import type { Customer, EventSource } from '../../src/models/customer.js';
import { CUSTOMER_STATUSES, type CustomerStatus } from '../../src/models/customer-status.js';
import { customerFixture } from '../support/customer-fixture.js';
import { EXPECTED_RANK, expectedAllowedSteps } from './expected-lifecycle.js';

/**
 * The ordering rules of docs/lifecycle-ordering.md, checked against an oracle written
 * from that page for every (current status, reported status, time relation, report kind),
 * then through `applyProviderReport` with provider clocks skewed both ways.
 */
const T = Date.UTC(2026, 10, 22, 10);
const iso = (ms: number): string => new Date(ms).toISOString();
const RELATIONS = ['older', 'equal', 'newer'] as const;
type Relation = (typeof RELATIONS)[number];
const KINDS: readonly LifecycleReportKind[] = ['claim', 'observation'];

type Expected = 'applied' | 'unchanged' | 'stale' | 'invalid_transition' | 'final_state';

function oracle(current: CustomerStatus, reported: CustomerStatus, relation: Relation, kind: LifecycleReportKind): Expected {
  if (relation === 'older') return 'stale';
  if (reported === current) return 'unchanged';
  // A claim tying the current state never regresses; an observation at that instant was made after it.
  if (relation === 'equal' && kind === 'claim' && EXPECTED_RANK[reported] <= EXPECTED_RANK[current]) return 'stale';
  if (current === 'deactivated') return 'final_state';
  return expectedAllowedSteps(current, reported) < Number.POSITIVE_INFINITY ? 'applied' : 'invalid_transition';
}

function snapshotAt(status: CustomerStatus, kind: LifecycleReportKind): LifecycleSnapshot {
  // The other clock is set far away so that only the one the kind is ordered by matters.
  return kind === 'claim'
    ? { machineVersion: 1, status, lastReportAt: iso(T), lastReceivedAt: iso(T + 86_400_000) }
    : { machineVersion: 1, status, lastReportAt: iso(T + 86_400_000), lastReceivedAt: iso(T) };
}

const offsetOf = (relation: Relation): number => (relation === 'older' ? -1_000 : relation === 'equal' ? 0 : 1_000);

describe('ordering rules: every (current, reported, time relation, kind)', () => {
  const cases = CUSTOMER_STATUSES.flatMap((current) =>
    CUSTOMER_STATUSES.flatMap((reported) =>
      RELATIONS.flatMap((relation) => KINDS.map((kind) => [current, reported, relation, kind] as const)),
    ),
  );

  it.each(cases)('%s ← %s (%s %s)', (current, reported, relation, kind) => {
    const time = iso(T + offsetOf(relation));
    const result = applyReport(snapshotAt(current, kind), { status: reported, kind, occurredAt: time, receivedAt: time });
    const expected = oracle(current, reported, relation, kind);
    expect(result.outcome === 'ignored' ? result.reason : result.outcome).toBe(expected);
    if (result.outcome === 'applied') {
      expect(result.steps.length).toBe(expectedAllowedSteps(current, reported));
      // No invented status on the way back: a move down the rank is one step.
      if (EXPECTED_RANK[reported] < EXPECTED_RANK[current]) expect(result.steps).toEqual([{ from: current, to: reported }]);
    }
  });

  it('a named previous status is walked only when each leg is allowed, at any time relation', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CUSTOMER_STATUSES),
        fc.constantFrom(...CUSTOMER_STATUSES),
        fc.constantFrom(...CUSTOMER_STATUSES),
        fc.constantFrom(...RELATIONS),
        fc.constantFrom(...KINDS),
        (current, previous, reported, relation, kind) => {
          const time = iso(T + offsetOf(relation));
          const result = applyReport(snapshotAt(current, kind), {
            status: reported,
            previousStatus: previous,
            kind,
            occurredAt: time,
            receivedAt: time,
          });
          const plain = oracle(current, reported, relation, kind);
          if (plain === 'stale' || plain === 'unchanged' || plain === 'final_state') {
            expect(result.outcome === 'ignored' ? result.reason : result.outcome).toBe(plain);
            return;
          }
          const viaPrevious =
            previous !== current &&
            previous !== reported &&
            previous !== 'deactivated' &&
            expectedAllowedSteps(current, previous) + expectedAllowedSteps(previous, reported);
          const expectedSteps =
            typeof viaPrevious === 'number' && viaPrevious < Number.POSITIVE_INFINITY
              ? viaPrevious
              : expectedAllowedSteps(current, reported);
          if (expectedSteps === Number.POSITIVE_INFINITY) {
            expect(result).toMatchObject({ outcome: 'ignored', reason: 'invalid_transition' });
          } else {
            expect(result.outcome).toBe('applied');
            if (result.outcome === 'applied') {
              expect(result.steps.length).toBe(expectedSteps);
              // Every intermediate status is either the named previous one or on a path that never goes down.
              for (const step of result.steps.slice(0, -1)) {
                if (step.to !== previous) expect(EXPECTED_RANK[step.to]).toBeGreaterThanOrEqual(EXPECTED_RANK[step.from]);
              }
            }
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('provider time is untrusted: skewed clocks both ways', () => {
  const customerIn = (status: CustomerStatus): Customer => customerFixture(status, iso(T));
  const report = (status: CustomerStatus, occurredAt?: string) => ({
    providerCustomerId: 'rec_1',
    status,
    rawStatus: status,
    ...(occurredAt === undefined ? {} : { occurredAt }),
  });
  const apply = (customer: Customer, status: CustomerStatus, source: EventSource, receivedMs: number, occurredAt?: string) =>
    applyProviderReport(customer, report(status, occurredAt), source, new Date(receivedMs), new Date(receivedMs));

  it('a webhook dated far ahead counts no later than its receipt plus the skew allowance, and keeps its raw time for audit', () => {
    const result = apply(customerIn('pending'), 'needs_info', 'webhook', T, '2099-01-01T00:00:00Z');
    expect(result.outcome).toBe('applied');
    expect(result.customer.lastReportAt).toBe(iso(T + PROVIDER_CLOCK_SKEW_MS));
    expect(result.events[0]?.occurredAt).toBe('2099-01-01T00:00:00Z');
  });

  it('after a future-dated webhook, later webhooks and every poll still apply', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10 * 365 * 86_400_000, max: 100 * 365 * 86_400_000 }), // the bad claim's distance from receipt
        fc.integer({ min: PROVIDER_CLOCK_SKEW_MS + 1, max: 7 * 86_400_000 }), // when the next webhook comes
        fc.integer({ min: 0, max: 7 * 86_400_000 }), // when the poll runs
        fc.integer({ min: -PROVIDER_CLOCK_SKEW_MS, max: PROVIDER_CLOCK_SKEW_MS }), // the provider's honest skew later on
        (claimOffset, webhookAfter, pollAfter, honestSkew) => {
          const first = apply(customerIn('pending'), 'needs_info', 'webhook', T, iso(T + claimOffset)).customer;
          // The provider's current state, read after the bad claim was received, always applies.
          const poll = apply(first, 'pending', 'poll', T + pollAfter);
          if (pollAfter > 0) expect(poll.customer.status).toBe('pending');
          // A later webhook with an honest time (its clock off by at most the allowance) applies.
          const next = apply(first, 'pending', 'webhook', T + webhookAfter + PROVIDER_CLOCK_SKEW_MS, iso(T + webhookAfter + PROVIDER_CLOCK_SKEW_MS + honestSkew));
          expect(next.customer.status).toBe('pending');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a poll never loses to a webhook received before it asked; it loses to one received after', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -3_600_000, max: 3_600_000 }), // the webhook's claimed time relative to its receipt
        fc.integer({ min: 1, max: 3_600_000 }), // the gap between receipt and the poll
        (claimOffset, gap) => {
          const afterWebhook = apply(customerIn('pending'), 'needs_info', 'webhook', T, iso(T + claimOffset)).customer;
          // Asked after the webhook reached us: the provider's current answer wins.
          expect(apply(afterWebhook, 'pending', 'poll', T + gap).customer.status).toBe('pending');
          // Asked before it reached us (the answer came back late): the poll may not have seen it.
          expect(apply(afterWebhook, 'pending', 'poll', T - gap).outcome).toBe('ignored');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('webhooks from a provider clock behind or ahead of ours keep their order among themselves', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -86_400_000, max: PROVIDER_CLOCK_SKEW_MS }), // provider clock offset (ahead capped by the allowance)
        fc.integer({ min: 1_000, max: 3_600_000 }), // gap between the two changes at the provider
        fc.integer({ min: 0, max: 600_000 }), // delivery delay of the later change
        fc.integer({ min: 1, max: 600_000 }), // extra delay of the earlier change (reordered)
        (clockOffset, gap, laterDelay, extraDelay) => {
          // needs_info at t, then pending (resubmitted) at t+gap; delivered in reverse order.
          // (The customer was in needs_info already: the later change applies first.)
          const t = T;
          const newer = apply(customerIn('needs_info'), 'pending', 'webhook', t + gap + laterDelay, iso(t + gap + clockOffset));
          const older = apply(newer.customer, 'needs_info', 'webhook', t + gap + laterDelay + extraDelay, iso(t + clockOffset));
          expect(newer.customer.status).toBe('pending');
          expect(older.outcome).toBe('ignored');
          expect(older.customer.status).toBe(newer.customer.status);
        },
      ),
      { numRuns: 500 },
    );
  });
});
