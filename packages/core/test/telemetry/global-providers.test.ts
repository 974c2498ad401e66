import { metrics, trace } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKyc } from '../../src/client/create-kyc.js';
import { startTinyServer, tinyProvider, type TinyServer } from '../support/tiny-provider.js';

class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

let server: TinyServer;

beforeEach(async () => {
  server = await startTinyServer();
});

afterEach(async () => {
  trace.disable();
  metrics.disable();
  await server.close();
});

describe('createKyc without telemetry options', () => {
  it('records nothing and works when the app registers no OpenTelemetry SDK', async () => {
    const kyc = createKyc({ providers: [tinyProvider(server)] });
    const customer = await kyc.createCustomer({ reference: 'r-1', type: 'individual', email: 'jane@example.com', firstName: 'Jane', lastName: 'Smith' });
    expect(customer.status).toBe('created');
    expect((await kyc.reconcile()).failed).toEqual([]);
  });

  it('uses the global tracer and meter providers the app registered', async () => {
    const spans = new InMemorySpanExporter();
    const reader = new CollectingReader();
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));

    const kyc = createKyc({ providers: [tinyProvider(server)] });
    await kyc.createCustomer({ reference: 'r-2', type: 'individual', email: 'jane@example.com', firstName: 'Jane', lastName: 'Smith' });
    await kyc.reconcile();

    expect(spans.getFinishedSpans().map((span) => span.name)).toContain('openkyc.reconcile');
    const { resourceMetrics } = await reader.collect();
    const transitions = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((metric) => metric.descriptor.name === 'openkyc.customer.transitions');
    expect(transitions?.dataPoints).toMatchObject([{ value: 1, attributes: { 'openkyc.customer.status': 'created', 'openkyc.provider': 'tiny' } }]);
  });
});
