import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropSchema, freshSchema } from './support/schemas.js';
import { createCustomers, deliverHere, expectConsistentHistory, startFleet, startWorker, statusBody, type Fleet } from './support/technest-fleet.js';

/**
 * Three Node processes, each with its own createKyc and pool on one PostgreSQL
 * database and the same Technest adapter config against one simulator, handle
 * deliveries concurrently: every delivery has its effect exactly once,
 * whichever process receives it.
 */
const url = inject('postgresUrl');
const PROCESSES = 3;
let fleet: Fleet;
let dir: string;

beforeAll(async () => {
  fleet = await startFleet(url, freshSchema('multiprocess'));
  dir = mkdtempSync(join(tmpdir(), 'openkyc-mp-'));
});
afterAll(async () => {
  await fleet.close();
  await dropSchema(url, fleet.schema);
  rmSync(dir, { recursive: true, force: true });
});

describe('several processes on one database', () => {
  it('1000 copies of one delivery split across three processes: one event, one state change', async () => {
    const [customer] = await createCustomers(fleet, 1, 'dup');
    const base = Date.now() - 60_000;
    await deliverHere(fleet, [statusBody(customer!, 'pending', new Date(base), 'created')]);
    const before = (await fleet.store.get(customer!.id))!;
    expect(before.status).toBe('pending');

    const body = statusBody(customer!, 'verified', new Date(base + 10_000));
    const copies = Array.from({ length: 1000 }, () => body);
    const workers = Array.from({ length: PROCESSES }, (_, p) => startWorker(fleet, join(dir, `dup-${p}.jsonl`), copies.filter((_, i) => i % PROCESSES === p), 16));
    for (const worker of workers) worker.go();
    await Promise.all(workers.map((worker) => worker.exited));

    const summaries = workers.map((worker) => worker.summary()!);
    expect(summaries.flatMap((summary) => summary.failures)).toEqual([]);
    expect(summaries.reduce((sum, summary) => sum + summary.events, 0)).toBe(1);
    expect(summaries.reduce((sum, summary) => sum + summary.duplicates, 0)).toBe(999);
    const after = (await fleet.store.get(customer!.id))!;
    expect(after).toMatchObject({ status: 'verified', version: before.version + 1 });
    const events = await fleet.store.listEvents(customer!.id);
    expect(events.filter((event) => event.type === 'customer.verified')).toHaveLength(1);
    expectConsistentHistory(after, events);
  });

  it('200 customers with interleaved reports across three processes: each ends in its latest report, every transition once', async () => {
    const customers = await createCustomers(fleet, 200, 'mix');
    const base = Date.now() - 120_000;
    await deliverHere(fleet, customers.map((customer) => statusBody(customer, 'pending', new Date(base), 'created')));

    // Each customer gets two later reports, the later one being the truth (reachable whichever arrives
    // first: the earlier one is stale after it); every body is sent twice.
    const plans = customers.map((customer, i) => {
      const [first, last] = i % 2 === 0 ? (['verified', 'rejected'] as const) : (['rejected', 'pending'] as const);
      return { customer, last, bodies: [statusBody(customer, first, new Date(base + 10_000 + i)), statusBody(customer, last, new Date(base + 20_000 + i))] };
    });
    const all = plans.flatMap((plan) => [...plan.bodies, ...plan.bodies]);
    shuffle(all);
    const workers = Array.from({ length: PROCESSES }, (_, p) => startWorker(fleet, join(dir, `mix-${p}.jsonl`), all.filter((_, i) => i % PROCESSES === p), 16));
    for (const worker of workers) worker.go();
    await Promise.all(workers.map((worker) => worker.exited));
    expect(workers.flatMap((worker) => worker.summary()!.failures)).toEqual([]);

    let transitions = 0;
    for (const plan of plans) {
      const stored = (await fleet.store.get(plan.customer.id))!;
      expect(stored.status, plan.customer.reference).toBe(plan.last);
      const events = await fleet.store.listEvents(plan.customer.id);
      expectConsistentHistory(stored, events);
      transitions += events.length;
    }
    const reported = workers.reduce((sum, worker) => sum + worker.summary()!.events, 0);
    // Every event the processes reported is stored, and every stored webhook event was reported once.
    expect(reported).toBe(transitions - 200 * 2); // created + pending came from the setup in this process
  });
});

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
