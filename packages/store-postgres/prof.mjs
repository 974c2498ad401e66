import { PGlite } from '@electric-sql/pglite';
import { pgliteStore } from './dist/index.js';
const db = new PGlite();
const store = pgliteStore({ pglite: db, schema: 'p' });
await store.migrate();
const at = '2026-11-22T10:00:00.000Z';
const mk = (i) => ({ id: `cus_${i}`, reference: `ref-${i}`, type: 'individual', email: 'a@b.c', firstName: 'J', lastName: 'S', provider: 'technest', providerCustomerId: `rec_${i}`, providerReference: `ref-${i}`,
  attempts: [{ number: 1, providerCustomerId: `rec_${i}`, providerReference: `ref-${i}`, status: 'pending', rawStatus: 'pending', startedAt: at }],
  status: 'pending', rawStatus: 'pending', requirements: [], submissions: 1, machineVersion: 1, createdAt: at, updatedAt: at, ignored: [], eventCount: 2, version: 1 });
const N = 1000;
for (let i = 0; i < N; i++) await store.commit({ customer: mk(i), expectedVersion: 0 });
const time = async (label, fn) => { const c0 = process.cpuUsage(); const t0 = performance.now(); for (let i = 0; i < N; i++) await fn(i); const c = process.cpuUsage(c0); console.log(label.padEnd(30), 'wall', ((performance.now() - t0) / N * 1000).toFixed(0), 'us  cpu', ((c.user + c.system) / N).toFixed(0), 'us'); };
const ev = (c) => [{ id: `evt_${c.id}_3`, type: 'customer.verified', customerId: c.id, reference: c.reference, provider: c.provider, providerCustomerId: c.providerCustomerId, from: 'pending', to: 'verified', at, source: 'webhook' }];
await time('hasProcessed', (i) => store.hasProcessed('technest', `k${i}`));
await time('findByProviderCustomerId', (i) => store.findByProviderCustomerId('technest', `rec_${i}`));
const got = []; for (let i = 0; i < N; i++) got.push(await store.get(`cus_${i}`));
await time('commit update (cached lists)', (i) => store.commit({ customer: { ...got[i], status: 'verified', version: 2 }, expectedVersion: 1, events: ev(got[i]), dedupe: { provider: 'technest', key: `k${i}` } }));
await time('bare select 1 param', (i) => db.query(`SELECT 1 FROM p.processed_deliveries WHERE provider = $1 AND dedupe_key = $2`, ['technest', `k${i}`]));
await time('bare tx 4 statements', (i) => db.transaction(async (tx) => {
  const [row] = (await tx.query(`SELECT id, version FROM p.customers WHERE provider = $1 AND provider_customer_id = $2`, ['technest', `rec_${i}`])).rows;
  await tx.query(`UPDATE p.customers SET status = 'verified', raw_status = 'verified', version = version + 1, updated_at = now() WHERE id = $1 AND version = $2 RETURNING id`, [row.id, row.version]);
  await tx.query(`INSERT INTO p.events (id, customer_id, type, reference, provider, provider_customer_id, from_status, to_status, at, source) VALUES ($1, $2, 'customer.verified', $3, 'technest', $4, 'pending', 'verified', now(), 'webhook')`, [`evt_${row.id}_4`, row.id, 'r', `rec_${i}`]);
  await tx.query(`INSERT INTO p.processed_deliveries (provider, dedupe_key, customer_id) VALUES ('technest', $1, $2)`, [`b${i}`, row.id]);
}));
await time('exec SELECT 1', () => db.exec('SELECT 1'));
await time('query SELECT 1', () => db.query('SELECT 1'));
