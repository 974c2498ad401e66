import { PGlite } from '@electric-sql/pglite';
import { pgliteStore } from './dist/index.js';
import { readFileSync } from 'node:fs';
const db = new PGlite();
const store = pgliteStore({ pglite: db, schema: 'p' });
await store.migrate();
const at = '2026-11-22T10:00:00.000Z';
const mk = (i) => ({ id: `cus_${i}`, reference: `ref-${i}`, type: 'individual', email: 'a@b.c', firstName: 'J', lastName: 'S', provider: 'technest', providerCustomerId: `rec_${i}`, providerReference: `ref-${i}`,
  attempts: [{ number: 1, providerCustomerId: `rec_${i}`, providerReference: `ref-${i}`, status: 'pending', rawStatus: 'pending', startedAt: at }],
  status: 'pending', rawStatus: 'pending', requirements: [], submissions: 1, machineVersion: 1, createdAt: at, updatedAt: at, ignored: [], eventCount: 2, version: 1 });
const N = 500;
for (let i = 0; i < N; i++) await store.commit({ customer: mk(i), expectedVersion: 0 });
const time = async (label, fn) => { const c0 = process.cpuUsage(); const t0 = performance.now(); for (let i = 0; i < N; i++) await fn(i); const c = process.cpuUsage(c0); console.log(label.padEnd(30), 'wall', ((performance.now() - t0) / N * 1000).toFixed(0), 'us  cpu', ((c.user + c.system) / N).toFixed(0), 'us'); };
// the read statement text, from the built store
const src = readFileSync('./dist/index.js', 'utf8');
const q = `SELECT c.* FROM p.customers c WHERE c.id = (SELECT id FROM p.customers WHERE provider = $1 AND provider_customer_id = $2 UNION ALL SELECT customer_id FROM p.attempts WHERE provider = $1 AND provider_customer_id = $2 LIMIT 1)`;
//await time('read without laterals', (i) => db.query(q, ['technest', `rec_${i}`]));
//await time('store.find (3 laterals)', (i) => store.findByProviderCustomerId('technest', `rec_${i}`));
let sql; const orig = db.query.bind(db); db.query = (t, p) => { if (t.includes('UNION ALL')) sql = t; return orig(t, p); };
await store.findByProviderCustomerId('technest', 'rec_1'); db.query = orig;
await db.exec(`PREPARE f(text, text) AS ${sql}`);
//await time('EXECUTE prepared (literals)', (i) => db.exec(`EXECUTE f('technest', 'rec_${i}')`));
const r = await db.query(`EXPLAIN ANALYZE ${sql}`, ['technest', 'rec_7']);
console.log(r.rows.map((x) => x['QUERY PLAN']).filter((l) => /Planning|Execution/.test(l)).join('\n'));
const r2 = await db.query(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, ['technest', 'rec_7']);
console.log(r2.rows.map((x) => x['QUERY PLAN']).join('\n'));
const r3 = await db.query(`EXPLAIN (ANALYZE, COSTS OFF) ${q}`, ['technest', 'rec_7']);
console.log(r3.rows.map((x) => x['QUERY PLAN']).join('\n'));
