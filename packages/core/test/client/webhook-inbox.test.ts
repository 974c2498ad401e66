import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKyc } from '../../src/client/create-kyc.js';
import type { Kyc, KycOptions } from '../../src/client/kyc.js';
import { ConfigurationError } from '../../src/errors.js';
import type { KycLogger } from '../../src/logging/logger.js';
import type { KycEvent } from '../../src/models/events.js';
import type { CustomerStore } from '../../src/store/customer-store.js';
import { memoryStore } from '../../src/store/memory-store.js';
import { sampleApplication } from '../support/application-fixture.js';
import { startTinyServer, tinyProvider, type TinyRecord, type TinyServer } from '../support/tiny-provider.js';

/**
 * The webhook inbox: a verified delivery for a provider record no customer has yet is kept, answered only
 * once stored, and applied exactly once when that customer is committed (or on reconcile); stale ones are
 * reported.
 */
let server: TinyServer;
let now: Date;
let store: CustomerStore;
let events: KycEvent[];
let warnings: { obj: Record<string, unknown>; msg: string | undefined }[];
let lines: string[];
const clients: Kyc[] = [];
const HOUR = 60 * 60_000;

beforeEach(async () => {
  now = new Date('2026-11-22T10:00:00.000Z');
  server = await startTinyServer(() => now);
  store = memoryStore();
  events = [];
  warnings = [];
  lines = [];
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await server.close();
});

const recordingLogger: KycLogger = {
  debug: (obj, msg) => void lines.push(JSON.stringify({ obj, msg })),
  info: (obj, msg) => void lines.push(JSON.stringify({ obj, msg })),
  warn: (obj, msg) => {
    warnings.push({ obj, msg });
    lines.push(JSON.stringify({ obj, msg }));
  },
  error: (obj, msg) => void lines.push(JSON.stringify({ obj, msg })),
};

function client(options: Partial<KycOptions> = {}): Kyc {
  const kyc = createKyc({ providers: [tinyProvider(server)], store, now: () => now, logger: recordingLogger, ...options });
  kyc.subscribe((event) => {
    events.push(event);
  });
  clients.push(kyc);
  return kyc;
}

/** A record the provider made for `reference` before openkyc stored its customer (createCustomer adopts it). */
function providerRecord(reference: string, status: TinyRecord['status'] = 'created'): TinyRecord {
  const record: TinyRecord = { id: `tiny_${reference}`, reference, status, updatedAt: now.toISOString() };
  server.records.set(record.id, record);
  return record;
}

/** A signed report about `record` in `status`, without changing the record (the provider's state stays as it was). */
function report(record: TinyRecord, status: TinyRecord['status'], at: Date = now) {
  return server.delivery({ id: `evt_${record.id}_${status}`, customerId: record.id, status, occurredAt: at.toISOString() });
}

const create = (kyc: Kyc, reference: string) =>
  kyc.createCustomer({ reference, type: 'individual', email: 'jane@example.com', firstName: 'Jane', lastName: 'Smith' });

const later = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

describe('a webhook before its customer', () => {
  it('is parked (answered only after it is stored) and applied when the customer is committed', async () => {
    const kyc = client();
    const record = providerRecord('early-1');
    const delivery = report(record, 'pending');
    expect(await kyc.handleWebhook('tiny', delivery)).toEqual({ events: [], duplicate: false, parked: true });
    expect(await store.listAllParked()).toHaveLength(1);
    expect(events).toEqual([]);

    later(1000);
    const customer = await create(kyc, 'early-1');
    expect(customer).toMatchObject({ providerCustomerId: record.id, status: 'pending' });
    expect(events.map((e) => [e.type, e.source])).toEqual([
      ['customer.created', 'api'],
      ['customer.submitted', 'webhook'],
    ]);
    expect(await store.listAllParked()).toEqual([]);
    expect(await store.hasProcessed('tiny', JSON.parse(delivery.body).id)).toBe(true);
    // A redelivery after it applied is a duplicate, not a second transition.
    expect(await kyc.handleWebhook('tiny', delivery)).toMatchObject({ duplicate: true, events: [] });
  });

  it('applies several parked deliveries in provider-time order, whatever order they arrived in', async () => {
    const kyc = client();
    const record = providerRecord('early-2');
    const t = now.getTime();
    const pending = server.delivery({ id: 'evt_p', customerId: record.id, status: 'pending', occurredAt: new Date(t - 3000).toISOString() });
    const verified = server.delivery({ id: 'evt_v', customerId: record.id, status: 'verified', occurredAt: new Date(t - 2000).toISOString() });
    const active = server.delivery({ id: 'evt_a', customerId: record.id, status: 'active', occurredAt: new Date(t - 1000).toISOString() });
    for (const delivery of [active, pending, verified]) expect((await kyc.handleWebhook('tiny', delivery)).parked).toBe(true);
    expect((await store.listParked('tiny', record.id)).map((parked) => parked.dedupeKey)).toEqual(['evt_p', 'evt_v', 'evt_a']);

    const customer = await create(kyc, 'early-2');
    expect(customer.status).toBe('active');
    expect(events.map((e) => [e.from, e.to])).toEqual([
      [null, 'created'],
      ['created', 'pending'],
      ['pending', 'verified'],
      ['verified', 'active'],
    ]);
    expect(await store.listAllParked()).toEqual([]);
  });

  it('parks a redelivery once and answers it as parked again', async () => {
    const kyc = client();
    const record = providerRecord('early-3');
    const delivery = report(record, 'pending');
    await kyc.handleWebhook('tiny', delivery);
    expect(await kyc.handleWebhook('tiny', delivery)).toMatchObject({ parked: true, duplicate: false });
    expect(await store.listAllParked()).toHaveLength(1);
    expect(lines.filter((line) => line.includes('webhook parked'))).toHaveLength(1);
  });

  it('applies a delivery parked just as its customer commits: the look after parking finds the customer', async () => {
    const inner = memoryStore();
    const record = providerRecord('race-1');
    let kyc: Kyc;
    // The worst interleaving: the customer commits (and drains an empty inbox) between "no customer" and
    // the park; the look after parking must find it, or the delivery would wait forever.
    store = {
      ...inner,
      async park(delivery) {
        await create(kyc, 'race-1');
        return inner.park(delivery);
      },
    };
    kyc = client();
    const result = await kyc.handleWebhook('tiny', report(record, 'pending'));
    expect(result.events.map((e) => e.type)).toEqual(['customer.submitted']);
    expect(result.parked).toBeUndefined();
    expect(await inner.listAllParked()).toEqual([]);
    expect((await kyc.findCustomerByReference('race-1'))?.status).toBe('pending');
  });

  it('answers nothing (rejects) when the delivery could not be stored, so the provider retries', async () => {
    const inner = memoryStore();
    store = {
      ...inner,
      async park() {
        throw new Error('disk full');
      },
    };
    const kyc = client();
    const record = providerRecord('lost-1');
    await expect(kyc.handleWebhook('tiny', report(record, 'pending'))).rejects.toThrow('disk full');
    expect(await inner.hasProcessed('tiny', 'anything')).toBe(false);
  });

  it('is done when its dedupe key was committed meanwhile: removed without a second effect', async () => {
    const kyc = client();
    const record = providerRecord('done-1');
    const delivery = report(record, 'pending');
    await kyc.handleWebhook('tiny', delivery);
    await store.commit({ dedupe: { provider: 'tiny', key: JSON.parse(delivery.body).id } });
    const customer = await create(kyc, 'done-1');
    expect(customer.status).toBe('created');
    expect(events.map((e) => e.type)).toEqual(['customer.created']);
    expect(await store.listAllParked()).toEqual([]);
  });

  it('applies to a retry: a webhook about the new provider record before the retry committed it', async () => {
    const kyc = client();
    const customer = await create(kyc, 'retry-1');
    await kyc.submit(customer.id, sampleApplication());
    later(1000);
    await kyc.handleWebhook('tiny', server.decide(customer.providerCustomerId, 'rejected', { rejection: { code: 'document_expired', message: 'Expired', retryable: true } }));
    // The retry's record exists at the provider (and reports) before openkyc commits the new attempt.
    const next = providerRecord('retry-1-r2');
    later(1000);
    expect((await kyc.handleWebhook('tiny', server.decide(next.id, 'pending', { at: new Date(now.getTime() + 500) }))).parked).toBe(true);
    later(1000);
    // submit prepares the retry (adopting the record), applies the parked report, then submits.
    await expect(kyc.submit(customer.id, sampleApplication())).rejects.toMatchObject({ status: 409 });
    const after = await kyc.getCustomer(customer.id);
    expect(after).toMatchObject({ providerCustomerId: next.id, status: 'pending' });
    expect(events.at(-1)).toMatchObject({ type: 'customer.submitted', source: 'webhook', providerCustomerId: next.id });
    expect(await store.listAllParked()).toEqual([]);
  });
});

describe('two instances applying the same parked deliveries', () => {
  it('have each delivery take effect once', async () => {
    // Customers in `created` are not polled here, so reconcile's only work is the inbox.
    const first = client({ reconcile: { created: undefined } });
    const second = client({ reconcile: { created: undefined } });
    const bare = createKyc({ providers: [tinyProvider(server)], store: memoryStore(), now: () => now });
    clients.push(bare);
    const records = Array.from({ length: 20 }, (_, i) => providerRecord(`two-${i}`));
    const made = [];
    for (const record of records) made.push(await create(bare, record.reference));
    for (const record of records) {
      await first.handleWebhook('tiny', report(record, 'pending', new Date(now.getTime() - 2000)));
      await second.handleWebhook('tiny', report(record, 'verified', new Date(now.getTime() - 1000)));
    }
    expect(await store.listAllParked()).toHaveLength(40);
    // The customers are committed by a writer that does not drain (as after a crash right after the commit).
    for (const customer of made) expect(await store.commit({ customer, expectedVersion: 0, events: await bare.listEvents(customer.id) })).toEqual({ ok: true });

    const [a, b] = await Promise.all([first.reconcile({ concurrency: 4 }), second.reconcile({ concurrency: 4 })]);
    expect(a.parked.applied + b.parked.applied).toBeGreaterThanOrEqual(40);
    expect(events.map((e) => e.type).sort()).toEqual([...Array(20).fill('customer.submitted'), ...Array(20).fill('customer.verified')].sort());
    for (const record of records) {
      const customer = (await store.findByProviderCustomerId('tiny', record.id))!;
      expect(customer.status).toBe('verified');
      expect((await store.listEvents(customer.id)).map((e) => e.type)).toEqual(['customer.created', 'customer.submitted', 'customer.verified']);
    }
    expect(await store.listAllParked()).toEqual([]);
  });
});

describe('kyc.applyParkedWebhooks (the operator\'s "apply now")', () => {
  it('applies the parked deliveries whose customer exists by now, without polling anyone, and leaves the others waiting', async () => {
    const kyc = client();
    const bare = createKyc({ providers: [tinyProvider(server)], store: memoryStore(), now: () => now });
    clients.push(bare);
    const arrived = providerRecord('apply-now');
    const missing = providerRecord('apply-never');
    const customer = await create(bare, arrived.reference);
    await kyc.handleWebhook('tiny', report(arrived, 'pending'));
    await kyc.handleWebhook('tiny', report(missing, 'pending'));
    // Committed by a writer that does not drain (as after a crash right after the commit).
    await store.commit({ customer, expectedVersion: 0, events: await bare.listEvents(customer.id) });
    const requestsBefore = server.requests.length;

    expect(await kyc.applyParkedWebhooks()).toEqual({ applied: 1, waiting: 1, stale: 0 });
    expect(server.requests.length).toBe(requestsBefore);
    expect((await kyc.getCustomer(customer.id)).status).toBe('pending');
    expect((await kyc.listParkedWebhooks()).map((parked) => parked.providerCustomerId)).toEqual([missing.id]);
    expect(await kyc.applyParkedWebhooks()).toEqual({ applied: 0, waiting: 1, stale: 0 });
  });
});

describe('kyc.applyParkedWebhook (one delivery, the console\'s per-row "apply")', () => {
  it('applies just that delivery once its customer exists, says waiting before and not_parked after', async () => {
    const kyc = client();
    const bare = createKyc({ providers: [tinyProvider(server)], store: memoryStore(), now: () => now });
    clients.push(bare);
    const arrived = providerRecord('one-now');
    const other = providerRecord('one-other');
    await kyc.handleWebhook('tiny', report(arrived, 'pending'));
    await kyc.handleWebhook('tiny', report(other, 'pending'));
    const [first, second] = await kyc.listParkedWebhooks();
    expect(first!.providerCustomerId).toBe(arrived.id);

    expect(await kyc.applyParkedWebhook('tiny', first!.dedupeKey)).toEqual({ outcome: 'waiting' });
    const customer = await create(bare, arrived.reference);
    const otherCustomer = await create(bare, other.reference);
    // Committed by writers that do not drain, so both deliveries are still parked.
    await store.commit({ customer, expectedVersion: 0, events: await bare.listEvents(customer.id) });
    await store.commit({ customer: otherCustomer, expectedVersion: 0, events: await bare.listEvents(otherCustomer.id) });
    const requestsBefore = server.requests.length;

    expect(await kyc.applyParkedWebhook('tiny', first!.dedupeKey)).toEqual({ outcome: 'applied', customerId: customer.id });
    expect(server.requests.length).toBe(requestsBefore);
    expect((await kyc.getCustomer(customer.id)).status).toBe('pending');
    // Only that one: the other delivery still waits although its customer exists.
    expect((await kyc.listParkedWebhooks()).map((parked) => parked.dedupeKey)).toEqual([second!.dedupeKey]);
    expect((await kyc.getCustomer(otherCustomer.id)).status).toBe('created');
    expect(events.filter((event) => event.customerId === customer.id).map((event) => event.type)).toEqual(['customer.submitted']);

    expect(await kyc.applyParkedWebhook('tiny', first!.dedupeKey)).toEqual({ outcome: 'not_parked' });
    expect(await kyc.applyParkedWebhook('other-provider', second!.dedupeKey)).toEqual({ outcome: 'not_parked' });
    expect(events.filter((event) => event.customerId === customer.id)).toHaveLength(1);
    expect(await kyc.listDeliveries(customer.id)).toEqual([
      { provider: 'tiny', dedupeKey: first!.dedupeKey, customerId: customer.id, processedAt: expect.any(String) },
    ]);
  });

  it('removes a delivery whose key was committed meanwhile as already_applied, without applying it twice', async () => {
    const kyc = client();
    const record = providerRecord('one-dup');
    const delivery = report(record, 'pending');
    await kyc.handleWebhook('tiny', delivery);
    const [parked] = await kyc.listParkedWebhooks();
    const customer = await create(client(), record.reference);
    // createCustomer drained the inbox; park the same delivery again as a crashed instance would have left it.
    await store.park({ provider: 'tiny', dedupeKey: parked!.dedupeKey, report: { providerCustomerId: record.id, status: 'pending', rawStatus: 'pending' }, occurredAt: parked!.occurredAt, receivedAt: parked!.receivedAt });
    const before = events.length;

    expect(await kyc.applyParkedWebhook('tiny', parked!.dedupeKey)).toEqual({ outcome: 'already_applied', customerId: customer.id });
    expect(events.length).toBe(before);
    expect(await kyc.listParkedWebhooks()).toEqual([]);
  });
});

describe('stale parked deliveries', () => {
  it('are reported by reconcile (a warning with structured fields) and listed for operators', async () => {
    const kyc = client({ webhookInbox: { staleAfterMs: HOUR } });
    const record = providerRecord('never-created');
    const delivery = report(record, 'pending');
    await kyc.handleWebhook('tiny', delivery);
    const fresh = await kyc.reconcile();
    expect(fresh.parked).toEqual({ applied: 0, waiting: 1, stale: 0 });
    expect(warnings).toEqual([]);
    expect(await kyc.listParkedWebhooks({ staleOnly: true })).toEqual([]);

    later(HOUR + 1);
    const stale = await kyc.reconcile();
    expect(stale.parked).toEqual({ applied: 0, waiting: 1, stale: 1 });
    expect(warnings).toEqual([
      {
        obj: {
          provider: 'tiny',
          providerCustomerId: record.id,
          dedupeKey: JSON.parse(delivery.body).id,
          status: 'pending',
          receivedAt: '2026-11-22T10:00:00.000Z',
          parkedForMs: HOUR + 1,
        },
        msg: expect.stringContaining('staleAfterMs'),
      },
    ]);
    const listed = await kyc.listParkedWebhooks({ staleOnly: true });
    expect(listed).toEqual([
      {
        provider: 'tiny',
        providerCustomerId: record.id,
        dedupeKey: JSON.parse(delivery.body).id,
        status: 'pending',
        rawStatus: 'pending',
        occurredAt: '2026-11-22T10:00:00.000Z',
        receivedAt: '2026-11-22T10:00:00.000Z',
        stale: true,
      },
    ]);
    expect(await kyc.listParkedWebhooks({ limit: 0 })).toEqual([]);
  });

  it('are counted in the openkyc.webhook.parked gauge, stale ones apart, as the last reconcile round found them', async () => {
    const reader = new CollectingReader();
    const kyc = client({ webhookInbox: { staleAfterMs: HOUR }, telemetry: { meterProvider: new MeterProvider({ readers: [reader] }) } });
    expect(await parkedGauge(reader)).toEqual([]); // nothing observed before the first round
    await kyc.handleWebhook('tiny', report(providerRecord('old-one'), 'pending'));
    later(HOUR + 1);
    await kyc.handleWebhook('tiny', report(providerRecord('new-one'), 'pending'));
    await kyc.reconcile();
    expect(await parkedGauge(reader)).toEqual([
      { stale: false, value: 1 },
      { stale: true, value: 1 },
    ]);
  });

  it('refuses a negative or non-numeric staleAfterMs', () => {
    for (const staleAfterMs of [-1, Number.NaN, '5' as unknown as number]) {
      expect(() => createKyc({ providers: [tinyProvider(server)], webhookInbox: { staleAfterMs } })).toThrow(ConfigurationError);
    }
  });
});

describe('the personal data boundary of a parked delivery', () => {
  it('keeps the provider-neutral report only: no raw body, no provider free text, nothing unknown', async () => {
    const kyc = client();
    const record = providerRecord('pii-1');
    const canary = 'CANARY-7f3a Jane Smith passport X1234567';
    const body = JSON.stringify({
      id: 'evt_pii',
      customerId: record.id,
      status: 'rejected',
      occurredAt: now.toISOString(),
      rejection: { code: 'document_expired', message: 'Your document has expired.', retryable: true, providerReason: canary },
      documentNumber: canary,
    });
    await kyc.handleWebhook('tiny', server.delivery(body));
    const parked = await store.listAllParked();
    expect(JSON.stringify(parked)).not.toContain('CANARY');
    expect(parked[0]!.report).toEqual({
      providerCustomerId: record.id,
      status: 'rejected',
      rawStatus: 'rejected',
      occurredAt: now.toISOString(),
      rejection: { code: 'document_expired', message: 'Your document has expired.', retryable: true },
    });
    expect(lines.join('\n')).not.toContain('CANARY');

    const customer = await create(kyc, 'pii-1');
    expect(customer.status).toBe('rejected');
    expect(customer.rejection).toEqual({ code: 'document_expired', message: 'Your document has expired.', retryable: true });
  });
});

class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** The `openkyc.webhook.parked` data points, by their stale attribute. */
async function parkedGauge(reader: MetricReader): Promise<{ stale: unknown; value: unknown }[]> {
  const { resourceMetrics } = await reader.collect();
  const points = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((metric) => metric.descriptor.name === 'openkyc.webhook.parked')?.dataPoints ?? [];
  return points.map((point) => ({ stale: point.attributes['openkyc.webhook.parked.stale'], value: point.value }));
}
