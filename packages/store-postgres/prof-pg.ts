import pg from 'pg';
import { postgresStore } from './src/index.js';
import { startPostgres } from './test/support/postgres-server.js';
const server = await startPostgres();
const pool = new pg.Pool({ connectionString: server.url, max: 2 });
pool.on('error', () => undefined);
const store = postgresStore({ pool, schema: 'p' });
await store.migrate();
const at = '2026-11-22T10:00:00.000Z';
const mk = (i: number) => ({ id: `cus_${i}`, reference: `ref-${i}`, type: 'individual', email: 'a@b.c', firstName: 'J', lastName: 'S', provider: 'technest', providerCustomerId: `rec_${i}`, providerReference: `ref-${i}`,
  attempts: [{ number: 1, providerCustomerId: `rec_${i}`, providerReference: `ref-${i}`, status: 'pending', rawStatus: 'pending', startedAt: at }],
  status: 'pending', rawStatus: 'pending', requirements: [], submissions: 1, machineVersion: 1, createdAt: at, updatedAt: at, ignored: [], eventCount: 2, version: 1 }) as any;
const N = 200;
for (let i = 0; i < N; i++) await store.commit({ customer: mk(i), expectedVersion: 0 });
const time = async (label: string, fn: (i: number) => Promise<unknown>) => { const c0 = process.cpuUsage(); const t0 = performance.now(); for (let i = 0; i < N; i++) await fn(i); const c = process.cpuUsage(c0); console.log(label.padEnd(30), 'wall', ((performance.now() - t0) / N * 1000).toFixed(0), 'us  client cpu', ((c.user + c.system) / N).toFixed(0), 'us'); };
const ev = (c: any) => [{ id: `evt_${c.id}_3`, type: 'customer.verified', customerId: c.id, reference: c.reference, provider: c.provider, providerCustomerId: c.providerCustomerId, from: 'pending', to: 'verified', at, source: 'webhook' }];
const named = (text: string, values: unknown[]) => ({ name: 'b' + Buffer.from(text).toString('base64').slice(0, 40), text, values });
await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements').catch((e) => console.log('no pg_stat_statements:', e.message));
if (process.env.T) await time('hasProcessed', (i) => store.hasProcessed('technest', `k${i}`));
if (process.env.T) await time('findByProviderCustomerId', (i) => store.findByProviderCustomerId('technest', `rec_${i}`));
const got: any[] = []; for (let i = 0; i < N; i++) got.push(await store.get(`cus_${i}`));
if (process.env.T) await time('commit update (cached lists)', (i) => store.commit({ customer: { ...got[i], status: 'verified', version: 2 }, expectedVersion: 1, events: ev(got[i]) as any, dedupe: { provider: 'technest', key: `k${i}` } }));
if (process.env.T) await time('bare select dedupe', (i) => pool.query(named(`SELECT 1 FROM p.processed_deliveries WHERE provider = $1 AND dedupe_key = $2`, ['technest', `k${i}`])));
if (process.env.T) await time('bare tx 4 statements', async (i) => { const c = await pool.connect(); try { await c.query('BEGIN');
  const [row] = (await c.query(named(`SELECT id, version FROM p.customers WHERE provider = $1 AND provider_customer_id = $2`, ['technest', `rec_${i}`]))).rows;
  await c.query(named(`UPDATE p.customers SET status = 'verified', raw_status = 'verified', version = version + 1, updated_at = now() WHERE id = $1 AND version = $2 RETURNING id`, [row.id, row.version]));
  await c.query(named(`INSERT INTO p.events (id, customer_id, type, reference, provider, provider_customer_id, from_status, to_status, at, source) VALUES ($1, $2, 'customer.verified', $3, 'technest', $4, 'pending', 'verified', now(), 'webhook')`, [`evt_${row.id}_4`, row.id, 'r', `rec_${i}`]));
  await c.query(named(`INSERT INTO p.processed_deliveries (provider, dedupe_key, customer_id) VALUES ('technest', $1, $2)`, [`b${i}`, row.id]));
  await c.query('COMMIT'); } finally { c.release(); } });

let captured: any[] = [];
const orig = pool.query.bind(pool) as any;
(pool as any).query = (config: any, values?: any) => { captured.push(config); return orig(config, values); };
const g2: any[] = []; for (let i = 0; i < 3; i++) g2.push(await store.get(`cus_${i}`));
captured = [];
await store.findByProviderCustomerId('technest', 'rec_5');
await store.commit({ customer: { ...g2[1], status: 'rejected', version: 3 }, expectedVersion: 2, events: ev(g2[1]).map((e: any) => ({ ...e, id: 'evt_x' })) as any, dedupe: { provider: 'technest', key: `kx` } });
for (const q of captured) {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
    const r = await c.query(`EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) ${q.text}`, q.values);
    console.log(r.rows.map((x: any) => x['QUERY PLAN']).join('\n'));
  } finally { await c.query('ROLLBACK'); c.release(); }
}

await pool.end(); await server.stop();
