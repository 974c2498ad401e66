import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKyc } from '../../src/client/create-kyc.js';
import type { Kyc } from '../../src/client/kyc.js';
import { fromConfig } from '../../src/client/from-config.js';
import {
  ConfigurationError,
  InvalidStateError,
  NotFoundError,
  NotRetryableError,
  ValidationError,
  WebhookVerificationError,
} from '../../src/errors.js';
import type { KycEvent } from '../../src/models/events.js';
import { memoryStore } from '../../src/store/memory-store.js';
import { sampleApplication } from '../support/application-fixture.js';
import { startTinyServer, tinyProvider, type TinyServer } from '../support/tiny-provider.js';

let server: TinyServer;
let kyc: Kyc;
let events: KycEvent[];
let now: Date;
const HOUR = 60 * 60_000;

beforeEach(async () => {
  now = new Date('2026-11-22T10:00:00.000Z');
  server = await startTinyServer(() => now);
  kyc = createKyc({ providers: [tinyProvider(server)], now: () => now });
  events = [];
  kyc.subscribe((event) => {
    events.push(event);
  });
});

afterEach(async () => {
  await kyc.close();
  await server.close();
});

const newCustomer = (reference = 'user-123') =>
  kyc.createCustomer({ reference, type: 'individual', email: 'jane@example.com', firstName: 'Jane', lastName: 'Smith' });

const later = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

describe('createCustomer', () => {
  it('creates the provider record, stores the customer and emits customer.created', async () => {
    const customer = await newCustomer();
    expect(customer).toMatchObject({ status: 'created', provider: 'tiny', reference: 'user-123', version: 1 });
    expect(server.records.get(customer.providerCustomerId)?.reference).toBe('user-123');
    expect(events.map((e) => [e.type, e.from, e.to, e.source])).toEqual([['customer.created', null, 'created', 'api']]);
    // The provider's own word for the record it made, next to the normalized `to`.
    expect(events[0]?.providerStatus).toBe(customer.rawStatus);
    expect(customer.rawStatus).toEqual(expect.any(String));
    expect(await kyc.getCustomer(customer.id)).toEqual(customer);
  });

  it('is idempotent on the reference: a second call returns the same customer and emits nothing', async () => {
    const first = await newCustomer();
    const second = await newCustomer();
    expect(second.id).toBe(first.id);
    expect(events).toHaveLength(1);
    expect(server.records.size).toBe(1);
  });

  it('refuses bad input before any request', async () => {
    await expect(
      kyc.createCustomer({ reference: '', type: 'individual', email: 'not-an-email', firstName: 'J', lastName: 'S' }),
    ).rejects.toSatisfy((error: unknown) => ValidationError.isInstance(error) && error.issues.length === 2);
    await expect(
      kyc.createCustomer({ reference: 'b-1', type: 'business', email: 'a@b.co', firstName: 'J', lastName: 'S' }),
    ).rejects.toSatisfy((error: unknown) => ValidationError.isInstance(error) && error.issues[0]?.code === 'unsupported_customer_type');
    expect(server.requests).toHaveLength(0);
  });

  it('sends new customers to the default provider and keeps existing ones where they are', async () => {
    const other = await startTinyServer(() => now);
    try {
      const store = memoryStore();
      const before = createKyc({ providers: [tinyProvider(server), tinyProvider(other, { id: 'other' })], store, now: () => now });
      const old = await before.createCustomer({ reference: 'u-1', type: 'individual', email: 'a@b.co', firstName: 'A', lastName: 'B' });
      const after = createKyc({
        providers: [tinyProvider(server), tinyProvider(other, { id: 'other' })],
        defaultProvider: 'other',
        store,
        now: () => now,
      });
      const fresh = await after.createCustomer({ reference: 'u-2', type: 'individual', email: 'a@b.co', firstName: 'A', lastName: 'B' });
      expect(fresh.provider).toBe('other');
      expect(other.records.size).toBe(1);
      await after.submit(old.id, sampleApplication());
      expect((await after.getCustomer(old.id)).provider).toBe('tiny');
      expect(server.records.get(old.providerCustomerId)?.status).toBe('pending');
      await Promise.all([before.close(), after.close()]);
    } finally {
      await other.close();
    }
  });
});

describe('submit', () => {
  it('moves created → pending and emits customer.submitted', async () => {
    const customer = await newCustomer();
    const submitted = await kyc.submit(customer.id, sampleApplication());
    expect(submitted).toMatchObject({ status: 'pending', submissions: 1, rawStatus: 'pending' });
    expect(events.map((e) => e.type)).toEqual(['customer.created', 'customer.submitted']);
    expect(events[1]).toMatchObject({ from: 'created', to: 'pending', source: 'api', customerId: customer.id, providerStatus: 'pending' });
    expect((await kyc.listEvents(customer.id)).map((e) => e.providerStatus)).toEqual([events[0]?.providerStatus, 'pending']);
  });

  it('refuses an invalid application with every issue, before any request', async () => {
    const customer = await newCustomer();
    const before = server.requests.length;
    const bad = sampleApplication({ documents: [] });
    const person = { ...bad.person, phone: '555-1234' };
    const error = await kyc.submit(customer.id, { ...bad, person }).catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    const paths = (error as ValidationError).issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['person.phone', 'documents']));
    expect(server.requests.length).toBe(before);
  });

  it('refuses a customer under review with InvalidStateError before any request', async () => {
    const customer = await newCustomer();
    await kyc.submit(customer.id, sampleApplication());
    const before = server.requests.length;
    await expect(kyc.submit(customer.id, sampleApplication())).rejects.toSatisfy(
      (error: unknown) => InvalidStateError.isInstance(error) && error.status === 'pending',
    );
    expect(server.requests.length).toBe(before);
  });

  it('lets only one of two concurrent submits for a customer reach the provider', async () => {
    const customer = await newCustomer();
    const results = await Promise.allSettled([kyc.submit(customer.id, sampleApplication()), kyc.submit(customer.id, sampleApplication())]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(InvalidStateError.isInstance(refused.reason)).toBe(true);
    expect(server.requests.filter((r) => r.path.endsWith('/submit'))).toHaveLength(1);
    expect(events.filter((e) => e.type === 'customer.submitted')).toHaveLength(1);
  });

  it('throws NotFoundError for an unknown customer', async () => {
    await expect(kyc.submit('cus_nope', sampleApplication())).rejects.toSatisfy(NotFoundError.isInstance);
  });

  it('applies its answer on top of a webhook committed while the provider was answering', async () => {
    // The submit first tries its commit on the version it read; the webhook's commit makes that lose,
    // and the answer is applied to the stored customer instead (nothing of the webhook's is lost).
    const tiny = tinyProvider(server);
    const racing = createKyc({
      now: () => now,
      providers: [
        {
          ...tiny,
          async submit(input, context) {
            const report = await tiny.submit(input, context);
            later(1000);
            const decided = await racing.handleWebhook('tiny', server.decide(input.providerCustomerId, 'verified'));
            expect(decided).toMatchObject({ duplicate: false });
            return report;
          },
        },
      ],
    });
    const seen: KycEvent[] = [];
    racing.subscribe((event) => {
      seen.push(event);
    });
    try {
      const customer = await racing.createCustomer({ reference: 'user-race', type: 'individual', email: 'jane@example.com', firstName: 'Jane', lastName: 'Smith' });
      const submitted = await racing.submit(customer.id, sampleApplication());
      // The verdict stays (the earlier pending answer does not undo it); the submit is still counted.
      expect(submitted).toMatchObject({ status: 'verified', submissions: 1 });
      expect(submitted.version).toBeGreaterThan(customer.version + 1);
      expect(await racing.getCustomer(customer.id)).toEqual(submitted);
      expect(seen.filter((event) => event.type === 'customer.verified')).toHaveLength(1);
    } finally {
      await racing.close();
    }
  });

  it('leaves the customer unchanged when the provider fails, so the submit can be repeated', async () => {
    const customer = await newCustomer();
    server.failNext(/submit/, 500);
    await expect(kyc.submit(customer.id, sampleApplication())).rejects.toMatchObject({ code: 'provider_error', isRetryable: true });
    expect((await kyc.getCustomer(customer.id)).status).toBe('created');
    expect((await kyc.submit(customer.id, sampleApplication())).status).toBe('pending');
  });

  it('resubmits from needs_info', async () => {
    const customer = await newCustomer();
    await kyc.submit(customer.id, sampleApplication());
    later(1000);
    const requirement = { kind: 'document' as const, name: 'proof_of_address', message: 'Upload a recent utility bill.' };
    await kyc.handleWebhook('tiny', server.decide(customer.providerCustomerId, 'needs_info', { requirements: [requirement] }));
    expect(await kyc.getCustomer(customer.id)).toMatchObject({ status: 'needs_info', requirements: [requirement] });
    later(1000);
    const again = await kyc.submit(customer.id, sampleApplication());
    expect(again).toMatchObject({ status: 'pending', requirements: [], submissions: 2 });
    expect(events.map((e) => e.type)).toEqual(['customer.created', 'customer.submitted', 'customer.needs_info', 'customer.submitted']);
    expect(events[2]).toMatchObject({ requirements: [requirement], source: 'webhook' });
  });
});

describe('retry after rejection (new-customer mode)', () => {
  const rejection = { code: 'document_unreadable' as const, message: 'Please retry with a clearer photo.', retryable: true };

  it('creates a new provider record with the -r2 reference and keeps every attempt', async () => {
    const customer = await newCustomer();
    await kyc.submit(customer.id, sampleApplication());
    later(1000);
    await kyc.handleWebhook('tiny', server.decide(customer.providerCustomerId, 'rejected', { rejection }));
    later(1000);
    const retried = await kyc.submit(customer.id, sampleApplication());
    expect(retried.id).toBe(customer.id);
    expect(retried.status).toBe('pending');
    expect(retried.providerReference).toBe('user-123-r2');
    expect(retried.attempts.map((a) => [a.number, a.providerReference, a.status])).toEqual([
      [1, 'user-123', 'rejected'],
      [2, 'user-123-r2', 'pending'],
    ]);
    expect(events.slice(-2).map((e) => [e.type, e.from, e.to])).toEqual([
      ['customer.rejected', 'pending', 'rejected'],
      ['customer.submitted', 'rejected', 'pending'],
    ]);
    expect(events.at(-2)).toMatchObject({ rejection });
  });

  it('ignores late reports about the superseded record', async () => {
    const customer = await newCustomer();
    await kyc.submit(customer.id, sampleApplication());
    later(1000);
    const oldRecord = customer.providerCustomerId;
    await kyc.handleWebhook('tiny', server.decide(oldRecord, 'rejected', { rejection }));
    later(1000);
    await kyc.submit(customer.id, sampleApplication());
    later(1000);
    const late = await kyc.handleWebhook('tiny', server.decide(oldRecord, 'verified'));
    expect(late).toMatchObject({ events: [], ignored: 'superseded_attempt' });
    expect((await kyc.getCustomer(customer.id)).status).toBe('pending');
  });

  it('does not prepare a second attempt when the first retry failed part-way', async () => {
    const customer = await newCustomer();
    await kyc.submit(customer.id, sampleApplication());
    later(1000);
    await kyc.handleWebhook('tiny', server.decide(customer.providerCustomerId, 'rejected', { rejection }));
    server.failNext(/submit/, 503);
    await expect(kyc.submit(customer.id, sampleApplication())).rejects.toMatchObject({ isRetryable: true });
    const afterRetry = await kyc.submit(customer.id, sampleApplication());
    expect(afterRetry.attempts).toHaveLength(2);
    expect(server.records.size).toBe(2);
  });

  it('refuses to retry a rejection the provider marked final', async () => {
    const customer = await newCustomer();
    await kyc.submit(customer.id, sampleApplication());
    later(1000);
    const final = { code: 'fraud_suspected' as const, message: 'We cannot open an account for you.', retryable: false };
    await kyc.handleWebhook('tiny', server.decide(customer.providerCustomerId, 'rejected', { rejection: final }));
    const before = server.requests.length;
    await expect(kyc.submit(customer.id, sampleApplication())).rejects.toSatisfy(NotRetryableError.isInstance);
    expect(server.requests.length).toBe(before);
  });
});

describe('activate', () => {
  it('activates a verified customer where activation is explicit', async () => {
    const customer = await newCustomer();
    await kyc.submit(customer.id, sampleApplication());
    later(1000);
    await kyc.handleWebhook('tiny', server.decide(customer.providerCustomerId, 'verified'));
    later(1000);
    const active = await kyc.activate(customer.id);
    expect(active.status).toBe('active');
    expect(events.map((e) => e.type).slice(-2)).toEqual(['customer.verified', 'customer.activated']);
  });

  it('refuses customers that are not verified, before any request', async () => {
    const customer = await newCustomer();
    const before = server.requests.length;
    await expect(kyc.activate(customer.id)).rejects.toSatisfy(InvalidStateError.isInstance);
    expect(server.requests.length).toBe(before);
  });

  it('refuses providers without explicit activation', async () => {
    const auto = createKyc({ providers: [tinyProvider(server, { capabilities: { activation: 'none' } })], now: () => now });
    const customer = await auto.createCustomer({ reference: 'x', type: 'individual', email: 'a@b.co', firstName: 'A', lastName: 'B' });
    await expect(auto.activate(customer.id)).rejects.toThrow(/activation 'none'/);
    await auto.close();
  });
});

describe('handleWebhook', () => {
  it('walks skipped steps and emits one event per step, in order', async () => {
    const customer = await newCustomer();
    await kyc.submit(customer.id, sampleApplication());
    later(1000);
    const result = await kyc.handleWebhook('tiny', server.decide(customer.providerCustomerId, 'active'));
    expect(result.events.map((e) => [e.type, e.from, e.to])).toEqual([
      ['customer.verified', 'pending', 'verified'],
      ['customer.activated', 'verified', 'active'],
    ]);
  });

  it('accepts the body as bytes or string and headers as a Headers object', async () => {
    const customer = await newCustomer();
    await kyc.submit(customer.id, sampleApplication());
    later(1000);
    const delivery = server.decide(customer.providerCustomerId, 'verified');
    const result = await kyc.handleWebhook('tiny', {
      headers: new Headers(delivery.headers),
      body: new TextEncoder().encode(delivery.body),
    });
    expect(result.events.map((e) => e.type)).toEqual(['customer.verified']);
  });

  it('rejects a bad signature, a stale timestamp and a tampered body, changing nothing', async () => {
    const customer = await newCustomer();
    await kyc.submit(customer.id, sampleApplication());
    const payload = { id: 'evt_1', customerId: customer.providerCustomerId, status: 'verified' as const, occurredAt: now.toISOString() };
    const wrongSecret = server.delivery(payload, { secret: 'not-the-secret' });
    const stale = server.delivery(payload, { timestamp: Math.floor(now.getTime() / 1000) - 301 });
    const good = server.delivery(payload);
    const tampered = { headers: good.headers, body: good.body.replace('verified', 'rejected') };
    for (const delivery of [wrongSecret, stale, tampered]) {
      await expect(kyc.handleWebhook('tiny', delivery)).rejects.toSatisfy(WebhookVerificationError.isInstance);
    }
    expect((await kyc.getCustomer(customer.id)).status).toBe('pending');
    // The refused deliveries did not burn the event id: the genuine one still applies.
    expect((await kyc.handleWebhook('tiny', good)).events).toHaveLength(1);
  });

  it('rejects deliveries for unknown providers or providers without webhooks', async () => {
    await expect(kyc.handleWebhook('nope', { headers: {}, body: '{}' })).rejects.toMatchObject({ reason: 'unknown_provider' });
    const quiet = createKyc({ providers: [tinyProvider(server, { capabilities: { webhooks: false } })] });
    await expect(quiet.handleWebhook('tiny', { headers: {}, body: '{}' })).rejects.toMatchObject({ reason: 'not_supported' });
    await quiet.close();
  });

  it('answers a malformed (but signed) body with WebhookVerificationError malformed_body', async () => {
    const signed = server.delivery('{"id": "evt_1", "customerId": ');
    await expect(kyc.handleWebhook('tiny', signed)).rejects.toMatchObject({ reason: 'malformed_body' });
  });

  it('says a delivery changed nothing when the customer already had that status', async () => {
    const customer = await newCustomer();
    await kyc.submit(customer.id, sampleApplication());
    const record = server.records.get(customer.providerCustomerId)!;
    const echo = server.delivery({ id: 'evt_echo', customerId: record.id, status: 'pending', occurredAt: now.toISOString() });
    expect(await kyc.handleWebhook('tiny', echo)).toEqual({ events: [], duplicate: false, ignored: 'unchanged' });
  });

  it('ignores stale reports and records why', async () => {
    const customer = await newCustomer();
    await kyc.submit(customer.id, sampleApplication());
    const older = new Date(now.getTime() - 1000).toISOString();
    later(5000);
    await kyc.handleWebhook('tiny', server.decide(customer.providerCustomerId, 'verified'));
    const stale = server.delivery({ id: 'evt_old', customerId: customer.providerCustomerId, status: 'rejected', occurredAt: older });
    const result = await kyc.handleWebhook('tiny', stale);
    expect(result).toMatchObject({ events: [], ignored: 'stale' });
    const stored = await kyc.getCustomer(customer.id);
    expect(stored.status).toBe('verified');
    expect(stored.ignored.at(-1)).toMatchObject({ reason: 'stale', status: 'rejected', source: 'webhook' });
  });

  it('applies 50 concurrent deliveries of one webhook exactly once', async () => {
    const customer = await newCustomer();
    await kyc.submit(customer.id, sampleApplication());
    later(1000);
    const delivery = server.decide(customer.providerCustomerId, 'verified');
    const results = await Promise.all(Array.from({ length: 50 }, () => kyc.handleWebhook('tiny', delivery)));
    expect(results.filter((r) => r.events.length > 0)).toHaveLength(1);
    expect(results.filter((r) => r.duplicate)).toHaveLength(49);
    expect(events.filter((e) => e.type === 'customer.verified')).toHaveLength(1);
    expect(await kyc.listEvents(customer.id)).toHaveLength(3);
  });

  it('applies 16 concurrent reports for 16 customers: one transition each, nothing lost', async () => {
    const customers = await Promise.all(Array.from({ length: 16 }, (_, i) => newCustomer(`user-${i}`)));
    await Promise.all(customers.map((c) => kyc.submit(c.id, sampleApplication())));
    later(1000);
    const deliveries = customers.map((c) => server.decide(c.providerCustomerId, 'verified'));
    const results = await Promise.all(deliveries.map((d) => kyc.handleWebhook('tiny', d)));
    expect(results.every((r) => r.events.length === 1)).toBe(true);
    for (const c of customers) expect((await kyc.getCustomer(c.id)).status).toBe('verified');
  });

  it('applies 16 concurrent distinct reports for one customer: each committed once, a consistent chain, no duplicate event', async () => {
    const customer = await newCustomer();
    await kyc.submit(customer.id, sampleApplication());
    const base = now.getTime();
    // A plausible provider history: needs_info / resubmitted cycles, then verified, active.
    const statuses = [
      'needs_info', 'pending', 'needs_info', 'pending', 'needs_info', 'pending', 'needs_info', 'pending',
      'needs_info', 'pending', 'needs_info', 'pending', 'needs_info', 'pending', 'verified', 'active',
    ] as const;
    const deliveries = statuses.map((status, i) =>
      server.delivery({ id: `evt_${i}`, customerId: customer.providerCustomerId, status, occurredAt: new Date(base + (i + 1) * 1000).toISOString() }),
    );
    later(20_000);
    await Promise.all(deliveries.map((d) => kyc.handleWebhook('tiny', d)));
    for (let i = 0; i < statuses.length; i++) expect(await kyc.store.hasProcessed('tiny', `evt_${i}`)).toBe(true);
    const history = await kyc.listEvents(customer.id);
    expect(new Set(history.map((e) => e.id)).size).toBe(history.length);
    for (let i = 1; i < history.length; i++) expect(history[i]!.from).toBe(history[i - 1]!.to);
    expect(history.at(-1)!.to).toBe('active');
    // Redelivering all of them changes nothing.
    const again = await Promise.all(deliveries.map((d) => kyc.handleWebhook('tiny', d)));
    expect(again.every((r) => r.duplicate && r.events.length === 0)).toBe(true);
    expect(await kyc.listEvents(customer.id)).toHaveLength(history.length);
  });

  it('keeps handling webhooks when an event handler throws', async () => {
    kyc.on('customer.verified', () => {
      throw new Error('handler bug');
    });
    kyc.on('customer.verified', async () => {
      throw new Error('async handler bug');
    });
    const customer = await newCustomer();
    await kyc.submit(customer.id, sampleApplication());
    later(1000);
    const result = await kyc.handleWebhook('tiny', server.decide(customer.providerCustomerId, 'verified'));
    expect(result.events).toHaveLength(1);
  });
});

describe('events', () => {
  it('on() delivers only its type and returns an unsubscribe function', async () => {
    const created: string[] = [];
    const off = kyc.on('customer.created', (event) => {
      created.push(event.reference);
    });
    await newCustomer('a');
    off();
    await newCustomer('b');
    expect(created).toEqual(['a']);
  });

  it('runs on() and subscribe() handlers in registration order', async () => {
    const order: string[] = [];
    kyc.subscribe(() => {
      order.push('all-1');
    });
    kyc.on('customer.created', () => {
      order.push('created');
    });
    kyc.subscribe(() => {
      order.push('all-2');
    });
    await newCustomer('ordered');
    expect(order).toEqual(['all-1', 'created', 'all-2']);
  });

  it('gives every event a stable, unique id', async () => {
    const customer = await newCustomer();
    await kyc.submit(customer.id, sampleApplication());
    later(1000);
    await kyc.handleWebhook('tiny', server.decide(customer.providerCustomerId, 'active'));
    const stored = await kyc.listEvents(customer.id);
    expect(stored.map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(new Set(stored.map((e) => e.id)).size).toBe(4);
  });
});

describe('refresh and reconcile', () => {
  it('refresh recovers a lost webhook', async () => {
    const customer = await newCustomer();
    await kyc.submit(customer.id, sampleApplication());
    later(1000);
    server.decide(customer.providerCustomerId, 'verified'); // the delivery is lost
    const refreshed = await kyc.refresh(customer.id);
    expect(refreshed.status).toBe('verified');
    expect(events.at(-1)).toMatchObject({ type: 'customer.verified', source: 'poll' });
  });

  it('reconcile refreshes due customers only, with a summary', async () => {
    const a = await newCustomer('a');
    const b = await newCustomer('b');
    await kyc.submit(a.id, sampleApplication());
    await kyc.submit(b.id, sampleApplication());
    later(1000);
    server.decide(a.providerCustomerId, 'verified');
    const early = await kyc.reconcile();
    expect(early.checked).toBe(0);
    later(6 * 60_000);
    const result = await kyc.reconcile();
    expect(result).toMatchObject({ checked: 2, changed: 1, overdue: 0, failed: [] });
    expect((await kyc.getCustomer(a.id)).status).toBe('verified');
  });

  it('reconcile keeps at most `concurrency` refreshes in flight', async () => {
    const base = tinyProvider(server);
    let inFlight = 0;
    let peak = 0;
    const slow = {
      ...base,
      async fetch(...args: Parameters<typeof base.fetch>) {
        inFlight++;
        peak = Math.max(peak, inFlight);
        try {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return await base.fetch(...args);
        } finally {
          inFlight--;
        }
      },
    };
    const limited = createKyc({ providers: [slow], now: () => now });
    for (let i = 0; i < 6; i++) {
      await limited.createCustomer({ reference: `c-${i}`, type: 'individual', email: 'c@example.com', firstName: 'C', lastName: 'D' });
    }
    const result = await limited.reconcile({ all: true, concurrency: 2 });
    expect(result.checked).toBe(6);
    expect(peak).toBe(2);
    await limited.close();
  });

  it('reconcile refreshes each claimed customer from its claimed row: no second read per customer', async () => {
    const store = memoryStore();
    let reads = 0;
    const counting: typeof store = {
      ...store,
      async get(customerId) {
        reads++;
        return store.get(customerId);
      },
    };
    const streamed = createKyc({ providers: [tinyProvider(server)], store: counting, now: () => now });
    for (let i = 0; i < 12; i++) {
      await streamed.createCustomer({ reference: `s-${i}`, type: 'individual', email: 's@example.com', firstName: 'S', lastName: 'T' });
    }
    reads = 0;
    const result = await streamed.reconcile({ all: true, concurrency: 3 });
    expect(result).toMatchObject({ checked: 12, failed: [] });
    expect(reads).toBe(0);
    await streamed.close();
  });

  it('reconcile reports failures per customer and carries on', async () => {
    const a = await newCustomer('a');
    const b = await newCustomer('b');
    await kyc.submit(a.id, sampleApplication());
    await kyc.submit(b.id, sampleApplication());
    server.failNext(new RegExp(a.providerCustomerId), 500, 10);
    const result = await kyc.reconcile({ all: true });
    expect(result.checked).toBe(1);
    expect(result.failed).toEqual([expect.objectContaining({ customerId: a.id, code: 'provider_error' })]);
  });

  it('emits customer.review_overdue once past the escalation time', async () => {
    const customer = await newCustomer();
    await kyc.submit(customer.id, sampleApplication());
    const first = await kyc.reconcile({ now: new Date(now.getTime() + 60 * 60_000) });
    expect(first.overdue).toBe(0);
    const second = await kyc.reconcile({ now: new Date(now.getTime() + 2 * 60 * 60_000 + 1) });
    const third = await kyc.reconcile({ now: new Date(now.getTime() + 5 * 60 * 60_000) });
    expect([second.overdue, third.overdue]).toEqual([1, 0]);
    const overdue = events.filter((e) => e.type === 'customer.review_overdue');
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({ from: 'pending', to: 'pending', escalateAfterMs: 2 * 60 * 60_000, source: 'poll', level: 1 });
    expect((await kyc.getCustomer(customer.id)).status).toBe('pending');
  });

  it('escalates at every documented level exactly once per review, across restarts and a new review', async () => {
    const store = memoryStore();
    const escalations = [
      { level: 1, afterMs: 5 * HOUR, action: 'contact_operations' },
      { level: 2, afterMs: 24 * HOUR, action: 'contact_support' },
    ];
    const start = () => {
      const instance = createKyc({
        providers: [tinyProvider(server, { capabilities: { reviewTime: { synchronous: false, typicalMs: HOUR, escalateAfterMs: 5 * HOUR, escalations } } })],
        store,
        now: () => now,
      });
      instance.subscribe((event) => {
        events.push(event);
      });
      return instance;
    };
    const first = start();
    const customer = await first.createCustomer({ reference: 'esc-1', type: 'individual', email: 'e@x.co', firstName: 'E', lastName: 'X' });
    await first.submit(customer.id, sampleApplication());
    const t0 = now.getTime();
    const overdueLevels = () => events.filter((e) => e.type === 'customer.review_overdue').map((e) => (e as { level: number }).level);

    expect((await first.reconcile({ now: new Date(t0 + 5 * HOUR - 1), all: true })).overdue).toBe(0);
    expect((await first.reconcile({ now: new Date(t0 + 5 * HOUR), all: true })).overdue).toBe(1);
    await first.close();

    // A restart (a new client over the same store) does not repeat level 1 and still fires level 2 once.
    const second = start();
    expect((await second.reconcile({ now: new Date(t0 + 6 * HOUR), all: true })).overdue).toBe(0);
    expect((await second.reconcile({ now: new Date(t0 + 24 * HOUR + 1), all: true })).overdue).toBe(1);
    expect((await second.reconcile({ now: new Date(t0 + 48 * HOUR), all: true })).overdue).toBe(0);
    expect(overdueLevels()).toEqual([1, 2]);
    expect(events.filter((e) => e.type === 'customer.review_overdue')).toEqual([
      expect.objectContaining({ level: 1, action: 'contact_operations', escalateAfterMs: 5 * HOUR }),
      expect.objectContaining({ level: 2, action: 'contact_support', escalateAfterMs: 24 * HOUR }),
    ]);
    await second.close();
  });

  it('a reconcile run after both levels passed emits both, in order, in one commit', async () => {
    const escalations = [
      { level: 2, afterMs: 24 * HOUR, action: 'contact_support' },
      { level: 1, afterMs: 5 * HOUR, action: 'contact_operations' },
    ];
    const late = createKyc({
      providers: [tinyProvider(server, { capabilities: { reviewTime: { synchronous: false, typicalMs: HOUR, escalateAfterMs: 5 * HOUR, escalations } } })],
      now: () => now,
    });
    const seen: KycEvent[] = [];
    late.subscribe((event) => {
      seen.push(event);
    });
    const customer = await late.createCustomer({ reference: 'esc-2', type: 'individual', email: 'e@x.co', firstName: 'E', lastName: 'X' });
    await late.submit(customer.id, sampleApplication());
    const result = await late.reconcile({ now: new Date(now.getTime() + 30 * HOUR), all: true });
    expect(result.overdue).toBe(2);
    const overdue = seen.filter((e) => e.type === 'customer.review_overdue');
    expect(overdue.map((e) => (e as { level: number }).level)).toEqual([1, 2]);
    expect(new Set(overdue.map((e) => e.id)).size).toBe(2);
    await late.close();
  });
});

describe('validate', () => {
  it('returns every issue for a provider without any request', () => {
    const result = kyc.validate({ ...sampleApplication(), documents: [] }, 'tiny');
    expect(result.valid).toBe(false);
    expect(result.issues.map((i) => i.path.join('.'))).toContain('documents');
    expect(kyc.validate(sampleApplication(), 'tiny')).toEqual({ valid: true, issues: [] });
    expect(server.requests).toHaveLength(0);
  });
});

describe('store contention', () => {
  it('gives up with a retryable store_conflict error after too many lost races, changing nothing', async () => {
    const inner = memoryStore();
    let refuse = false;
    const store = { ...inner, commit: (change: Parameters<typeof inner.commit>[0]) => (refuse ? Promise.resolve({ ok: false as const, reason: 'version_conflict' as const }) : inner.commit(change)) };
    const contended = createKyc({ providers: [tinyProvider(server)], store, now: () => now });
    const customer = await contended.createCustomer({ reference: 'race', type: 'individual', email: 'r@example.com', firstName: 'R', lastName: 'C' });
    refuse = true;
    await expect(contended.submit(customer.id, sampleApplication())).rejects.toMatchObject({ code: 'store_conflict', isRetryable: true });
    expect((await contended.getCustomer(customer.id)).status).toBe('created');
    await contended.close();
  });
});

describe('configuration', () => {
  it('refuses an unknown defaultProvider and duplicate ids', () => {
    expect(() => createKyc({ providers: [tinyProvider(server)], defaultProvider: 'nope' })).toThrow(ConfigurationError);
    expect(() => createKyc({ providers: [tinyProvider(server), tinyProvider(server)] })).toThrow(/unique/);
  });

  it('fromConfig picks adapters by id and names the bad key', () => {
    const factories = {
      tiny: (options: { url?: unknown }) => {
        if (typeof options.url !== 'string') {
          throw new ConfigurationError('bad', [{ path: ['url'], code: 'invalid_type', message: 'must be string' }]);
        }
        return tinyProvider({ url: options.url });
      },
    };
    const options = fromConfig(JSON.stringify({ defaultProvider: 'tiny', providers: { tiny: { url: server.url } } }), factories);
    expect(options.providers.map((p) => p.id)).toEqual(['tiny']);
    expect(() => fromConfig({ providers: { tiny: { url: 42 } } }, factories)).toThrow(/providers\.tiny\.url: must be string/);
    expect(() => fromConfig({ providers: { technest: {} } }, factories)).toThrow(/providers\.technest/);
    expect(() => fromConfig({ defaultProvider: 'x', providers: { tiny: { url: server.url } } }, factories)).toThrow(/defaultProvider/);
    expect(() => fromConfig('{not json', factories)).toThrow(ConfigurationError);
  });
});
