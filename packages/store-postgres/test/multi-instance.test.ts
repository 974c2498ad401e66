import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { technest as technestAdapter } from '@openkyc/adapter-technest';
import { createKyc, memoryStore, silentLogger, type Customer } from '@openkyc/core';
import { postgresStore } from '../src/index.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { dropSchema, freshSchema } from './support/schemas.js';
import { createCustomers, deliverHere, expectConsistentHistory, startFleet, startFleetWorker, startWorker, statusBody, type Fleet } from './support/technest-fleet.js';

/**
 * Multi-instance operation on one PostgreSQL database, each instance a Node process with its own createKyc
 * and pool: webhooks that reach one instance before another has committed their customer are parked and
 * applied exactly once; two instances reconciling at once poll each due customer once (counted at the
 * Technest simulator).
 */
const url = inject('postgresUrl');
const HOUR = 60 * 60_000;
let fleet: Fleet;
let dir: string;

// A fleet (simulator, schema) per test: the second one counts every poll its simulator gets.
beforeEach(async () => {
  fleet = await startFleet(url, freshSchema('multiinstance'));
});
afterEach(async () => {
  await fleet.close();
  await dropSchema(url, fleet.schema);
});
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'openkyc-mi-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('several instances on one database', () => {
  it('100 webhooks delivered to one instance while another creates their customers: every one applies, once', { timeout: 180_000 }, async () => {
    const technest = fleet.kyc.providers.get('technest')!;
    const inputs = Array.from({ length: 100 }, (_, i) => ({ reference: `early-${i}`, email: `early${i}@example.com` }));
    // Technest made the records (and reports on them) before openkyc stored the customers; createCustomer adopts them.
    const records: { providerCustomerId: string; providerReference: string }[] = [];
    for (let i = 0; i < inputs.length; i += 20) {
      const batch = inputs.slice(i, i + 20).map(async (input) => {
        const report = await technest.createCustomer(
          { customerId: `cus_pre_${input.reference}`, reference: input.reference, providerReference: input.reference, type: 'individual', email: input.email, firstName: 'Jane', lastName: 'Smith' },
          { logger: silentLogger, now: () => new Date(), idempotencyKey: `pre:${input.reference}` },
        );
        return { providerCustomerId: report.providerCustomerId, providerReference: report.providerReference ?? input.reference };
      });
      records.push(...(await Promise.all(batch)));
    }
    const at = new Date(Date.now() - 30_000);
    const bodies = records.map((record) => statusBody(record as Customer, 'pending', at, 'created'));
    const input = join(dir, 'early-customers.jsonl');
    writeFileSync(input, inputs.map((line) => JSON.stringify(line)).join('\n'));

    const creator = startFleetWorker(fleet, { mode: 'create', input }, 8);
    const receiver = startWorker(fleet, join(dir, 'early-webhooks.jsonl'), bodies, 8);
    creator.go();
    receiver.go();
    await Promise.all([creator.exited, receiver.exited]);
    expect(creator.summary()).toEqual({ created: 100, failures: [] });
    expect(receiver.summary()!.failures).toEqual([]);

    for (const [i, record] of records.entries()) {
      const customer = (await fleet.store.findByReference(inputs[i]!.reference))!;
      expect(customer, inputs[i]!.reference).toMatchObject({ providerCustomerId: record.providerCustomerId, status: 'pending' });
      const events = await fleet.store.listEvents(customer.id);
      expect(events.map((event) => [event.type, event.source])).toEqual([
        ['customer.created', 'api'],
        ['customer.submitted', 'webhook'],
      ]);
      expectConsistentHistory(customer, events);
    }
    expect(await fleet.store.listAllParked()).toEqual([]);
  });

  it('two instances reconciling 1000 due customers at once poll each one once', { timeout: 300_000 }, async () => {
    const customers = await createCustomers(fleet, 1000, 'due');
    fleet.simulator.clearRequests();
    // A day later every `created` customer is due (polled daily).
    const now = new Date(Date.now() + 25 * HOUR);
    const workers = [0, 1].map(() => startFleetWorker(fleet, { mode: 'reconcile', now }, 8));
    for (const worker of workers) worker.go();
    await Promise.all(workers.map((worker) => worker.exited));

    const summaries = workers.map((worker) => worker.summary() as { checked: number; failed: string[] });
    expect(summaries.flatMap((summary) => summary.failed)).toEqual([]);
    expect(summaries.reduce((sum, summary) => sum + summary.checked, 0)).toBe(1000);
    for (const summary of summaries) expect(summary.checked).toBeGreaterThan(0);
    const polled = fleet.simulator.requests().filter((request) => request.method === 'GET' && /^\/v1\/customers\/[^/]+$/.test(request.path));
    expect(polled).toHaveLength(1000);
    expect(new Set(polled.map((request) => request.path))).toEqual(new Set(customers.map((customer) => `/v1/customers/${customer.providerCustomerId}`)));
    for (const customer of customers.slice(0, 50)) expect((await fleet.store.get(customer.id))!.lastCheckedAt).toBe(now.toISOString());
  });

  it('two instances applying the same parked deliveries at once: each takes effect once', { timeout: 120_000 }, async () => {
    const env = fleet.env;
    const adapter = () => technestAdapter({ baseUrl: env.SIM_URL!, clientId: env.CLIENT_ID!, clientSecret: env.CLIENT_SECRET!, webhookSecret: env.WEBHOOK_SECRET! });
    // Customers in `created` are not polled here: the rounds' only work is the inbox.
    const instance = () => {
      const store = postgresStore({ connectionString: url, schema: fleet.schema, maxConnections: 4 });
      return { store, kyc: createKyc({ providers: [adapter()], store, reconcile: { created: undefined } }) };
    };
    const [a, b] = [instance(), instance()];
    // The customers as createCustomer makes them, committed here by a writer that does not apply the inbox
    // (as after a crash right after the commit).
    const offline = createKyc({ providers: [adapter()], store: memoryStore() });
    try {
      const made: Customer[] = [];
      for (let i = 0; i < 30; i++) made.push(await offline.createCustomer({ reference: `drain-${i}`, type: 'individual', email: `drain${i}@example.com`, firstName: 'Jane', lastName: 'Smith' }));
      const base = Date.now() - 60_000;
      const bodies = made.flatMap((customer) => [statusBody(customer, 'pending', new Date(base), 'created'), statusBody(customer, 'verified', new Date(base + 10_000))]);
      await deliverHere(fleet, bodies);
      expect(await fleet.store.listAllParked()).toHaveLength(60);
      for (const customer of made) {
        expect(await fleet.store.commit({ customer, expectedVersion: 0, events: await offline.listEvents(customer.id) })).toEqual({ ok: true });
      }

      const [first, second] = await Promise.all([a.kyc.reconcile(), b.kyc.reconcile()]);
      expect(first.parked.applied + second.parked.applied).toBeGreaterThanOrEqual(60);
      for (const customer of made) {
        const stored = (await fleet.store.get(customer.id))!;
        expect(stored.status).toBe('verified');
        const events = await fleet.store.listEvents(customer.id);
        expect(events.map((event) => event.type)).toEqual(['customer.created', 'customer.submitted', 'customer.verified']);
        expectConsistentHistory(stored, events);
      }
      expect(await fleet.store.listAllParked()).toEqual([]);
    } finally {
      await offline.close();
      for (const { kyc, store } of [a, b]) {
        await kyc.close();
        await store.close();
      }
    }
  });
});
