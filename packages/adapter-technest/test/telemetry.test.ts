import type { Attributes } from '@opentelemetry/api';
import { MeterProvider, MetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CANARY, CLIENT_SECRET, WEBHOOK_SECRET, fullApplication, newCustomer, startHarness, type Harness } from './support/harness.js';

/** Collects on demand: what an app's periodic reader would export. */
class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

let h: Harness;
let spans: InMemorySpanExporter;
let reader: CollectingReader;

beforeEach(async () => {
  spans = new InMemorySpanExporter();
  reader = new CollectingReader();
  h = await startHarness({
    telemetry: {
      tracerProvider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
      meterProvider: new MeterProvider({ readers: [reader] }),
    },
  });
});

afterEach(async () => {
  await h.close();
});

describe('OpenTelemetry spans and metrics (createKyc({ telemetry }))', () => {
  it('records a client span per provider HTTP attempt with HTTP semantic conventions and no ids in names', async () => {
    const customer = await h.kyc.createCustomer(newCustomer());
    await h.kyc.submit(customer.id, fullApplication());

    const http = spans.getFinishedSpans().filter((span) => span.attributes['http.request.method'] !== undefined);
    expect(http.length).toBe(h.sim.requests().length);
    const create = http.find((span) => span.name === 'POST /v1/customers');
    expect(create?.attributes).toMatchObject({
      'http.request.method': 'POST',
      'server.address': '127.0.0.1',
      'url.template': '/v1/customers',
      'http.response.status_code': 201,
      'openkyc.provider': 'technest',
      'openkyc.operation': 'createCustomer',
    });
    expect(http.map((span) => span.name)).toContain('PATCH /v1/customers/{id}');
    expect(http.map((span) => span.name)).toContain('PUT /uploads/{id}');
    expect(http.filter((span) => span.attributes['openkyc.operation'] === 'submit').length).toBeGreaterThan(5);
    for (const span of http) expect(span.name).not.toContain(customer.providerCustomerId);

    const submit = spans.getFinishedSpans().find((span) => span.name === 'openkyc.submit');
    expect(submit?.attributes).toMatchObject({ 'openkyc.customer.id': customer.id, 'openkyc.provider': 'technest', 'openkyc.customer.status': 'pending' });
  });

  it('counts retries on the span of the resent attempt and marks failed attempts', async () => {
    const customer = await h.kyc.createCustomer(newCustomer());
    h.sim.injectServerError({ method: 'GET', path: '/v1/customers/:id', times: 1 });
    await h.kyc.refresh(customer.id);

    const reads = spans.getFinishedSpans().filter((span) => span.name === 'GET /v1/customers/{id}');
    expect(reads.map((span) => [span.attributes['http.response.status_code'], span.attributes['http.request.resend_count'], span.status.code])).toEqual([
      [500, undefined, 2],
      [200, 1, 0],
    ]);
    expect(reads[0]?.attributes).toMatchObject({ 'error.type': 'http_500', 'openkyc.operation': 'fetch' });
  });

  it('records each webhook delivery with its outcome, and counts deliveries, transitions and provider latency', async () => {
    const customer = await h.kyc.createCustomer(newCustomer());
    await h.kyc.submit(customer.id, fullApplication());
    await h.sim.completeReviews();
    await h.deliverWebhooks();
    const [delivery] = h.sim.webhooks.deliveries();
    await h.kyc.handleWebhook('technest', { headers: delivery!.headers, body: delivery!.payload });
    await expect(h.kyc.handleWebhook('technest', { headers: { 'technest-signature': `t=1,v1=${'0'.repeat(64)}` }, body: '{}' })).rejects.toThrow();
    await h.kyc.reconcile();

    const outcomes = spans
      .getFinishedSpans()
      .filter((span) => span.name === 'openkyc.webhook.delivery')
      .map((span) => span.attributes['openkyc.webhook.outcome']);
    expect(outcomes).toEqual(['applied', 'duplicate', 'rejected_signature']);
    expect(spans.getFinishedSpans().some((span) => span.name === 'openkyc.reconcile')).toBe(true);

    const points = await collect();
    expect(sumBy(points['openkyc.webhook.deliveries'], 'openkyc.webhook.outcome')).toEqual({ applied: 1, duplicate: 1, rejected_signature: 1 });
    expect(sumBy(points['openkyc.customer.transitions'], 'openkyc.customer.status')).toEqual({ created: 1, pending: 1, verified: 1 });
    const latency = points['openkyc.provider.request.duration'] as DataPoint<Histogram>[];
    expect(latency.reduce((total, point) => total + point.value.count, 0)).toBe(h.sim.requests().length);
    expect(latency.every((point) => point.attributes['openkyc.provider'] === 'technest')).toBe(true);
  });

  it('no personal data, token or secret reaches a span, a metric or a log line (canaries)', async () => {
    const customer = await h.kyc.createCustomer(newCustomer());
    h.sim.setOutcome(customer.providerCustomerId, { status: 'rejected', reason: `Document ${CANARY.documentNumber} expired for ${CANARY.dateOfBirth}` });
    await h.kyc.submit(customer.id, fullApplication());
    await h.sim.completeReviews();
    await h.deliverWebhooks();
    await h.kyc.refresh(customer.id).catch(() => undefined);
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('rejected');
    // The delivery's log line is structured: who, which provider, which event, what it came to.
    const eventId = h.events.find((event) => event.type === 'customer.rejected')?.id;
    expect(h.logs).toContainEqual({
      level: 'debug',
      obj: { provider: 'technest', outcome: 'applied', customerId: customer.id, eventId },
      msg: 'webhook delivery handled',
    });

    const token = h.requests({ server: 'api', method: 'GET' }).at(-1)?.headers.authorization?.replace('Bearer ', '');
    expect(token).toMatch(/^tn_at_/);
    const recorded = [
      ...spans.getFinishedSpans().map(describeSpan),
      JSON.stringify(await collect()),
      ...h.logs.map((line) => JSON.stringify(line)),
    ];
    expect(recorded.length).toBeGreaterThan(20);
    for (const text of recorded) {
      for (const canary of [CANARY.documentNumber, CANARY.dateOfBirth, CANARY.nationalId, CLIENT_SECRET, WEBHOOK_SECRET, token!, 'jane@example.com', 'X-Tn-Signature']) {
        expect(text).not.toContain(canary);
      }
    }
  });
});

async function collect(): Promise<Record<string, DataPoint<unknown>[]>> {
  const { resourceMetrics } = await reader.collect();
  const byName: Record<string, DataPoint<unknown>[]> = {};
  for (const scope of resourceMetrics.scopeMetrics) for (const metric of scope.metrics) byName[metric.descriptor.name] = metric.dataPoints;
  return byName;
}

function sumBy(points: DataPoint<unknown>[] | undefined, key: string): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const point of points ?? []) {
    const label = String((point.attributes as Attributes)[key]);
    sums[label] = (sums[label] ?? 0) + (point.value as number);
  }
  return sums;
}

function describeSpan(span: ReadableSpan): string {
  return JSON.stringify({ name: span.name, attributes: span.attributes, events: span.events, status: span.status });
}
