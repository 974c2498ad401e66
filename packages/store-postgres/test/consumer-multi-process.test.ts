import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { dropSchema, freshSchema } from './support/schemas.js';
import { createCustomers, deliverHere, startFleet, statusBody, type Fleet } from './support/technest-fleet.js';

/**
 * Three Node processes run the durable consumer 'crm' on one PostgreSQL database while deliveries flow;
 * the leaseholder is killed with SIGKILL in the middle of a batch. Every committed event reaches a handler
 * at least once, each customer's events in order within every holder's run, the checkpoint never moves
 * backwards, another process takes over within the lease time, and only events whose handler failed end
 * as dead letters.
 */
const url = inject('postgresUrl');
const worker = fileURLToPath(new URL('./fixtures/consume-worker.ts', import.meta.url));
const LEASE_MS = 1_500;
let fleet: Fleet;
let dir: string;

beforeAll(async () => {
  fleet = await startFleet(url, freshSchema('consumers'));
  await fleet.store.migrate();
  dir = mkdtempSync(join(tmpdir(), 'openkyc-consumers-'));
});
afterAll(async () => {
  await fleet.close();
  await dropSchema(url, fleet.schema);
  rmSync(dir, { recursive: true, force: true });
});

describe('one durable consumer name in three processes', () => {
  it('delivers every committed event at least once across a SIGKILL of the holder, in order per customer', async () => {
    const customers = await createCustomers(fleet, 60, 'mp');
    const workers = [0, 1, 2].map((index) => startConsumer(join(dir, `consumer-${index}.jsonl`)));
    const monitor = await watchCheckpoint();
    try {
      await vi.waitFor(() => expect(workers.some((w) => w.lines().some((line) => line.claim !== undefined))).toBe(true), { timeout: 20_000 });

      // Deliveries flow: every customer goes pending, then verified, ten at a time.
      const base = Date.now() - 60_000;
      const flow = (async () => {
        for (const [step, status] of [['created', 'pending'], ['pending', 'verified']] as const) {
          for (let i = 0; i < customers.length; i += 10) {
            const bodies = customers.slice(i, i + 10).map((customer) => statusBody(customer, status, new Date(base + (status === 'pending' ? 1_000 : 2_000)), step));
            await Promise.all(bodies.map((body) => deliverHere(fleet, [body])));
            await new Promise((resolve) => setTimeout(resolve, 30));
          }
        }
      })();

      // Kill the holder while it is handling a batch (it recorded an event a moment ago; every event takes a
      // little work, so the batch's checkpoint is not saved yet).
      const holder = await vi.waitFor(
        () => {
          const current = holderOf(workers);
          const handled = current.lines().filter((line) => line.id !== undefined);
          expect(handled.length).toBeGreaterThan(30);
          expect(Date.now() - handled.at(-1)!.at).toBeLessThan(3);
          return current;
        },
        { timeout: 20_000, interval: 1 },
      );
      const killedFence = Math.max(...holder.lines().flatMap((line) => (line.claim === undefined ? [] : [line.claim])));
      const killedAt = Date.now();
      holder.child.kill('SIGKILL');
      expect(await holder.exited).toMatchObject({ signal: 'SIGKILL' });
      await flow;

      // Another process takes over within the lease time (plus its polling), with a higher fence.
      const survivors = workers.filter((w) => w !== holder);
      const takeover = await vi.waitFor(
        () => {
          const claims = survivors.flatMap((w) => w.lines().filter((line) => line.claim !== undefined && line.claim > killedFence));
          expect(claims.length).toBeGreaterThan(0);
          return claims[0]!;
        },
        { timeout: 20_000 },
      );
      expect(takeover.at - killedAt).toBeLessThan(LEASE_MS + 1_500);

      // Every committed event reaches a handler, or (its handler having failed) a dead letter.
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      const committed = (await admin.query<{ id: string }>(`SELECT id FROM "${fleet.schema}".events`)).rows.map((row) => row.id);
      const failing = (await admin.query<{ id: string }>(`SELECT id FROM "${fleet.schema}".events WHERE reference LIKE '%7' AND type <> 'customer.created'`)).rows.map((row) => row.id);
      await admin.end();
      expect(committed.length).toBe(60 * 3);
      expect(failing.length).toBe(12);
      await vi.waitFor(
        async () => {
          const handled = new Set(workers.flatMap((w) => w.lines().flatMap((line) => (line.id === undefined ? [] : [line.id]))));
          const dead = new Set((await fleet.kyc.listDeadLetters('crm')).map((letter) => letter.eventId));
          expect(committed.filter((id) => !handled.has(id) && !dead.has(id))).toEqual([]);
          expect([...dead].sort()).toEqual([...failing].sort());
        },
        { timeout: 30_000, interval: 200 },
      );
      const failed = new Set(workers.flatMap((w) => w.lines().flatMap((line) => (line.fail === undefined ? [] : [line.fail]))));
      for (const letter of await fleet.kyc.listDeadLetters('crm')) {
        expect(failed.has(letter.eventId)).toBe(true);
        expect(letter).toMatchObject({ errorCode: 'TypeError', attempts: 2 });
        expect(letter.errorMessage).not.toContain('downstream');
      }

      // Each holder's run hands a customer's events over in their order.
      const orderOf = new Map<string, number>();
      for (const customer of customers) (await fleet.store.listEvents(customer.id)).forEach((event, index) => orderOf.set(event.id, index));
      for (const w of workers) {
        const runs = new Map<number, Map<string, number>>();
        for (const line of w.lines()) {
          const id = line.id;
          if (id === undefined || line.customerId === undefined) continue;
          const last = runs.get(line.fence!) ?? new Map<string, number>();
          runs.set(line.fence!, last);
          const index = orderOf.get(id)!;
          expect(index, `${id} after ${last.get(line.customerId)}`).toBeGreaterThan(last.get(line.customerId) ?? -1);
          last.set(line.customerId, index);
        }
      }
      expect(monitor.backwards()).toEqual([]);
      expect(monitor.seen()).toBeGreaterThan(1);
    } finally {
      await monitor.stop();
      await Promise.all(workers.map((w) => w.stop()));
    }
  });
});

interface Line {
  readonly at: number;
  readonly claim?: number;
  readonly fence?: number;
  readonly id?: string;
  readonly fail?: string;
  readonly customerId?: string;
}

interface ConsumerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  lines(): Line[];
  stop(): Promise<void>;
}

function startConsumer(file: string): ConsumerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', worker], {
    env: { ...process.env, ...fleet.env, OUT: file, CONSUMER: 'crm', FAIL_SUFFIX: '7' },
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    exited,
    lines: () => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Line) : []),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.stdin!.write('stop\n');
      await exited;
    },
  };
}

/** The process whose claim has the highest fence: the current holder. */
function holderOf(workers: readonly ConsumerProcess[]): ConsumerProcess {
  let best: { worker: ConsumerProcess; fence: number } | undefined;
  for (const w of workers) {
    for (const line of w.lines()) if (line.claim !== undefined && (best === undefined || line.claim > best.fence)) best = { worker: w, fence: line.claim };
  }
  if (best === undefined) throw new Error('no claim yet');
  return best.worker;
}

/** Polls the consumer's checkpoint and records every move backwards. */
async function watchCheckpoint() {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const backwards: string[] = [];
  let last: [bigint, bigint] | undefined;
  let seen = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = await client.query<{ tx: string; position: string }>(`SELECT cursor_tx::text AS tx, cursor_position::text AS position FROM "${fleet.schema}".consumers WHERE name = 'crm'`);
      const row = rows.rows[0];
      if (row !== undefined) {
        const now: [bigint, bigint] = [BigInt(row.tx), BigInt(row.position)];
        if (last !== undefined && (now[0] < last[0] || (now[0] === last[0] && now[1] < last[1]))) backwards.push(`${last.join(':')} -> ${now.join(':')}`);
        if (last === undefined || now[0] !== last[0] || now[1] !== last[1]) seen++;
        last = now;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    backwards: () => backwards,
    seen: () => seen,
    async stop() {
      running = false;
      await loop;
      await client.end();
    },
  };
}
