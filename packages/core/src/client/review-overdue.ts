import type { Customer } from '../models/customer.js';
import type { CustomerReviewOverdueEvent } from '../models/events.js';
import type { ProviderCapabilities, ReviewEscalation } from '../provider/kyc-provider.js';
import { canonicalInstantMs } from '../lifecycle/timestamp.js';
import { eventFor } from './apply-provider-report.js';

/**
 * Pure: the `customer.review_overdue` events a pending customer is due at `now`, one per escalation level
 * reached and not yet emitted in this pending period (levels skipped between two reconcile runs all fire, in
 * order), and the customer that records them. Derived from stored state only (`pendingSince`,
 * `reviewOverdueLevel`), so restarts neither repeat nor lose a level.
 */
export function reviewOverdue(
  customer: Customer,
  capabilities: ProviderCapabilities,
  now: Date,
): { customer: Customer | undefined; events: readonly CustomerReviewOverdueEvent[] } {
  if (customer.status !== 'pending' || customer.pendingSince === undefined) return NOTHING;
  // `pendingSince` is core's own `toISOString` text: read from its digits (Date.parse cost ~0.2 µs per polled customer).
  const waitedMs = now.getTime() - ((typeof customer.pendingSince === 'string' ? canonicalInstantMs(customer.pendingSince) : undefined) ?? Date.parse(customer.pendingSince));
  const emittedLevel = customer.reviewOverdueLevel ?? (customer.reviewOverdueAt === undefined ? 0 : 1);
  // Every polled pending customer comes through here: one not past any level it has not had yet answers
  // without building the escalation list.
  if (!anyLevelDue(capabilities, emittedLevel, waitedMs)) return NOTHING;
  const due = escalationsOf(capabilities).filter((escalation) => escalation.level > emittedLevel && waitedMs >= escalation.afterMs);
  if (due.length === 0) return NOTHING;

  const at = now.toISOString();
  const next: Customer = {
    ...customer,
    reviewOverdueAt: at,
    reviewOverdueLevel: due.at(-1)!.level,
    eventCount: customer.eventCount + due.length,
    updatedAt: at,
    version: customer.version + 1,
  };
  const events = due.map((escalation, index): CustomerReviewOverdueEvent => {
    const base = eventFor(next, 'pending', 'pending', { at, source: 'poll', seq: customer.eventCount + index + 1 });
    return {
      ...base,
      type: 'customer.review_overdue',
      pendingSince: customer.pendingSince!,
      escalateAfterMs: escalation.afterMs,
      level: escalation.level,
      action: escalation.action,
    };
  });
  return { customer: next, events };
}

/** The provider's escalation levels, in order; one level at `escalateAfterMs` when it declares none. */
export function escalationsOf(capabilities: ProviderCapabilities): readonly ReviewEscalation[] {
  const declared = capabilities.reviewTime.escalations;
  if (declared === undefined || declared.length === 0) {
    return [{ level: 1, afterMs: capabilities.reviewTime.escalateAfterMs, action: 'contact_provider' }];
  }
  return [...declared].sort((a, b) => a.level - b.level);
}

/** Whether `escalationsOf(capabilities)` has a level above `emittedLevel` reached after `waitedMs` (no list built). */
function anyLevelDue(capabilities: ProviderCapabilities, emittedLevel: number, waitedMs: number): boolean {
  const declared = capabilities.reviewTime.escalations;
  if (declared === undefined || declared.length === 0) return 1 > emittedLevel && waitedMs >= capabilities.reviewTime.escalateAfterMs;
  for (let index = 0; index < declared.length; index++) {
    const escalation = declared[index]!;
    if (escalation.level > emittedLevel && waitedMs >= escalation.afterMs) return true;
  }
  return false;
}

const NOTHING = { customer: undefined, events: [] } as const;
