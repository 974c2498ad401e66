import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reviewOverdue } from '../../src/client/review-overdue.js';
import type { ProviderCapabilities, ReviewEscalation } from '../../src/provider/kyc-provider.js';
import { customerFixture } from '../support/customer-fixture.js';

/**
 * `reviewOverdue` decides "nothing due" without building the escalation list (every polled pending customer
 * asks): it must emit exactly the levels the plain rule names — every level above the last one emitted whose
 * wait has passed, in level order.
 */
describe('reviewOverdue', () => {
  it('emits exactly the levels above the emitted one whose time has come', () => {
    const HOUR = 3_600_000;
    const escalationArb = fc.record({
      level: fc.integer({ min: 1, max: 4 }),
      afterMs: fc.integer({ min: 0, max: 30 }).map((hours) => hours * HOUR),
      action: fc.constantFrom('contact_provider', 'contact_support'),
    }) as fc.Arbitrary<ReviewEscalation>;
    fc.assert(
      fc.property(
        fc.option(fc.uniqueArray(escalationArb, { selector: (escalation) => escalation.level, maxLength: 4 }), { nil: undefined }),
        fc.integer({ min: 0, max: 30 }).map((hours) => hours * HOUR),
        fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
        fc.integer({ min: 0, max: 40 * HOUR }),
        (escalations, escalateAfterMs, reviewOverdueLevel, waitedMs) => {
          const pendingSince = '2026-11-22T00:00:00.000Z';
          const customer = customerFixture('pending', pendingSince, {
            pendingSince,
            ...(reviewOverdueLevel === undefined ? {} : { reviewOverdueLevel, reviewOverdueAt: pendingSince }),
          });
          const capabilities = { reviewTime: { synchronous: false, typicalMs: HOUR, escalateAfterMs, ...(escalations === undefined ? {} : { escalations }) } } as unknown as ProviderCapabilities;
          const levels = escalations === undefined || escalations.length === 0 ? [{ level: 1, afterMs: escalateAfterMs }] : [...escalations].sort((a, b) => a.level - b.level);
          const emitted = reviewOverdueLevel ?? 0;
          const expected = levels.filter((escalation) => escalation.level > emitted && waitedMs >= escalation.afterMs).map((escalation) => escalation.level);

          const result = reviewOverdue(customer, capabilities, new Date(Date.parse(pendingSince) + waitedMs));
          expect(result.events.map((event) => event.level)).toEqual(expected);
          expect(result.customer === undefined).toBe(expected.length === 0);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
