/**
 * Deliberately broken webhook dedupe keys, for the "dedupe keys" group of the
 * teeth test: each wraps a real adapter and changes only the key its
 * `webhooks.parse` returns, the way an adapter author could get it wrong.
 */
import { technest } from '@openkyc/adapter-technest';
import type { KycProvider, WebhookParseResult, WebhookRequest } from '@openkyc/core';
import type { ConformanceProviderOptions, PatchStyleConformanceSimulator, TechnestSimulator } from '@openkyc/testkit';
import { realPatchStyle, realTechnest } from './real-adapters.js';

export type DedupeVariant = 'dedupe-by-customer' | 'dedupe-by-customer-status' | 'dedupe-per-delivery';

/**
 * Technest with a wrong dedupe key:
 * - `dedupe-by-customer`: "one event per customer" — the provider customer id, so the second,
 *   different event about a customer (the decision after the review-start announcement) is dropped;
 * - `dedupe-by-customer-status`: customer id + status (Technest's legacy rule without the event's
 *   own timestamp);
 * - `dedupe-per-delivery`: the `Technest-Signature` header ("it is unique"), which changes on
 *   every delivery, so a provider retry (same event, re-signed) is handled again.
 */
export function dedupeBrokenTechnest(variant: DedupeVariant, sim: TechnestSimulator, options: ConformanceProviderOptions): KycProvider {
  const real = realTechnest(sim, options);
  return withDedupeKey(real, (parsed, request) => {
    if (variant === 'dedupe-by-customer') return customerKey(parsed);
    if (variant === 'dedupe-by-customer-status') return customerStatusKey(parsed);
    return request.headers['technest-signature'] ?? parsed.dedupeKey;
  });
}

/**
 * Patch-style with a wrong dedupe key:
 * - `dedupe-by-customer`: the payload's `customerId`;
 * - `dedupe-by-customer-status`: `customerId` + `newStatus` ("a status is reached once"), so the
 *   second `UNDER_REVIEW` (after an answered request for information) is dropped;
 * - `dedupe-per-delivery`: the `webhook-id` header (Standard Webhooks' message id, as generic
 *   Standard Webhooks guides suggest) instead of the event's own `id`, so the same event sent
 *   again as a new message is handled again.
 */
export function dedupeBrokenPatchStyle(
  variant: DedupeVariant,
  { sim, documentHost }: PatchStyleConformanceSimulator,
  options: ConformanceProviderOptions,
): KycProvider {
  const real = realPatchStyle({ sim, documentHost }, options);
  return withDedupeKey(real, (parsed, request) => {
    if (variant === 'dedupe-by-customer') return customerKey(parsed);
    if (variant === 'dedupe-by-customer-status') return customerStatusKey(parsed);
    return request.headers['webhook-id'] ?? parsed.dedupeKey;
  });
}

function withDedupeKey(real: KycProvider, key: (parsed: WebhookParseResult, request: WebhookRequest) => string): KycProvider {
  return {
    ...real,
    webhooks: {
      verify: (request) => real.webhooks!.verify(request),
      parse(request) {
        const parsed = real.webhooks!.parse(request);
        return { ...parsed, dedupeKey: key(parsed, request) };
      },
    },
  };
}

function customerKey(parsed: WebhookParseResult): string {
  return parsed.kind === 'report' ? `customer:${parsed.report.providerCustomerId}` : parsed.dedupeKey;
}

function customerStatusKey(parsed: WebhookParseResult): string {
  return parsed.kind === 'report' ? `customer:${parsed.report.providerCustomerId}:${parsed.report.rawStatus}` : parsed.dedupeKey;
}
