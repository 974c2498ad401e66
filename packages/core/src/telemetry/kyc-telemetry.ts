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
  /** Records a consumer's lag for the `openkyc.consumer.lag` gauge (seconds behind the newest event it read). */
  recordConsumerLag(consumer: string, seconds: number): void;
}

/** The instrumentation scope name of every span and metric. */
export const INSTRUMENTATION_SCOPE = '@openkyc/core';

/** Resolves the tracer and creates the instruments of one client. */
export function createKycInstruments(options: KycTelemetryOptions = {}): KycInstruments {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(INSTRUMENTATION_SCOPE);
  const meter: Meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(INSTRUMENTATION_SCOPE);
  const lagByConsumer = new Map<string, number>();
  const lag: ObservableGauge = meter.createObservableGauge('openkyc.consumer.lag', {
    description: 'How far behind the event log a consumer is: age of the oldest event in its last read batch (0 when caught up).',
    unit: 's',
  });
  lag.addCallback((result) => {
    for (const [consumer, seconds] of lagByConsumer) result.observe(seconds, { 'openkyc.consumer': consumer });
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
    recordConsumerLag(consumer, seconds) {
      lagByConsumer.set(consumer, seconds);
    },
  };
}
