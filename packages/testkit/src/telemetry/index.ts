import { MeterProvider, MetricReader, type DataPoint } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * Real OpenTelemetry SDK providers that keep what openkyc records, for tests: pass `telemetry` to `createKyc`,
 * run the scenario, then read the finished spans and collect the metrics. One recorder per test.
 *
 * Lives in its own entry (`@openkyc/testkit/telemetry`) so the OpenTelemetry SDK packages, optional peers of the
 * testkit, are needed only by suites that record telemetry.
 */
export interface TelemetryRecorder {
  /** For `createKyc({ telemetry })`. */
  readonly telemetry: {
    /** Finished spans go to an in-memory exporter, read through `spans()`. */
    readonly tracerProvider: BasicTracerProvider;
    /** Read on demand through `collectMetrics()`. */
    readonly meterProvider: MeterProvider;
  };
  /** Every span finished so far. */
  spans(): ReadableSpan[];
  /** The spans of provider HTTP attempts (those with `http.request.method`). */
  httpSpans(): ReadableSpan[];
  /** The metrics recorded so far, by instrument name. */
  collectMetrics(): Promise<Record<string, DataPoint<unknown>[]>>;
  /**
   * Everything recorded as text, one string per span (name, attributes, events, status) and one for the metrics:
   * what a test searches for canary values that must never reach telemetry.
   */
  recordedText(): Promise<string[]>;
  /** Forgets the spans finished so far (metrics keep accumulating, as an app's would). */
  resetSpans(): void;
}

/** Creates a {@link TelemetryRecorder} over in-memory span and metric exporters. */
export function recordTelemetry(): TelemetryRecorder {
  const exporter = new InMemorySpanExporter();
  const reader = new CollectingReader();
  const telemetry = {
    tracerProvider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    meterProvider: new MeterProvider({ readers: [reader] }),
  };
  const spans = () => exporter.getFinishedSpans();
  const collectMetrics = async () => {
    const { resourceMetrics } = await reader.collect();
    const byName: Record<string, DataPoint<unknown>[]> = {};
    for (const scope of resourceMetrics.scopeMetrics) for (const metric of scope.metrics) byName[metric.descriptor.name] = metric.dataPoints;
    return byName;
  };
  return {
    telemetry,
    spans,
    httpSpans: () => spans().filter((span) => span.attributes['http.request.method'] !== undefined),
    collectMetrics,
    recordedText: async () => [...spans().map(describeSpan), JSON.stringify(await collectMetrics())],
    resetSpans: () => exporter.reset(),
  };
}

/** Collects on demand: what an app's periodic reader would export. */
class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

function describeSpan(span: ReadableSpan): string {
  return JSON.stringify({ name: span.name, attributes: span.attributes, events: span.events, status: span.status });
}
