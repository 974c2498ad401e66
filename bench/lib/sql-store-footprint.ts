/**
 * `npx tsx bench/lib/sql-store-footprint.ts [n]`: what one tracked customer costs in pgliteStore — the
 * bytes of the store's tables and indexes (`pg_total_relation_size`, the same tables and statements
 * postgresStore uses, so the same figure for PostgreSQL on disk) and the growth of this process's RSS
 * (PGlite's WebAssembly memory is not on the JS heap). Same population as figure 4: N customers made and
 * moved through the public API, 2–8 events each (5 on average). A diagnostic for the README, not a figure.
 */
import { PGlite } from '@electric-sql/pglite';
import { createKyc, type CustomerStatus } from '@openkyc/core';
import { pgliteStore } from '@openkyc/store-postgres';
import { stubProvider } from './stub-provider.js';

const PATHS: readonly (readonly CustomerStatus[])[] = [
  ['pending'],
  ['pending', 'verified'],
  ['pending', 'verified', 'active'],
  ['pending', 'needs_info', 'pending', 'verified', 'active'],
  ['pending', 'rejected', 'pending', 'verified', 'active', 'deactivated'],
  ['pending', 'needs_info', 'pending', 'rejected', 'pending', 'verified', 'active'],
];
const STEPS = Math.max(...PATHS.map((path) => path.length));
const count = Number(process.argv[2] ?? 10_000);
let step = 0;

const providerCustomerId = (reference: string): string => `ckcust_${Number(reference.slice(reference.lastIndexOf('-') + 1)).toString(16).padStart(24, '0')}`;
const statusFor = (id: string): CustomerStatus => {
  const path = PATHS[Number.parseInt(id.slice('ckcust_'.length), 16) % PATHS.length]!;
  return path[Math.min(step, path.length - 1)]!;
};

const pglite = new PGlite();
const store = pgliteStore({ pglite });
await store.migrate();
const tableBytes = async (): Promise<number> => {
  const result = await pglite.query<{ bytes: string }>(
    `select coalesce(sum(pg_total_relation_size(c.oid)), 0)::text as bytes from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'openkyc' and c.relkind in ('r', 'm')`,
  );
  return Number(result.rows[0]!.bytes);
};
const walPosition = async (): Promise<string> => (await pglite.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')).rows[0]!.lsn;
const tablesBefore = await tableBytes();
const walBefore = await walPosition();
const rssBefore = process.memoryUsage().rss;

const kyc = createKyc({ providers: [stubProvider({ id: 'stub', providerCustomerId, statusFor })], store });
const ids: string[] = [];
for (let i = 0; i < count; i++) {
  const customer = await kyc.createCustomer({ reference: `fp-${i}`, type: 'individual', email: `customer${i}@example.com`, firstName: 'Jane', lastName: 'Smith' });
  ids.push(customer.id);
}
for (step = 0; step < STEPS; step++) for (const id of ids) await kyc.refresh(id);
await pglite.query('vacuum');
let events = 0;
for (const id of ids.slice(0, 600)) events += (await kyc.listEvents(id)).length;

const tables = (await tableBytes()) - tablesBefore;
const rss = process.memoryUsage().rss - rssBefore;
// PGlite in memory keeps its write-ahead log in the same (WebAssembly) memory: most of the RSS growth.
const walBytes = Number(
  (await pglite.query<{ bytes: string }>('select pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::text as bytes', [walBefore])).rows[0]!.bytes,
);
console.log(
  JSON.stringify({
    store: 'pgliteStore',
    customers: count,
    eventsPerCustomer: events / Math.min(600, count),
    tableAndIndexBytesPerCustomer: Math.round(tables / count),
    rssBytesPerCustomer: Math.round(rss / count),
    walBytesPerCustomer: Math.round(walBytes / count),
  }),
);
await store.close();
await pglite.close();
