import type { SimulatorClock } from '../shared/simulator-clock.js';
import type { PatchStyleDocumentFetcher, PatchStyleDocumentCheck } from './patch-style-document-check.js';
import { kycDocuments, PATCH_STYLE_PROOF_OF_ADDRESS } from './patch-style-kyc-data.js';
import type { PatchStyleCustomerRecord, PatchStyleState, PatchStyleStatusChange } from './patch-style-state.js';

/**
 * Finishes reviews when the simulator clock reaches their due time:
 * 1. fetch every document URL over HTTP; any failure → NEEDS_ADDITIONAL_INFORMATION
 *    naming the failed documents' types in `requiredDocuments`;
 * 2. otherwise the next scripted outcome (`setOutcome`), consumed;
 * 3. otherwise the sandbox e-mail rule.
 * Runs are serialized (one review at a time, earliest due first), and each
 * status change's webhook is awaited, so `clock.advance()` resolves after the
 * deliveries.
 */
export interface ReviewRunnerContext {
  readonly state: PatchStyleState;
  readonly clock: SimulatorClock;
  /** Absent when document checks are switched off. */
  readonly fetcher: PatchStyleDocumentFetcher | undefined;
  readonly checks: PatchStyleDocumentCheck[];
  emit(change: PatchStyleStatusChange): Promise<void>;
  isClosed(): boolean;
}

export interface ReviewRunner {
  /** Runs every review due by `nowMs` (default: the clock's now). */
  runDue(nowMs?: number): Promise<void>;
  /** Resolves when every run started so far has finished. */
  settled(): Promise<void>;
}

export function createReviewRunner(context: ReviewRunnerContext): ReviewRunner {
  let chain: Promise<void> = Promise.resolve();

  async function runOnce(nowMs: number): Promise<void> {
    const reviewed = new Set<string>();
    for (;;) {
      if (context.isClosed()) return;
      const next = [...context.state.customers.values()]
        .filter((customer) => !reviewed.has(customer.id))
        .map((customer) => ({ customer, dueAtMs: context.state.reviewDueAtMs(customer) }))
        .filter(({ dueAtMs }) => dueAtMs <= nowMs)
        .sort((a, b) => a.dueAtMs - b.dueAtMs)[0];
      if (!next) return;
      reviewed.add(next.customer.id);
      await review(next.customer, new Date(next.dueAtMs));
    }
  }

  async function review(customer: PatchStyleCustomerRecord, at: Date): Promise<void> {
    const startedAt = customer.reviewStartedAt;
    const failedTypes = await checkDocuments(customer, at);
    // A control call (forceStatus) may have moved the customer while documents were fetched.
    if (context.isClosed() || customer.status !== 'UNDER_REVIEW' || customer.reviewStartedAt !== startedAt) return;

    let change: PatchStyleStatusChange;
    if (failedTypes.length > 0) {
      change = context.state.applyStatus(customer, 'NEEDS_ADDITIONAL_INFORMATION', at, { requiredDocuments: failedTypes });
    } else {
      const scripted = context.state.nextScriptedOutcome(customer);
      const outcome = scripted ?? context.state.sandboxOutcome(customer);
      if (scripted) context.state.consumeScriptedOutcome(customer);
      change = context.state.applyStatus(customer, outcome.status, at, {
        requiredDocuments: outcome.status === 'NEEDS_ADDITIONAL_INFORMATION' ? (outcome.requiredDocuments ?? [PATCH_STYLE_PROOF_OF_ADDRESS]) : [],
        ...(outcome.rejectionReason === undefined ? {} : { rejectionReason: outcome.rejectionReason }),
      });
    }
    customer.reviewsCompleted += 1;
    await context.emit(change);
  }

  /** Fetches front and back of every document; returns the types that failed, in document order, without repeats. */
  async function checkDocuments(customer: PatchStyleCustomerRecord, at: Date): Promise<string[]> {
    if (!context.fetcher) return [];
    const failed: string[] = [];
    for (const document of kycDocuments(customer.kycData)) {
      const sides: ['front' | 'back', unknown][] = [
        ['front', document.frontImageUrl],
        ['back', document.backImageUrl],
      ];
      for (const [side, url] of sides) {
        if (typeof url !== 'string') continue;
        const result = await context.fetcher.fetch(url);
        context.checks.push({ customerId: customer.id, documentType: document.type, side, url, at, ...result });
        if (!result.ok && !failed.includes(document.type)) failed.push(document.type);
      }
    }
    return failed;
  }

  return {
    runDue(nowMs) {
      const run = chain.then(() => runOnce(nowMs ?? context.clock.nowMs()));
      chain = run.catch(() => undefined);
      return run;
    },
    settled: () => chain,
  };
}
