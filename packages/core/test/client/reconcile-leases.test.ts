import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKyc } from '../../src/client/create-kyc.js';
import type { Kyc, KycOptions } from '../../src/client/kyc.js';
import type { ReconcileResult } from '../../src/client/use-cases/reconcile.js';
import { ConfigurationError } from '../../src/errors.js';
import type { KycLogger } from '../../src/logging/logger.js';
import type { CustomerStore } from '../../src/store/customer-store.js';
import { memoryStore } from '../../src/store/memory-store.js';
import { sampleApplication } from '../support/application-fixture.js';
import { startTinyServer, tinyProvider, type TinyServer } from '../support/tiny-provider.js';

/**
 * Reconcile across instances: a due time per customer written with every commit, customers handed out in
 * leased batches, and `startReconciler` running rounds on a schedule with a clean stop.
 */
let server: TinyServer;
let now: Date;
let store: CustomerStore;
const clients: Kyc[] = [];
const MINUTE = 60_000;

beforeEach(async () => {
  now = new Date('2026-11-22T10:00:00.000Z');
  server = await startTinyServer(() => now);
  store = memoryStore();
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await server.close();
});

function client(options: Partial<KycOptions> = {}): Kyc {
  const kyc = createKyc({ providers: [tinyProvider(server)], store, now: () => now, ...options });
  clients.push(kyc);
  return kyc;
}

async function pendingCustomers(kyc: Kyc, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const customer = await kyc.createCustomer({ reference: `due-${i}`, type: 'individual', email: 'a@b.co', firstName: 'A', lastName: 'B' });
    await kyc.submit(customer.id, sampleApplication());
    ids.push(customer.id);
  }
  return ids;
}

const fetchesOf = (server: TinyServer) => server.requests.filter((request) => request.method === 'GET');

describe('reconcile with due times and leases', () => {
  it('polls only customers whose stored due time has come', async () => {
    const kyc = client();
    await pendingCustomers(kyc, 3);
    server.requests.length = 0;
    expect((await kyc.reconcile({ now: new Date(now.getTime() + 5 * MINUTE - 1) })).checked).toBe(0);
    expect((await kyc.reconcile({ now: new Date(now.getTime() + 5 * MINUTE) })).checked).toBe(3);
    // Polled at +5 min: due again 5 min after that, not before.
    expect((await kyc.reconcile({ now: new Date(now.getTime() + 9 * MINUTE) })).checked).toBe(0);
    expect(fetchesOf(server)).toHaveLength(3);
  });

  it('two instances reconciling at once poll each due customer once', async () => {
    const setup = client();
    const ids = await pendingCustomers(setup, 60);
    server.requests.length = 0;
    const at = new Date(now.getTime() + 10 * MINUTE);
    const [a, b] = await Promise.all([client().reconcile({ now: at, concurrency: 3 }), client().reconcile({ now: at, concurrency: 3 })]);
    expect(a.checked + b.checked).toBe(60);
    expect(a.checked).toBeGreaterThan(0);
    expect(b.checked).toBeGreaterThan(0);
    const fetched = fetchesOf(server).map((request) => request.path);
    expect(fetched).toHaveLength(60);
    expect(new Set(fetched).size).toBe(60);
    for (const id of ids) expect((await store.get(id))!.lastCheckedAt).toBe(at.toISOString());
  });

  it('leaves a customer another instance holds alone until its lease expires', async () => {
    const kyc = client();
    const [id] = await pendingCustomers(kyc, 1);
    const at = new Date(now.getTime() + 10 * MINUTE);
    // Another instance claimed it and died before polling.
    expect((await store.claimDue({ statuses: ['pending'], dueAt: at.toISOString(), limit: 10, leaseMs: 200 })).map((c) => c.id)).toEqual([id]);
    expect((await kyc.reconcile({ now: at })).checked).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await kyc.reconcile({ now: at })).checked).toBe(1);
  });

  it('retries a failed refresh on the next run (its lease is released, it stays due)', async () => {
    const kyc = client();
    await pendingCustomers(kyc, 1);
    const at = new Date(now.getTime() + 10 * MINUTE);
    server.failNext(/^\/customers\/[^/]+$/, 503);
    const failed = await kyc.reconcile({ now: at });
    expect(failed).toMatchObject({ checked: 0, failed: [{ code: expect.any(String) }] });
    expect((await kyc.reconcile({ now: at })).checked).toBe(1);
  });

  it('a store failing to claim ends the run, but releases the leases only after the refreshes in flight finished', async () => {
    const kyc = client();
    const ids = await pendingCustomers(kyc, 3);
    const at = new Date(now.getTime() + 10 * MINUTE);
    let claims = 0;
    let checkedAtRelease: (string | undefined)[] = [];
    const failingClaims: CustomerStore = {
      ...store,
      async claimDue(claim) {
        claims++;
        if (claims === 2) throw new Error('store unavailable');
        return store.claimDue(claim);
      },
      async releaseLeases(customerIds) {
        checkedAtRelease = await Promise.all(ids.map(async (id) => (await store.get(id))?.lastCheckedAt));
        return store.releaseLeases(customerIds);
      },
    };
    const other = createKyc({ providers: [tinyProvider(server)], store: failingClaims, now: () => now });
    clients.push(other);
    // Two workers, one page of three: the worker that empties the queue claims again (and fails) while
    // the other is still polling the last customer.
    await expect(other.reconcile({ now: at, concurrency: 2 })).rejects.toThrow('store unavailable');
    expect(checkedAtRelease).toEqual([at.toISOString(), at.toISOString(), at.toISOString()]);
    // Released: the next run finds them (due again only later, so `all`).
    expect((await kyc.reconcile({ now: at, all: true })).checked).toBe(3);
  });

  it('with `all`, polls every polled-status customer once per run, due or not', async () => {
    const kyc = client();
    await pendingCustomers(kyc, 5);
    server.requests.length = 0;
    expect((await kyc.reconcile({ all: true, concurrency: 1 })).checked).toBe(5);
    expect((await kyc.reconcile({ all: true, concurrency: 2 })).checked).toBe(5);
    expect(fetchesOf(server)).toHaveLength(10);
  });

  it('never polls statuses the schedule leaves out, and counts customers stored without a due time as due', async () => {
    const kyc = client({ reconcile: { pending: undefined } });
    const [id] = await pendingCustomers(kyc, 1);
    expect((await kyc.reconcile({ now: new Date(now.getTime() + 100 * MINUTE), all: true })).checked).toBe(0);
    // A writer that is not core stored it without a due time (e.g. rows from before due times existed).
    const customer = (await store.get(id!))!;
    await store.commit({ customer: { ...customer, status: 'needs_info', version: customer.version + 1 }, expectedVersion: customer.version });
    expect((await kyc.reconcile()).checked).toBe(1);
  });
});

describe('startReconciler', () => {
  it('runs rounds on a schedule and stop() waits for the round in flight', async () => {
    let inRound = false;
    let rounds = 0;
    const slow: CustomerStore = {
      ...store,
      async claimDue(claim) {
        inRound = true;
        await new Promise((resolve) => setTimeout(resolve, 40));
        const claimed = await store.claimDue(claim);
        inRound = false;
        return claimed;
      },
    };
    const reconciler = client({ store: slow }).startReconciler({ intervalMs: 5, onRound: () => void rounds++ });
    // Two rounds done and the third in its (slow) claim.
    while (!(rounds >= 2 && inRound)) await new Promise((resolve) => setTimeout(resolve, 2));
    const before = rounds;
    await reconciler.stop();
    expect(inRound).toBe(false);
    expect(rounds).toBe(before + 1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(rounds).toBe(before + 1);
  });

  it('logs a failing round and runs the next one', async () => {
    const errors: Record<string, unknown>[] = [];
    const logger: KycLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (obj) => void errors.push(obj) };
    let calls = 0;
    const flaky: CustomerStore = {
      ...store,
      async claimDue(claim) {
        calls++;
        if (calls === 1) throw new Error('connection reset');
        return store.claimDue(claim);
      },
    };
    const kyc = client({ store: flaky, logger });
    let resolveRound: (result: ReconcileResult) => void;
    const round = new Promise<ReconcileResult>((resolve) => (resolveRound = resolve));
    const reconciler = kyc.startReconciler({ intervalMs: 5, jitter: 0, onRound: (result) => resolveRound(result) });
    expect((await round).failed).toEqual([]);
    await reconciler.stop();
    expect(errors).toEqual([{ code: 'unknown' }]);
  });

  it('refuses an interval or jitter out of range before starting anything', () => {
    const kyc = client();
    for (const intervalMs of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, '100' as unknown as number]) {
      expect(() => kyc.startReconciler({ intervalMs })).toThrow(ConfigurationError);
    }
    for (const jitter of [-0.1, 1.5, Number.NaN]) {
      expect(() => kyc.startReconciler({ intervalMs: 1000, jitter })).toThrow(ConfigurationError);
    }
  });

  it('stop() before the first round starts none', async () => {
    let claims = 0;
    const counting: CustomerStore = {
      ...store,
      async claimDue(claim) {
        claims++;
        return store.claimDue(claim);
      },
    };
    const reconciler = client({ store: counting }).startReconciler({ intervalMs: 10_000, jitter: 1 });
    await reconciler.stop();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(claims).toBe(0);
  });
});
