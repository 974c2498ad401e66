import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyProviderReport } from '../../src/client/apply-provider-report.js';
import { reconcileDueAt } from '../../src/client/reconcile-due.js';
import { DEFAULT_RECONCILE_SCHEDULE, type ReconcileSchedule } from '../../src/client/reconcile-schedule.js';
import { applyReport, applyTimedReport, type LifecycleReport, type LifecycleSnapshot } from '../../src/lifecycle/apply-report.js';
import { CUSTOMER_STATUSES } from '../../src/models/customer-status.js';
import { customerFixture } from '../support/customer-fixture.js';
import { isoWithOffset } from '../lifecycle/expected-lifecycle.js';

/**
 * The poll path skips work on times core made itself (epoch ms handed to the lifecycle instead of parsed
 * again, the whole second cut from the text, the due time remembered): each must give exactly what the
 * plain computation gives.
 */
const BASE = Date.UTC(2026, 10, 22, 10);
const statusArb = fc.constantFrom(...CUSTOMER_STATUSES);
// Few distinct instants (ties and older reports are common), with milliseconds, before and after 1970.
const msArb = fc.oneof(
  fc.integer({ min: 0, max: 8 }).map((step) => BASE + step * 750),
  fc.integer({ min: -3, max: 3 }).map((step) => step * 1_250 - 1),
  fc.integer({ min: -30_000_000_000_000, max: 30_000_000_000_000 }),
);
const isoArb = fc.tuple(msArb, fc.constantFrom(0, 0, 120, -330)).map(([ms, offset]) => isoWithOffset(ms, offset));

describe('poll times', () => {
  it('applyTimedReport with the parsed times is applyReport', () => {
    const snapshotArb = fc.record(
      { machineVersion: fc.constant(1), status: statusArb, lastReportAt: isoArb, lastReceivedAt: isoArb },
      { requiredKeys: ['machineVersion', 'status'] },
    );
    const reportArb = fc.record(
      {
        status: statusArb,
        occurredAt: isoArb,
        kind: fc.constantFrom('claim' as const, 'observation' as const),
        receivedAt: isoArb,
        previousStatus: statusArb,
      },
      { requiredKeys: ['status', 'occurredAt'] },
    );
    fc.assert(
      fc.property(snapshotArb, reportArb, (snapshot: LifecycleSnapshot, report: LifecycleReport) => {
        const occurredAt = Date.parse(report.occurredAt);
        const receivedAt = report.receivedAt === undefined ? occurredAt : Date.parse(report.receivedAt);
        expect(applyTimedReport(snapshot, report, occurredAt, receivedAt)).toEqual(applyReport(snapshot, report));
      }),
      { numRuns: 2_000 },
    );
  });

  it('a poll is ordered as an observation at the whole second of when we asked, whatever the clock', () => {
    fc.assert(
      fc.property(statusArb, statusArb, fc.option(isoArb, { nil: undefined }), msArb, fc.integer({ min: 0, max: 5_000 }), (from, to, lastReceivedAt, askedMs, laterMs) => {
        const at = new Date(BASE).toISOString();
        const customer = customerFixture(from, at, lastReceivedAt === undefined ? {} : { lastReceivedAt });
        const askedAt = new Date(askedMs);
        const now = new Date(askedMs + laterMs);
        const outcome = applyProviderReport(customer, { providerCustomerId: 'rec_1', status: to, rawStatus: to }, 'poll', now, askedAt);

        const expected = applyReport(
          { machineVersion: 1, status: from, ...(lastReceivedAt === undefined ? {} : { lastReceivedAt }) },
          {
            status: to,
            kind: 'observation',
            occurredAt: new Date(askedMs - (askedMs % 1000)).toISOString(),
            receivedAt: askedAt.toISOString(),
          },
        );
        if (to === 'created' && from !== 'created') {
          expect(outcome.outcome).toBe('unchanged');
          return;
        }
        expect(outcome.outcome).toBe(expected.outcome);
        expect(outcome.customer.status).toBe(expected.snapshot.status);
        if (expected.outcome !== 'ignored') {
          expect(outcome.customer.lastReportAt).toBe(expected.snapshot.lastReportAt);
          expect(outcome.customer.lastReceivedAt).toBe(expected.snapshot.lastReceivedAt);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('reconcileDueAt remembers its last answer without ever answering for another input', () => {
    const scheduleArb = fc.option(
      fc.record({ pending: fc.option(fc.constantFrom(1_000, 300_000), { nil: undefined }) }, { requiredKeys: [] }),
      { nil: undefined },
    );
    const callArb = fc.record({
      schedule: scheduleArb,
      status: statusArb,
      lastCheckedAt: fc.option(fc.oneof(isoArb, fc.constantFrom('garbage', '')), { nil: undefined }),
      updatedAt: isoArb,
    });
    const model = (schedule: Partial<ReconcileSchedule> | undefined, status: (typeof CUSTOMER_STATUSES)[number], text: string): string | undefined => {
      const interval = schedule !== undefined && status in schedule ? schedule[status] : DEFAULT_RECONCILE_SCHEDULE[status];
      if (interval === undefined) return undefined;
      const last = Date.parse(text);
      return Number.isFinite(last) ? new Date(last + interval).toISOString() : undefined;
    };
    fc.assert(
      fc.property(fc.array(callArb, { minLength: 1, maxLength: 20 }), (calls) => {
        for (const call of calls) {
          const customer = customerFixture(call.status, call.updatedAt, call.lastCheckedAt === undefined ? {} : { lastCheckedAt: call.lastCheckedAt });
          expect(reconcileDueAt(call.schedule, customer)).toBe(model(call.schedule, call.status, call.lastCheckedAt ?? call.updatedAt));
          // Asked again at once (the memo's case): the same answer.
          expect(reconcileDueAt(call.schedule, customer)).toBe(model(call.schedule, call.status, call.lastCheckedAt ?? call.updatedAt));
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
