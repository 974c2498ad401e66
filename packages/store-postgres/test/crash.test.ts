import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropSchema, freshSchema } from './support/schemas.js';
import { createCustomers, deliverHere, expectConsistentHistory, startFleet, startWorker, statusBody, type Fleet } from './support/technest-fleet.js';

/**
 * A process ingesting deliveries is SIGKILLed at random moments, 50 times, each
 * time after being handed every delivery again (as providers re-deliver what
 * was not acknowledged). Afterwards no transition is lost or duplicated and
 * every history is consistent with its customer's state: a commit is all or
 * nothing, whenever the process dies.
 */
const url = inject('postgresUrl');
const KILLS = 50;
const CUSTOMERS = 60;
let fleet: Fleet;
let dir: string;

beforeAll(async () => {
  fleet = await startFleet(url, freshSchema('crash'));
  dir = mkdtempSync(join(tmpdir(), 'openkyc-crash-'));
});
afterAll(async () => {
  await fleet.close();
  await dropSchema(url, fleet.schema);
  rmSync(dir, { recursive: true, force: true });
});

describe('a process killed while ingesting', () => {
  it(`loses and duplicates nothing over ${KILLS} SIGKILLs and a final re-delivery`, { timeout: 600_000 }, async () => {
    const customers = await createCustomers(fleet, CUSTOMERS, 'crash');
    const base = Date.now() - 120_000;
    await deliverHere(fleet, customers.map((customer) => statusBody(customer, 'pending', new Date(base), 'created')));
    const plans = customers.map((customer, i) => {
      const [first, last] = i % 2 === 0 ? (['verified', 'rejected'] as const) : (['rejected', 'pending'] as const);
      return { customer, last, bodies: [statusBody(customer, first, new Date(base + 10_000 + i)), statusBody(customer, last, new Date(base + 20_000 + i))] };
    });
    const bodies = plans.flatMap((plan) => plan.bodies);

    let killedMidway = 0;
    for (let run = 0; run < KILLS; run++) {
      const order = [...bodies].sort(() => Math.random() - 0.5);
      const worker = startWorker(fleet, join(dir, `run-${run}.jsonl`), order, 8);
      worker.go();
      // Kill after a random number of acknowledged deliveries (0 = as soon as it starts), at most a few ms
      // later. Within the first two thirds: once most keys are processed, a run of re-deliveries (duplicates,
      // one indexed probe each) finishes within a few ms, and a kill meant to land mid-run would come too late.
      const after = Math.floor(Math.random() * ((bodies.length * 2) / 3));
      await Promise.race([waitForOks(worker.output, after), worker.exited]);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
      worker.child.kill('SIGKILL');
      const { signal } = await worker.exited;
      if (signal === 'SIGKILL' && worker.summary() === undefined) killedMidway++;
    }
    // Most runs died with work in flight (a run can still finish first: re-deliveries are fast).
    console.info(`crash test: ${killedMidway} of ${KILLS} runs killed with work in flight`);
    expect(killedMidway).toBeGreaterThan(KILLS / 2);

    const final = startWorker(fleet, join(dir, 'final.jsonl'), bodies, 8);
    final.go();
    expect((await final.exited).code).toBe(0);
    expect(final.summary()!.failures).toEqual([]);

    for (const plan of plans) {
      const stored = (await fleet.store.get(plan.customer.id))!;
      expect(stored.status, plan.customer.reference).toBe(plan.last);
      const events = await fleet.store.listEvents(plan.customer.id);
      expectConsistentHistory(stored, events);
      expect(events.filter((event) => event.source === 'webhook').length).toBeLessThanOrEqual(3);
    }
    for (const body of bodies) {
      const id = (JSON.parse(body) as { id: string }).id;
      expect(await fleet.store.hasProcessed('technest', id)).toBe(true);
    }
  });
});

async function waitForOks(output: readonly string[], count: number): Promise<void> {
  while (output.filter((line) => line.startsWith('ok ')).length < count) await new Promise((resolve) => setTimeout(resolve, 2));
}
