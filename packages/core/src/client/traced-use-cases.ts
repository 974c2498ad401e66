import { context, INVALID_SPAN_CONTEXT, isSpanContextValid, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { KycError, WebhookVerificationError } from '../errors.js';
import type { Customer } from '../models/customer.js';
import type { KycEvent } from '../models/events.js';
import { isSilent } from '../logging/redact.js';
import type { KycInstruments } from '../telemetry/kyc-telemetry.js';
import type { WebhookResult } from '../webhooks/webhook-delivery.js';
import type { EventBus } from './event-bus.js';
import type { KycContext } from './kyc-context.js';
import type { ReconcileResult } from './use-cases/reconcile.js';

/** What a webhook delivery came to: the `openkyc.webhook.outcome` attribute and metric label. */
export type DeliveryOutcome = 'applied' | 'duplicate' | 'stale' | 'parked' | 'ignored' | 'rejected_signature' | 'rejected' | 'failed';

/**
 * `kyc.handleWebhook` in a span `openkyc.webhook.delivery`, counted by outcome in
 * `openkyc.webhook.deliveries`, with one structured log line per delivery.
 */
export async function traceDelivery(ctx: KycContext, providerId: string, ingest: () => Promise<WebhookResult>): Promise<WebhookResult> {
  const { instruments } = ctx;
  const span = instruments.tracer.startSpan('openkyc.webhook.delivery');
  let outcome: DeliveryOutcome = 'failed';
  try {
    const result = await inSpan(span, ingest);
    outcome = deliveryOutcome(result);
    if (!isSilent(ctx.logger)) {
      const first = result.events[0];
      ctx.logger.debug(
        { provider: providerId, outcome, ...(first === undefined ? {} : { customerId: first.customerId, eventId: first.id }), ...(result.ignored === undefined ? {} : { reason: result.ignored }) },
        'webhook delivery handled',
      );
    }
    return result;
  } catch (error) {
    outcome = refusal(error);
    failSpan(span, error);
    ctx.logger.info(
      { provider: providerId, outcome, code: codeOf(error), ...(WebhookVerificationError.isInstance(error) ? { reason: error.reason } : {}) },
      'webhook delivery refused',
    );
    throw error;
  } finally {
    instruments.deliveries.add(1, { 'openkyc.webhook.outcome': outcome, 'openkyc.provider': providerId });
    if (span.isRecording()) span.setAttributes({ 'openkyc.webhook.outcome': outcome, 'openkyc.provider': providerId });
    span.end();
  }
}

/** `kyc.submit` in a span `openkyc.submit` (customer id and the status reached). */
export async function traceSubmit(ctx: KycContext, customerId: string, submit: () => Promise<Customer>): Promise<Customer> {
  const span = ctx.instruments.tracer.startSpan('openkyc.submit');
  if (span.isRecording()) span.setAttribute('openkyc.customer.id', customerId);
  try {
    const customer = await inSpan(span, submit);
    if (span.isRecording()) span.setAttributes({ 'openkyc.provider': customer.provider, 'openkyc.customer.status': customer.status });
    return customer;
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** `kyc.reconcile` in a span `openkyc.reconcile` (customers checked, changed, failed); records the inbox gauge. */
export async function traceReconcile(ctx: KycContext, reconcile: () => Promise<ReconcileResult>): Promise<ReconcileResult> {
  const span = ctx.instruments.tracer.startSpan('openkyc.reconcile');
  try {
    const result = await inSpan(span, reconcile);
    ctx.instruments.recordParked(result.parked.waiting, result.parked.stale);
    if (span.isRecording()) {
      span.setAttributes({ 'openkyc.reconcile.checked': result.checked, 'openkyc.reconcile.changed': result.changed, 'openkyc.reconcile.failed': result.failed.length });
    }
    return result;
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** The bus, counting each status transition it publishes in `openkyc.customer.transitions`. */
export function countingTransitions(bus: EventBus, instruments: KycInstruments): EventBus {
  return {
    on: (type, handler) => bus.on(type, handler),
    subscribe: (handler) => bus.subscribe(handler),
    publish(events: readonly KycEvent[]) {
      for (const event of events) {
        if (event.type === 'customer.review_overdue') continue; // a flag, not a transition
        instruments.transitions.add(1, { 'openkyc.customer.status': event.to, 'openkyc.provider': event.provider });
      }
      bus.publish(events);
    },
  };
}

/**
 * Runs `work` with `span` active, so provider HTTP spans become its children. A span of the no-op tracer
 * (no SDK registered: an invalid span context) has nothing to parent: skip the context switch.
 */
function inSpan<T>(span: Span, work: () => Promise<T>): Promise<T> {
  const spanContext = span.spanContext();
  // The no-op tracer's own invalid context is one shared object: an identity check spares the two id regexes
  // on every call without an SDK (a copy of the API from another bundle still gets the full check).
  if (spanContext === INVALID_SPAN_CONTEXT || !isSpanContextValid(spanContext)) return work();
  return context.with(trace.setSpan(context.active(), span), work);
}

/** Signed but unreadable (or for a provider without webhooks) is `rejected`; anything unproven, `rejected_signature`. */
function refusal(error: unknown): DeliveryOutcome {
  if (!WebhookVerificationError.isInstance(error)) return 'failed';
  return error.reason === 'malformed_body' || error.reason === 'unknown_provider' || error.reason === 'not_supported' ? 'rejected' : 'rejected_signature';
}

function deliveryOutcome(result: WebhookResult): DeliveryOutcome {
  if (result.duplicate) return 'duplicate';
  if (result.parked === true) return 'parked';
  if (result.events.length > 0) return 'applied';
  return result.ignored === 'stale' ? 'stale' : 'ignored';
}

/** Error status with the stable code only: messages may name provider values, spans must not. */
function failSpan(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  span.setAttribute('error.type', codeOf(error));
  span.setStatus({ code: SpanStatusCode.ERROR });
}

function codeOf(error: unknown): string {
  return KycError.isInstance(error) ? error.code : 'unknown';
}
