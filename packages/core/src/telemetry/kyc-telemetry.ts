import {
  metrics,
  trace,
  type Counter,
  type Histogram,
  type Meter,
  type MeterProvider,
  type ObservableGauge,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';

/**
 * Where openkyc sends its spans and metrics: `createKyc({ telemetry })`. Each
 * provider defaults to the global one of `@opentelemetry/api`, a no-op until
 * the app registers an SDK. Register the SDK before `createKyc`: instruments are
 * created once, when the client is.
 */
export interface KycTelemetryOptions {
  /** Spans of submits, reconcile runs, webhook deliveries and provider HTTP calls. */
  readonly tracerProvider?: TracerProvider | undefined;
  /** Delivery, transition, provider latency and consumer metrics. */
  readonly meterProvider?: MeterProvider | undefined;
}

/** The tracer and instruments of one client, resolved once so the hot path only looks them up. */
export interface KycInstruments {
  readonly tracer: Tracer;
  /** `openkyc.webhook.deliveries`, by `openkyc.webhook.outcome` and `openkyc.provider`. */
  readonly deliveries: Counter;
  /** `openkyc.customer.transitions`, by `openkyc.customer.status` (the status reached) and `openkyc.provider`. */
  readonly transitions: Counter;
  /** `openkyc.provider.request.duration` in seconds, one record per HTTP attempt. */
  readonly providerDuration: Histogram;
  /** `openkyc.consumer.dead_letters`: events a consumer gave up on, by `openkyc.consumer`. */
  readonly deadLetters: Counter;
  /**
   * Records where a consumer is for the `openkyc.consumer.lag` gauge: when the oldest event it has not
   * handled yet was applied (ISO 8601), or `undefined` when it is caught up.
   */
  recordConsumerPosition(consumer: string, oldestUnhandledAt: string | undefined): void;
  /**
   * Records what the last reconcile round found in the webhook inbox, for the `openkyc.webhook.parked` gauge:
   * deliveries still waiting for their customer, and how many of those are stale (alert on those).
   */
  recordParked(waiting: number, stale: number): void;
}

/** The instrumentation scope name of every span and metric. */
export const INSTRUMENTATION_SCOPE = '@openkyc/core';

/** Resolves the tracer and creates the instruments of one client. */
export function createKycInstruments(options: KycTelemetryOptions = {}): KycInstruments {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(INSTRUMENTATION_SCOPE);
  const meter: Meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(INSTRUMENTATION_SCOPE);
  // When each consumer's oldest unhandled event was applied (epoch ms), NaN when caught up; the age is
  // computed when the gauge is read, so a consumer stuck on one event shows a growing lag.
  const oldestByConsumer = new Map<string, number>();
  const lag: ObservableGauge = meter.createObservableGauge('openkyc.consumer.lag', {
    description: 'How far behind the event log a consumer is: the age of the oldest event it has not handled yet (0 when caught up).',
    unit: 's',
  });
  lag.addCallback((result) => {
    const now = Date.now();
    for (const [consumer, at] of oldestByConsumer) {
      result.observe(Number.isNaN(at) ? 0 : Math.max(0, (now - at) / 1000), { 'openkyc.consumer': consumer });
    }
  });
  // The webhook inbox as the last reconcile round saw it (no observation before the first round).
  let parked: { waiting: number; stale: number } | undefined;
  const parkedGauge: ObservableGauge = meter.createObservableGauge('openkyc.webhook.parked', {
    description: 'Webhook deliveries parked for a customer not stored yet, as the last reconcile round found them; stale ones by openkyc.webhook.parked.stale.',
    unit: '{delivery}',
  });
  parkedGauge.addCallback((result) => {
    if (parked === undefined) return;
    result.observe(parked.waiting - parked.stale, { 'openkyc.webhook.parked.stale': false });
    result.observe(parked.stale, { 'openkyc.webhook.parked.stale': true });
  });
  return {
    tracer,
    deliveries: meter.createCounter('openkyc.webhook.deliveries', { description: 'Webhook deliveries by outcome.', unit: '{delivery}' }),
    transitions: meter.createCounter('openkyc.customer.transitions', { description: 'Customer status transitions by the status reached.', unit: '{transition}' }),
    providerDuration: meter.createHistogram('openkyc.provider.request.duration', {
      description: 'Duration of provider HTTP attempts.',
      unit: 's',
    }),
    deadLetters: meter.createCounter('openkyc.consumer.dead_letters', { description: 'Events a consumer turned into dead letters.', unit: '{event}' }),
    recordConsumerPosition(consumer, oldestUnhandledAt) {
      oldestByConsumer.set(consumer, oldestUnhandledAt === undefined ? Number.NaN : Date.parse(oldestUnhandledAt));
    },
    recordParked(waiting, stale) {
      parked = { waiting, stale };
    },
  };
}
