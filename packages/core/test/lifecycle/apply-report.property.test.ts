import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyReport,
  initialLifecycleSnapshot,
  STATUS_RANK,
  type LifecycleReport,
  type LifecycleSnapshot,
  type LifecycleStep,
} from '../../src/lifecycle/apply-report.js';
import { CUSTOMER_STATUSES, FINAL_STATUSES, type CustomerStatus } from '../../src/models/customer-status.js';
import { expectedAllowedSteps, expectedSuccessors, isExpectedEdge, isoWithOffset } from './expected-lifecycle.js';

const BASE = Date.UTC(2024, 0, 1);
const statusArb = fc.constantFrom(...CUSTOMER_STATUSES);
const offsetArb = fc.constantFrom(0, 0, 120, -180, 330, -600); // minutes; string order ≠ time order
// A small pool of instants, so reports often share a timestamp or arrive older.
const reportArb: fc.Arbitrary<LifecycleReport> = fc
  .record({ status: statusArb, minute: fc.integer({ min: 0, max: 12 }), offset: offsetArb })
  .map(({ status, minute, offset }) => ({ status, occurredAt: isoWithOffset(BASE + minute * 60_000, offset) }));

describe('property: any sequence of reports', () => {
  it('keeps a valid status, walks only machine edges, chains steps, one step per status change', () => {
    fc.assert(
      fc.property(fc.array(reportArb, { maxLength: 40 }), (reports) => {
        let snapshot: LifecycleSnapshot = initialLifecycleSnapshot();
        const allSteps: LifecycleStep[] = [];
        let statusChanges = 0;

        for (const report of reports) {
          const before = snapshot;
          const result = applyReport(before, report);
          snapshot = result.snapshot;
          expect(CUSTOMER_STATUSES).toContain(snapshot.status);
          if (snapshot.status !== before.status) statusChanges += 1;

          const last = before.lastReportAt === undefined ? undefined : Date.parse(before.lastReportAt);
          const time = Date.parse(report.occurredAt);
          const stale =
            last !== undefined &&
            (time < last || (time === last && report.status !== before.status && STATUS_RANK[report.status] <= STATUS_RANK[before.status]));
          switch (result.outcome) {
            case 'applied': {
              const { steps } = result;
              expect(stale).toBe(false);
              expect(steps.length).toBe(expectedAllowedSteps(before.status, report.status)); // shortest allowed
              if (steps.length > 1) {
                // Only moves that keep or raise the rank walk a path, and no step of it goes down.
                expect(STATUS_RANK[report.status]).toBeGreaterThanOrEqual(STATUS_RANK[before.status]);
                steps.forEach((step) => expect(STATUS_RANK[step.to]).toBeGreaterThanOrEqual(STATUS_RANK[step.from]));
              }
              expect(steps[0]?.from).toBe(before.status);
              expect(steps.at(-1)?.to).toBe(report.status);
              steps.forEach((step, i) => {
                expect(isExpectedEdge(step.from, step.to), `${step.from}→${step.to}`).toBe(true);
                if (i > 0) expect(step.from).toBe(steps[i - 1]?.to);
              });
              expect(snapshot).toMatchObject({ machineVersion: 1, status: report.status, lastReportAt: report.occurredAt });
              allSteps.push(...steps);
              break;
            }
            case 'unchanged':
              expect(stale).toBe(false);
              expect(report.status).toBe(before.status);
              expect(snapshot.status).toBe(before.status);
              expect(Date.parse(snapshot.lastReportAt ?? '')).toBe(Date.parse(report.occurredAt));
              break;
            case 'ignored': {
              expect(result.snapshot).toBe(before);
              const expectedReason = stale
                ? 'stale'
                : FINAL_STATUSES.has(before.status)
                  ? 'final_state'
                  : 'invalid_transition';
              expect(result.reason).toBe(expectedReason);
              if (expectedReason === 'invalid_transition') {
                expect(expectedAllowedSteps(before.status, report.status)).toBe(Number.POSITIVE_INFINITY);
              }
              break;
            }
          }
        }

        // The steps of the whole sequence form one chain from created to the final status…
        let current: CustomerStatus = 'created';
        for (const step of allSteps) {
          expect(step.from).toBe(current);
          expect(step.to).not.toBe(step.from);
          current = step.to;
        }
        expect(current).toBe(snapshot.status);
        // …and every status change is explained by steps, none without one.
        expect(allSteps.length).toBeGreaterThanOrEqual(statusChanges);
        expect(allSteps.length === 0).toBe(statusChanges === 0);
      }),
      { numRuns: 500 },
    );
  });
});

/** A realistic provider history: a random walk on the spec's graph from created, strictly increasing times. */
const historyArb: fc.Arbitrary<LifecycleReport[]> = fc
  .record({
    includeCreated: fc.boolean(),
    moves: fc.array(fc.record({ choice: fc.nat(), gapMs: fc.integer({ min: 1, max: 3 * 86_400_000 }), offset: offsetArb }), {
      minLength: 1,
      maxLength: 15,
    }),
  })
  .map(({ includeCreated, moves }) => {
    const reports: LifecycleReport[] = includeCreated ? [{ status: 'created', occurredAt: isoWithOffset(BASE) }] : [];
    let status: CustomerStatus = 'created';
    let time = BASE;
    for (const { choice, gapMs, offset } of moves) {
      const next = expectedSuccessors(status);
      const to = next[choice % next.length];
      if (to === undefined) break; // final
      // Providers name the status a change comes from (webhooks' previous_status / oldStatus).
      reports.push({ status: to, previousStatus: status, occurredAt: isoWithOffset(time + gapMs, offset) });
      status = to;
      time += gapMs;
    }
    return reports;
  });

const finalStatusAfter = (reports: readonly LifecycleReport[]): CustomerStatus =>
  reports.reduce((snapshot, report) => applyReport(snapshot, report).snapshot, initialLifecycleSnapshot()).status;

const newestStatus = (reports: readonly LifecycleReport[]): CustomerStatus =>
  reports.reduce<LifecycleReport | undefined>(
    (newest, r) => (newest === undefined || Date.parse(r.occurredAt) > Date.parse(newest.occurredAt) ? r : newest),
    undefined,
  )?.status ?? 'created';

describe('property: delivery order', () => {
  it('a provider history delivered in order ends in the status of the newest report', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        expect(finalStatusAfter(history)).toBe(newestStatus(history));
      }),
      { numRuns: 1000 },
    );
  });

  it('in any order, with reports missing: state never moves back in time, and ends at the newest applied report', () => {
    fc.assert(
      fc.property(
        historyArb.chain((history) => fc.shuffledSubarray(history)),
        (delivery) => {
          let snapshot = initialLifecycleSnapshot();
          let newestApplied: LifecycleReport | undefined;
          for (const report of delivery) {
            const result = applyReport(snapshot, report);
            if (result.outcome === 'applied') {
              if (newestApplied !== undefined) {
                // Never an older report over a newer one; at a tie only up the rank.
                const [t, last] = [Date.parse(report.occurredAt), Date.parse(newestApplied.occurredAt)];
                expect(t).toBeGreaterThanOrEqual(last);
                if (t === last) expect(STATUS_RANK[report.status]).toBeGreaterThan(STATUS_RANK[snapshot.status]);
              }
              newestApplied = report;
            }
            snapshot = result.snapshot;
          }
          expect(snapshot.status).toBe(newestApplied?.status ?? 'created');
          // The newest report of all is applied whenever the rules give it a way from where the customer was.
          const newest = newestStatus(delivery);
          if (newestApplied !== undefined && delivery.at(-1)?.status === newest && delivery.at(-1) === newestOf(delivery)) {
            const before = finalStatusAfter(delivery.slice(0, -1));
            const last = delivery.at(-1)!;
            const reachable =
              expectedAllowedSteps(before, newest) < Number.POSITIVE_INFINITY ||
              (last.previousStatus !== undefined &&
                expectedAllowedSteps(before, last.previousStatus) < Number.POSITIVE_INFINITY &&
                expectedAllowedSteps(last.previousStatus, newest) < Number.POSITIVE_INFINITY);
            if (reachable) expect(snapshot.status).toBe(newest);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('redelivering reports (duplicates, any order) changes nothing', () => {
    fc.assert(
      fc.property(
        historyArb.chain((history) =>
          fc.tuple(fc.constant(history), fc.array(fc.constantFrom(...history), { maxLength: 30 })),
        ),
        ([history, redelivered]) => {
          expect(finalStatusAfter([...history, ...redelivered])).toBe(newestStatus(history));
        },
      ),
      { numRuns: 500 },
    );
  });
});

function newestOf(reports: readonly LifecycleReport[]): LifecycleReport | undefined {
  return reports.reduce<LifecycleReport | undefined>(
    (newest, r) => (newest === undefined || Date.parse(r.occurredAt) > Date.parse(newest.occurredAt) ? r : newest),
    undefined,
  );
}
