import { MeterProvider, MetricReader, type DataPoint } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createKyc } from '../../src/client/create-kyc.js';
import type { Consumer } from '../../src/client/consumer.js';
import type { Kyc } from '../../src/client/kyc.js';
import { memoryStore } from '../../src/store/memory-store.js';
import { startTinyServer, tinyProvider, type TinyServer } from '../support/tiny-provider.js';

class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const FAST = { pollIntervalMs: 20, retryDelayMs: 1, maxRetryDelayMs: 5 };

let server: TinyServer;
let reader: CollectingReader;
let kyc: Kyc;
const consumers: Consumer[] = [];

beforeEach(async () => {
  server = await startTinyServer();
  reader = new CollectingReader();
  kyc = createKyc({ providers: [tinyProvider(server)], store: memoryStore(), telemetry: { meterProvider: new MeterProvider({ readers: [reader] }) } });
});

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
  await kyc.close();
  await server.close();
});

describe('consumer metrics', () => {
  it('reports the age of the oldest unread event while the consumer is behind', async () => {
    await kyc.createCustomer({ reference: 'slow', type: 'individual', email: 'jane@example.com', firstName: 'Jane', lastName: 'Smith' });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    consumers.push(
      kyc.consume(
        'slow',
        async () => {
          started = true;
          await gate;
        },
        FAST,
      ),
    );
    try {
      await vi.waitFor(() => expect(started).toBe(true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      // Stuck on one event: the lag grows while it waits, it is not a snapshot of when the batch was read.
      const behind = (await collect())['openkyc.consumer.lag']?.[0]?.value as number;
      expect(behind).toBeGreaterThanOrEqual(0.05);
    } finally {
      release();
    }
  });

  it('counts dead letters per consumer and reports its lag, 0 once caught up', async () => {
    for (let i = 0; i < 3; i++) {
      await kyc.createCustomer({ reference: `c-${i}`, type: 'individual', email: 'jane@example.com', firstName: 'Jane', lastName: 'Smith' });
    }
    const handled: string[] = [];
    consumers.push(
      kyc.consume(
        'crm',
        async (event) => {
          if (event.reference === 'c-1') throw new Error('CRM down');
          handled.push(event.reference);
        },
        { ...FAST, maxAttempts: 2 },
      ),
    );
    await vi.waitFor(() => expect(handled).toEqual(['c-0', 'c-2']));

    await vi.waitFor(async () => {
      const points = await collect();
      expect(points['openkyc.consumer.dead_letters']).toMatchObject([{ value: 1, attributes: { 'openkyc.consumer': 'crm' } }]);
      expect(points['openkyc.consumer.lag']).toMatchObject([{ value: 0, attributes: { 'openkyc.consumer': 'crm' } }]);
    });
  });
});

async function collect(): Promise<Record<string, DataPoint<unknown>[]>> {
  const { resourceMetrics } = await reader.collect();
  const byName: Record<string, DataPoint<unknown>[]> = {};
  for (const scope of resourceMetrics.scopeMetrics) for (const metric of scope.metrics) byName[metric.descriptor.name] = metric.dataPoints;
  return byName;
}
