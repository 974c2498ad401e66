import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { pgliteStore } from '../src/index.js';
import { freshSchema } from './support/schemas.js';

const pglite = new PGlite();
afterAll(() => pglite.close());

const customer = {
  id: 'cus_1',
  reference: 'user-1',
  type: 'individual',
  email: 'jane@example.com',
  firstName: 'Jane',
  lastName: 'Smith',
  provider: 'p',
  providerCustomerId: 'rec_1',
  providerReference: 'user-1',
  attempts: [{ number: 1, providerCustomerId: 'rec_1', providerReference: 'user-1', status: 'created', rawStatus: 'created', startedAt: '2026-11-22T10:00:00.000Z' }],
  status: 'created',
  rawStatus: 'created',
  requirements: [],
  submissions: 0,
  machineVersion: 1,
  createdAt: '2026-11-22T10:00:00.000Z',
  updatedAt: '2026-11-22T10:00:00.000Z',
  ignored: [],
  eventCount: 1,
  version: 1,
} as const;

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
      expect((await store.get('cus_1'))?.reference).toBe('user-1');
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
