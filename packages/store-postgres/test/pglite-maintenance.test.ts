import { PGlite } from '@electric-sql/pglite';
import { storedCustomer, storedEvent } from '@openkyc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { pgliteStore } from '../src/index.js';
import { lsnBytes, pgliteMaintenance, type PgliteMaintenanceOptions } from '../src/pglite-maintenance.js';
import { pgliteDriver } from '../src/pglite-driver.js';
import { sqlStore } from '../src/sql-store.js';

// PGlite has no checkpointer and no autovacuum: without them its write-ahead log keeps every write for
// the life of the process (in pg_wal on disk, or in memory), and updated rows are never reclaimed. The
// store vacuums and checkpoints as its log grows.

const open: PGlite[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

function database(): PGlite {
  const db = new PGlite();
  open.push(db);
  return db;
}

async function walPositions(db: PGlite): Promise<{ current: number; checkpoint: number }> {
  const [row] = (
    await db.query<{ current: string; checkpoint: string }>(
      'select pg_current_wal_lsn()::text as current, (select redo_lsn from pg_control_checkpoint())::text as checkpoint',
    )
  ).rows;
  return { current: lsnBytes(row!.current), checkpoint: lsnBytes(row!.checkpoint) };
}

/** A store on `db` (not closing it) whose upkeep looks and runs at the given, small, thresholds. */
function storeOn(db: PGlite, upkeep: PgliteMaintenanceOptions) {
  return sqlStore(pgliteDriver(db, () => undefined, false, upkeep), 'openkyc');
}

/** `storeOn`, migrated, from a checkpoint (the migrations alone write more log than the small thresholds). */
async function migratedStoreOn(db: PGlite, upkeep: PgliteMaintenanceOptions) {
  const store = storeOn(db, upkeep);
  await store.migrate();
  await db.exec('checkpoint');
  return store;
}

/** About `megabytes` of write-ahead log, written straight to the database (not through the store). */
async function writeLog(db: PGlite, megabytes: number): Promise<void> {
  await db.exec('create table if not exists scratch (id serial primary key, filler text)');
  await db.query(`insert into scratch (filler) select repeat(md5(g::text), 30) from generate_series(1, $1::int) g`, [megabytes * 1000]);
}

describe('PGlite upkeep: vacuum and checkpoint', () => {
  it('reads log positions as bytes', () => {
    expect(lsnBytes('0/16EF920')).toBe(0x16ef920);
    expect(lsnBytes('16/B374D848')).toBe(0x16 * 2 ** 32 + 0xb374d848);
  });

  it('checkpoints once the log has grown past the threshold, looking every N statements', async () => {
    const db = database();
    const store = storeOn(db, { checkEvery: 10, afterBytes: 2 * 1024 * 1024 });
    await store.migrate();
    const start = await walPositions(db);

    // Less than the threshold: statements are counted and checked, but no checkpoint.
    for (let i = 0; i < 25; i++) await store.get(`cus_${i}`);
    await store.close();
    expect((await walPositions(db)).checkpoint).toBe(start.checkpoint);

    await writeLog(db, 4);
    const grown = await walPositions(db);
    expect(grown.current - grown.checkpoint).toBeGreaterThan(2 * 1024 * 1024);
    const second = storeOn(db, { checkEvery: 10, afterBytes: 2 * 1024 * 1024 });
    for (let i = 0; i < 10; i++) await second.get(`cus_${i}`);
    await second.close(); // waits for the checkpoint in flight
    const after = await walPositions(db);
    expect(after.checkpoint).toBeGreaterThanOrEqual(grown.current);
  });

  it('keeps the log bounded through many commits', async () => {
    const db = database();
    const afterBytes = 128 * 1024;
    const store = await migratedStoreOn(db, { checkEvery: 20, afterBytes });
    const start = await walPositions(db);
    let largest = 0;
    for (let i = 0; i < 600; i++) {
      const customer = storedCustomer(String(i), { provider: 'p' });
      expect(await store.commit({ customer, expectedVersion: 0, events: [storedEvent(customer, 1)], dedupe: { provider: 'p', key: `d${i}` } })).toEqual({ ok: true });
      const { current, checkpoint } = await walPositions(db);
      largest = Math.max(largest, current - checkpoint);
    }
    await store.close();
    const end = await walPositions(db);
    expect(end.checkpoint).toBeGreaterThan(start.checkpoint);
    // Past the threshold by at most what the statements between two looks write (more right after a
    // checkpoint: the first change to each page logs the whole page); without checkpoints it would be
    // all of the log written.
    expect(end.current - start.current).toBeGreaterThan(afterBytes * 6);
    expect(largest).toBeLessThan(afterBytes * 3);
  });

  it('vacuums and analyzes before it checkpoints (pages marked all-visible, statistics gathered)', async () => {
    const db = database();
    const afterBytes = 256 * 1024;
    const store = await migratedStoreOn(db, { checkEvery: 10, afterBytes });
    const reltuples = async (): Promise<number> =>
      (await db.query<{ n: number }>(`select reltuples::float8 as n from pg_class where oid = 'openkyc.customers'::regclass`)).rows[0]!.n;
    const customers = Array.from({ length: 50 }, (_, i) => storedCustomer(String(i), { provider: 'p' }));
    for (const customer of customers) expect(await store.commit({ customer, expectedVersion: 0 })).toEqual({ ok: true });
    expect(await reltuples()).toBe(-1); // never vacuumed nor analyzed
    // Update every customer until the upkeep has run at least once.
    const start = await walPositions(db);
    for (let version = 1; (await walPositions(db)).checkpoint === start.checkpoint; version++) {
      expect(version).toBeLessThan(200);
      for (const customer of customers) {
        expect(await store.commit({ customer: { ...customer, version: version + 1, updatedAt: new Date(Date.parse(customer.updatedAt) + version * 1000).toISOString() }, expectedVersion: version })).toEqual({ ok: true });
      }
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await store.close();
    expect(await reltuples()).toBe(50);
    // Only VACUUM marks pages all-visible (ANALYZE alone leaves the visibility map empty).
    const [stats] = (await db.query<{ visible: number }>(`select relallvisible as visible from pg_class where oid = 'openkyc.customers'::regclass`)).rows;
    expect(stats!.visible).toBeGreaterThan(0);
  });

  it('pgliteStore checkpoints with its defaults (32 MB, a look every 1 000 statements), on a database passed in too', async () => {
    const db = database();
    const store = pgliteStore({ pglite: db });
    await store.migrate();
    await writeLog(db, 40);
    const grown = await walPositions(db);
    expect(grown.current - grown.checkpoint).toBeGreaterThan(32 * 1024 * 1024);
    for (let i = 0; i < 999; i++) await store.get(`cus_${i}`);
    expect((await walPositions(db)).checkpoint).toBe(grown.checkpoint);
    await store.get('cus_last');
    await store.close();
    expect((await walPositions(db)).checkpoint).toBeGreaterThanOrEqual(grown.current);
  });

  it('stops asking a database that refuses CHECKPOINT, and never fails a statement for it', async () => {
    const db = database();
    // As the superuser it does checkpoint (the control)…
    await writeLog(db, 1);
    const control = await walPositions(db);
    const allowed = pgliteMaintenance(db, { checkEvery: 1, afterBytes: 0 });
    allowed.counted();
    await allowed.settled();
    expect((await walPositions(db)).checkpoint).toBeGreaterThanOrEqual(control.current);

    // …refused once under a role without the right, it stops asking.
    await db.exec(`create role limited login; grant all on schema public to limited;`);
    await db.exec('set role limited');
    const maintenance = pgliteMaintenance(db, { checkEvery: 1, afterBytes: 0 });
    maintenance.counted();
    await maintenance.settled();
    await db.exec('reset role');
    const before = await walPositions(db);
    await writeLog(db, 1);
    // Now it could checkpoint (superuser again), but it no longer asks.
    maintenance.counted();
    await maintenance.settled();
    expect((await walPositions(db)).checkpoint).toBe(before.checkpoint);
  });
});
