import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { storedCustomer } from '@openkyc/testkit';
import { pgliteStore } from '../src/index.js';
import { freshSchema } from './support/schemas.js';

const pglite = new PGlite();
afterAll(() => pglite.close());

const customer = storedCustomer('1', { provider: 'p' });

describe('pgliteStore on a PGlite the application shares', () => {
  it('prepares its statements once (named), and prepares again after the application deallocates them', async () => {
    const store = pgliteStore({ pglite, schema: freshSchema('prepared') });
    try {
      expect(await store.commit({ customer, expectedVersion: 0, dedupe: { provider: 'p', key: 'k1' } })).toEqual({ ok: true });
      expect(await store.hasProcessed('p', 'k1')).toBe(true);
      const named = await pglite.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'openkyc_%'`);
      expect(named.rows[0]!.n).toBeGreaterThan(0);

      await pglite.exec('DEALLOCATE ALL');
      expect(await store.hasProcessed('p', 'k1')).toBe(true);
      expect((await store.get('cus_1'))?.reference).toBe(customer.reference);
    } finally {
      await store.close();
    }
  });

  it('waits for a transaction the application holds, and sees its outcome', async () => {
    const schema = freshSchema('sharedtx');
    const store = pgliteStore({ pglite, schema });
    try {
      await store.migrate();
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const transaction = pglite.transaction(async (tx) => {
        await tx.query(`INSERT INTO "${schema}".processed_deliveries (provider, dedupe_key) VALUES ('p', 'in-tx')`);
        await held;
      });
      const seen = store.hasProcessed('p', 'in-tx');
      release();
      await transaction;
      expect(await seen).toBe(true);
    } finally {
      await store.close();
    }
  });
});
