import type { ProviderReport } from '../../provider/kyc-provider.js';
import type { WebhookResult } from '../../webhooks/webhook-delivery.js';
import { normalizeOccurredAt } from '../apply-provider-report.js';
import type { KycContext } from '../kyc-context.js';

/**
 * Keeps a verified delivery for a provider record no customer has yet in the store's webhook inbox. What
 * is kept is the provider-neutral report only (never the raw body), without the provider's free text
 * (`rejection.providerReason`): a parked row belongs to no customer yet, so `forgetCustomer` could not
 * reach it. Resolves once it is stored; only then may the endpoint answer success.
 */
export async function parkDelivery(
  ctx: KycContext,
  dedupe: { readonly provider: string; readonly key: string },
  report: ProviderReport,
  receivedAt: Date,
): Promise<void> {
  const received = receivedAt.toISOString();
  const parkedNow = await ctx.store.park({
    provider: dedupe.provider,
    dedupeKey: dedupe.key,
    report: parkableReport(report),
    occurredAt: normalizeOccurredAt(report.occurredAt, received),
    receivedAt: received,
  });
  if (parkedNow) {
    ctx.logger.info({ provider: dedupe.provider, dedupeKey: dedupe.key, status: report.status }, 'webhook parked until its customer is committed');
  }
}

/** What `handleWebhook` answers for a parked delivery: success (answer 200), nothing applied yet. */
export function parkedResult(): WebhookResult {
  return { events: [], duplicate: false, parked: true };
}

/**
 * The report's lifecycle fields, copied one by one (an adapter's extra keys stay out), without the
 * provider's free-text rejection reason.
 */
export function parkableReport(report: ProviderReport): ProviderReport {
  const kept: { -readonly [K in keyof ProviderReport]: ProviderReport[K] } = {
    providerCustomerId: report.providerCustomerId,
    status: report.status,
    rawStatus: report.rawStatus,
  };
  if (report.requirements !== undefined) {
    kept.requirements = report.requirements.map((requirement) => {
      const { kind, name, message, providerCode } = requirement;
      return providerCode === undefined ? { kind, name, message } : { kind, name, message, providerCode };
    });
  }
  if (report.rejection !== undefined) {
    const { code, message, retryable } = report.rejection;
    kept.rejection = { code, message, retryable };
  }
  if (report.previousStatus !== undefined) kept.previousStatus = report.previousStatus;
  if (report.occurredAt !== undefined) kept.occurredAt = report.occurredAt;
  if (report.verificationLevel !== undefined) kept.verificationLevel = report.verificationLevel;
  if (report.providerReference !== undefined) kept.providerReference = report.providerReference;
  return kept;
}
