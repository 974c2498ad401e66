import type { DataPoint, Histogram } from '@opentelemetry/sdk-metrics';
import { recordTelemetry, type TelemetryRecorder } from '@openkyc/testkit/telemetry';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CANARY, fullApplication, startHarness, type Harness } from './support/fixtures.js';

// OpenTelemetry through the clients-command adapter, against the real simulator: core's HTTP toolkit records a
// client span per attempt for every adapter, not only Technest, and nothing personal reaches it.

let h: Harness;
let recorder: TelemetryRecorder;

beforeEach(async () => {
  recorder = recordTelemetry();
  h = await startHarness({ telemetry: recorder.telemetry });
});

afterEach(() => h.close());

describe('OpenTelemetry through the clients-command adapter', () => {
  it('records a client span per provider HTTP attempt (templated route, operation, status) and no personal data', async () => {
    const customer = await h.kyc.createCustomer({ reference: 'user-otel', type: 'individual', email: 'jane@example.com', firstName: 'Jane', lastName: 'Smith' });
    const submitted = await h.kyc.submit(customer.id, fullApplication());
    await h.kyc.refresh(customer.id);

    const http = recorder.httpSpans();
    expect(new Set(http.map((span) => span.attributes['openkyc.operation']))).toEqual(new Set(['createCustomer', 'submit', 'fetch']));
    expect(http.length).toBe(h.sim.requests().length);
    for (const span of http) {
      expect(span.attributes).toMatchObject({ 'openkyc.provider': h.provider.id, 'server.address': '127.0.0.1', 'http.response.status_code': expect.any(Number) });
      expect(span.name).toBe(`${String(span.attributes['http.request.method'])} ${String(span.attributes['url.template'])}`);
      expect(span.name).not.toContain(submitted.providerCustomerId);
      expect(span.name).not.toMatch(/\?/);
    }
    const submit = recorder.spans().find((span) => span.name === 'openkyc.submit');
    expect(submit?.attributes).toMatchObject({ 'openkyc.customer.id': customer.id, 'openkyc.provider': h.provider.id });

    const metrics = await recorder.collectMetrics();
    const latency = metrics['openkyc.provider.request.duration'] as DataPoint<Histogram>[];
    expect(latency.reduce((total, point) => total + point.value.count, 0)).toBe(http.length);
    for (const text of await recorder.recordedText()) {
      for (const canary of [...Object.values(CANARY), CANARY.ssn.replaceAll('-', ''), h.sim.credentials.password, 'jane@example.com', 'Smith']) {
        expect(text).not.toContain(canary);
      }
    }
  });
});
