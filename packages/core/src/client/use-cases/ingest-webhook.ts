import { WebhookVerificationError } from '../../errors.js';
import type { Customer } from '../../models/customer.js';
import type { KycProvider, ProviderReport, ProviderWebhooks, WebhookParseResult, WebhookPeek, WebhookRequest } from '../../provider/kyc-provider.js';
import type { WebhookDelivery, WebhookResult } from '../../webhooks/webhook-delivery.js';
import { normalizeHeaders, toRawBytes } from '../../webhooks/webhook-request.js';
import { applyProviderReport, type ReportOutcome } from '../apply-provider-report.js';
import type { CommitResult, StoreCommit } from '../../store/customer-store.js';
import { contentionError, MAX_COMMIT_ATTEMPTS, type KycContext } from '../kyc-context.js';
import { reconcileDueAt } from '../reconcile-due.js';
import { parkDelivery, parkedResult } from './park-webhook.js';

/**
 * `kyc.handleWebhook`: one delivery through a pipeline of named steps —
 * verify → peek (when the adapter can: the dedupe key, and maybe the provider customer id) → dedupe check
 * and locate the customer (one store read; a duplicate costs one indexed lookup) → parse → apply the
 * report (pure) → commit (state, events and dedupe key in one write) → publish after commit.
 *
 * The seams are where durable operation plugs in: `commitDelivery` is one store
 * transaction, a delivery `locateCustomer` finds no customer for is parked in
 * the webhook inbox (`park-webhook.ts`) and applied when its customer commits,
 * and `publish` is where the outbox takes over from the in-process bus.
 */
export async function ingestWebhook(ctx: KycContext, providerId: string, delivery: WebhookDelivery): Promise<WebhookResult> {
  const { provider, webhooks } = webhookProvider(ctx, providerId);
  const request = receive(delivery, ctx.now());
  webhooks.verify(request);
  const peek = peekDelivery(webhooks, request);
  // With the customer id peeked, the dedupe check and the customer read are one store read before parsing
  // (a new delivery: this read and the commit); with the key alone, a probe answers duplicates early.
  const early = peek?.providerCustomerId === undefined ? undefined : await ctx.store.lookupDelivery(provider.id, peek.dedupeKey, peek.providerCustomerId);
  if (early?.processed === true) return duplicate();
  if (early === undefined && peek !== undefined && (await ctx.store.hasProcessed(provider.id, peek.dedupeKey))) return duplicate();
  const parsed = parseDelivery(provider, webhooks, request);
  const dedupe = { provider: provider.id, key: parsed.dedupeKey };

  if (parsed.kind === 'ignored') {
    if (dedupe.key !== peek?.dedupeKey && (await ctx.store.hasProcessed(dedupe.provider, dedupe.key))) return duplicate();
    const result = await ctx.store.commit({ dedupe });
    return { events: [], duplicate: !result.ok, ignored: parsed.reason };
  }
  // The early read counts only when the peek agrees with the parse (same key, same record); otherwise the
  // dedupe check and the first customer read again, for what the parse says (one store read).
  const lookup =
    early !== undefined && peek!.dedupeKey === dedupe.key && peek!.providerCustomerId === parsed.report.providerCustomerId
      ? early
      : await ctx.store.lookupDelivery(dedupe.provider, dedupe.key, parsed.report.providerCustomerId);
  if (lookup.processed) return duplicate();

  let parked = false;
  for (let attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
    const customer = attempt === 0 ? lookup.customer : await locateCustomer(ctx, provider.id, parsed.report);
    if (customer === undefined) {
      if (parked) return parkedResult();
      // No customer has this record yet (its createCustomer may not have committed): keep the delivery
      // in the webhook inbox, then look once more. A customer committed meanwhile gets it now; one
      // committed later applies it when it commits (no moment where it is parked and never applied).
      await parkDelivery(ctx, dedupe, parsed.report, request.now);
      parked = true;
      continue;
    }
    const outcome = applyProviderReport(customer, parsed.report, 'webhook', ctx.now(), request.now);
    // `commitDelivery`'s two halves around the store's promise: one async layer fewer on every delivery.
    const committed = commitOutcome(await ctx.store.commit(deliveryCommit(ctx, customer, outcome, dedupe)));
    if (committed === 'committed') {
      publish(ctx, outcome);
      if (parked) await ctx.store.unpark(dedupe.provider, dedupe.key);
      return resultOf(outcome);
    }
    if (committed === 'duplicate') {
      if (parked) await ctx.store.unpark(dedupe.provider, dedupe.key);
      return duplicate();
    }
  }
  throw contentionError(provider.id);
}

// --- the steps ---------------------------------------------------------------

/** The adapter for `providerId` and its webhook half, or `WebhookVerificationError` (answer 404). */
export function webhookProvider(ctx: KycContext, providerId: string): { provider: KycProvider; webhooks: ProviderWebhooks } {
  const provider = ctx.providers.get(providerId);
  if (provider === undefined) {
    throw new WebhookVerificationError('unknown_provider', `No provider '${providerId}' is configured; check the webhook URL.`);
  }
  if (provider.webhooks === undefined || !provider.capabilities.webhooks) {
    throw new WebhookVerificationError('not_supported', `Provider '${providerId}' does not send webhooks; run reconcile() on a schedule instead.`);
  }
  return { provider, webhooks: provider.webhooks };
}

/**
 * What the adapter can read of a verified delivery before parsing: `peekDelivery`, else `peekDedupeKey`,
 * else nothing. A peek that throws counts as none (the parse then decides, and explains).
 */
export function peekDelivery(webhooks: ProviderWebhooks, request: WebhookRequest): WebhookPeek | undefined {
  try {
    if (webhooks.peekDelivery !== undefined) return usablePeek(webhooks.peekDelivery(request));
    const dedupeKey = webhooks.peekDedupeKey?.(request);
    return typeof dedupeKey === 'string' && dedupeKey.length > 0 ? { dedupeKey } : undefined;
  } catch {
    return undefined;
  }
}

/** Only string keys and ids count; anything else an adapter returns is no peek (or no id). */
function usablePeek(peek: WebhookPeek | undefined): WebhookPeek | undefined {
  if (peek === undefined || typeof peek.dedupeKey !== 'string' || peek.dedupeKey.length === 0) return undefined;
  const id = peek.providerCustomerId;
  return id === undefined || (typeof id === 'string' && id.length > 0) ? peek : { dedupeKey: peek.dedupeKey };
}

/** The delivery as adapters see it: lower-cased headers, the exact bytes, and when it reached us. */
export function receive(delivery: WebhookDelivery, now: Date): WebhookRequest {
  return { headers: normalizeHeaders(delivery.headers), rawBody: toRawBytes(delivery.body), now };
}

/** The adapter's reading of a verified delivery; anything it cannot read is `malformed_body` (answer 400). */
export function parseDelivery(provider: KycProvider, webhooks: ProviderWebhooks, request: WebhookRequest): WebhookParseResult {
  try {
    return webhooks.parse(request);
  } catch (error) {
    if (WebhookVerificationError.isInstance(error)) throw error;
    throw new WebhookVerificationError('malformed_body', `The ${provider.id} webhook body could not be parsed; answer 400.`, {
      cause: error,
    });
  }
}

/** The customer a report is about: the current record or an earlier attempt's. */
export function locateCustomer(ctx: KycContext, provider: string, report: ProviderReport): Promise<Customer | undefined> {
  return ctx.store.findByProviderCustomerId(provider, report.providerCustomerId);
}

/**
 * One atomic write: the customer's next state, its events and the delivery's dedupe key. `conflict` means
 * another writer got there first (re-read and re-apply); `duplicate` that this delivery was processed meanwhile.
 */
export async function commitDelivery(
  ctx: KycContext,
  customer: Customer,
  outcome: ReportOutcome,
  dedupe: { readonly provider: string; readonly key: string },
): Promise<'committed' | 'conflict' | 'duplicate'> {
  return commitOutcome(await ctx.store.commit(deliveryCommit(ctx, customer, outcome, dedupe)));
}

/** The store write of `commitDelivery`: the next state over the version read, its events, the dedupe key. */
function deliveryCommit(ctx: KycContext, customer: Customer, outcome: ReportOutcome, dedupe: { readonly provider: string; readonly key: string }): StoreCommit {
  return {
    customer: outcome.customer,
    expectedVersion: customer.version,
    events: outcome.events,
    dedupe,
    reconcileDueAt: reconcileDueAt(ctx.reconcileSchedule, outcome.customer),
  };
}

function commitOutcome(result: CommitResult): 'committed' | 'conflict' | 'duplicate' {
  if (result.ok) return 'committed';
  return result.reason === 'duplicate_delivery' ? 'duplicate' : 'conflict';
}

/** After the commit only: a handler never sees a change that was not stored. */
export function publish(ctx: KycContext, outcome: ReportOutcome): void {
  ctx.bus.publish(outcome.events);
}

/** What the endpoint answers: the events caused, or why none were. */
export function resultOf(outcome: ReportOutcome): WebhookResult {
  if (outcome.outcome === 'ignored') return { events: [], duplicate: false, ignored: outcome.reason };
  // Already known (e.g. the API answer got there first): say so rather than return silence.
  if (outcome.events.length === 0) return { events: [], duplicate: false, ignored: 'unchanged' };
  return { events: outcome.events, duplicate: false };
}

function duplicate(): WebhookResult {
  return { events: [], duplicate: true };
}
