import { context, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { DataPoint, Histogram } from '@opentelemetry/sdk-metrics';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKyc, memoryStore, type Customer } from '@openkyc/core';
import { buildTechnestWebhookPayload, signTechnestWebhook } from '@openkyc/testkit';
import { recordTelemetry, type TelemetryRecorder } from '@openkyc/testkit/telemetry';
import { technest } from '../src/index.js';
import { CANARY, CLIENT_SECRET, WEBHOOK_SECRET, fullApplication, newCustomer, startHarness, type Harness } from './support/harness.js';

// What an app's OpenTelemetry setup registers (the Node SDK does): without a context manager no span has a parent.
beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(() => {
  context.disable();
});

let h: Harness;
let recorder: TelemetryRecorder;

beforeEach(async () => {
  recorder = recordTelemetry();
  h = await startHarness({ telemetry: recorder.telemetry });
});

afterEach(async () => {
  await h.close();
});

describe('OpenTelemetry spans and metrics (createKyc({ telemetry }))', () => {
  it('records a client span per provider HTTP attempt with HTTP semantic conventions and no ids in names', async () => {
    const customer = await h.kyc.createCustomer(newCustomer());
    await h.kyc.submit(customer.id, fullApplication());

    const http = recorder.httpSpans();
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

    const submit = recorder.spans().find((span) => span.name === 'openkyc.submit');
    expect(submit?.attributes).toMatchObject({ 'openkyc.customer.id': customer.id, 'openkyc.provider': 'technest', 'openkyc.customer.status': 'pending' });
  });

  it('counts retries on the span of the resent attempt and marks failed attempts', async () => {
    const customer = await h.kyc.createCustomer(newCustomer());
    h.sim.injectServerError({ method: 'GET', path: '/v1/customers/:id', times: 1 });
    await h.kyc.refresh(customer.id);

    const reads = recorder.spans().filter((span) => span.name === 'GET /v1/customers/{id}');
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

    const outcomes = recorder
      .spans()
      .filter((span) => span.name === 'openkyc.webhook.delivery')
      .map((span) => span.attributes['openkyc.webhook.outcome']);
    expect(outcomes).toEqual(['applied', 'duplicate', 'rejected_signature']);
    expect(recorder.spans().some((span) => span.name === 'openkyc.reconcile')).toBe(true);

    const points = await recorder.collectMetrics();
    expect(sumBy(points['openkyc.webhook.deliveries'], 'openkyc.webhook.outcome')).toEqual({ applied: 1, duplicate: 1, rejected_signature: 1 });
    expect(sumBy(points['openkyc.customer.transitions'], 'openkyc.customer.status')).toEqual({ created: 1, pending: 1, verified: 1 });
    const latency = points['openkyc.provider.request.duration'] as DataPoint<Histogram>[];
    expect(latency.reduce((total, point) => total + point.value.count, 0)).toBe(h.sim.requests().length);
    expect(latency.every((point) => point.attributes['openkyc.provider'] === 'technest')).toBe(true);
  });

  it('nests every provider HTTP attempt under the submit span and under the reconcile span that made it', async () => {
    const customer = await h.kyc.createCustomer(newCustomer());
    await h.kyc.submit(customer.id, fullApplication());
    const [submit] = recorder.spans().filter((span) => span.name === 'openkyc.submit');
    const submitHttp = recorder.httpSpans().filter((span) => span.attributes['openkyc.operation'] === 'submit');
    expect(submitHttp.length).toBeGreaterThan(5);
    for (const span of submitHttp) {
      expect(span.parentSpanContext?.spanId).toBe(submit!.spanContext().spanId);
      expect(span.spanContext().traceId).toBe(submit!.spanContext().traceId);
    }
    // createCustomer has no span of its own: its attempt is a root, not a child of anything earlier.
    expect(recorder.httpSpans().find((span) => span.attributes['openkyc.operation'] === 'createCustomer')?.parentSpanContext).toBeUndefined();

    recorder.resetSpans();
    await h.sim.clock.advance(24 * 60 * 60_000);
    const result = await h.kyc.reconcile({ all: true });
    expect(result.checked).toBe(1);
    const [reconcile] = recorder.spans().filter((span) => span.name === 'openkyc.reconcile');
    const polled = recorder.httpSpans();
    expect(polled.length).toBeGreaterThan(0);
    for (const span of polled) {
      expect(span.attributes['openkyc.operation']).toBe('fetch');
      expect(span.parentSpanContext?.spanId).toBe(reconcile!.spanContext().spanId);
      expect(span.spanContext().traceId).toBe(reconcile!.spanContext().traceId);
    }
  });

  it('records stale and parked webhook deliveries end to end, in spans and the deliveries metric, without personal data', async () => {
    // A record another deployment created at the same provider: no customer here has it, so its webhook is parked.
    const elsewhere = createKyc({
      providers: [technest({ baseUrl: h.sim.url, clientId: h.sim.clientId, clientSecret: CLIENT_SECRET, webhookSecret: WEBHOOK_SECRET })],
      store: memoryStore(),
      now: () => h.sim.clock.now(),
    });
    const stranger = await elsewhere.createCustomer(newCustomer('user-elsewhere', 'jane.elsewhere@example.com'));
    await elsewhere.close();
    const parked = await h.kyc.handleWebhook('technest', signedReport(stranger, 'pending', h.sim.clock.now(), 'evt_parked_1'));
    expect(parked.parked).toBe(true);

    // A report older than the one applied: kept as an ignored, stale report.
    const customer = await h.kyc.createCustomer(newCustomer());
    const submitted = await h.kyc.submit(customer.id, fullApplication());
    await h.sim.completeReviews();
    expect((await h.kyc.refresh(customer.id)).status).not.toBe('pending');
    const before = new Date(Date.parse(submitted.submittedAt!) - 60_000);
    const stale = await h.kyc.handleWebhook('technest', signedReport(submitted, 'pending', before, 'evt_stale_1'));
    expect(stale.ignored).toBe('stale');

    const deliveries = recorder.spans().filter((span) => span.name === 'openkyc.webhook.delivery');
    expect(deliveries.map((span) => span.attributes)).toEqual([
      { 'openkyc.webhook.outcome': 'parked', 'openkyc.provider': 'technest' },
      { 'openkyc.webhook.outcome': 'stale', 'openkyc.provider': 'technest' },
    ]);
    const points = await recorder.collectMetrics();
    expect(sumBy(points['openkyc.webhook.deliveries'], 'openkyc.webhook.outcome')).toEqual({ parked: 1, stale: 1 });
    for (const text of await recorder.recordedText()) {
      for (const canary of [CANARY.documentNumber, CANARY.dateOfBirth, CANARY.nationalId, CLIENT_SECRET, WEBHOOK_SECRET, 'jane@example.com', 'jane.elsewhere@example.com']) {
        expect(text).not.toContain(canary);
      }
    }
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
      ...(await recorder.recordedText()),
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

/** A signed Technest webhook reporting `status` for the customer's provider record at `at`. */
function signedReport(customer: Customer, status: string, at: Date, eventId: string) {
  const record = h.sim.getCustomer(customer.providerCustomerId)!;
  const body = JSON.stringify(buildTechnestWebhookPayload('current', { ...record, status } as typeof record, { eventId, createdAt: at, previousStatus: 'created' }));
  const signature = signTechnestWebhook(WEBHOOK_SECRET, body, Math.floor(h.sim.clock.now().getTime() / 1000));
  return { headers: { 'technest-signature': signature, 'content-type': 'application/json' }, body };
}

function sumBy(points: DataPoint<unknown>[] | undefined, key: string): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const point of points ?? []) {
    const label = String((point.attributes as Attributes)[key]);
    sums[label] = (sums[label] ?? 0) + (point.value as number);
  }
  return sums;
}
