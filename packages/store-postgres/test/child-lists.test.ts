import { PGlite } from '@electric-sql/pglite';
import type { Customer } from '@openkyc/core';
import { afterAll, describe, expect, it } from 'vitest';
import { pgliteStore } from '../src/index.js';
import { everyShape } from './support/customer-shapes.js';
import { freshSchema } from './support/schemas.js';

const pglite = new PGlite();
afterAll(() => pglite.close());

/*
 * A commit rewrites a child list (attempts, requirements, ignored reports) only when it differs from what
 * this store read at the expected version. These pin the cases where skipping would be wrong.
 */
describe('child lists across commits', () => {
  const first: Customer = { ...everyShape()[0]!.customer, version: 1 };

  it('writes every list that changed since the read, and drops rows past a shorter list', async () => {
    const store = pgliteStore({ pglite, schema: freshSchema('lists') });
    try {
      await store.commit({ customer: first, expectedVersion: 0 });
      const read = (await store.get(first.id))!;
      const next: Customer = {
        ...read,
        attempts: [...read.attempts, { number: 3, providerCustomerId: 'rec_full_3', providerReference: 'user-full-r3', status: 'created', rawStatus: 'NEW', startedAt: read.updatedAt }],
        requirements: read.requirements.slice(1),
        ignored: [...read.ignored.slice(1), { ...read.ignored[0]!, reason: 'final_state' }],
        version: 2,
      };
      expect(await store.commit({ customer: next, expectedVersion: 1 })).toEqual({ ok: true });
      expect(await store.get(first.id)).toEqual(next);
      expect((await store.findByProviderCustomerId('p', 'rec_full_3'))?.id).toBe(first.id);
    } finally {
      await store.close();
    }
  });

  it('deletes an attempt the new list no longer has, even when the list keeps its length', async () => {
    const store = pgliteStore({ pglite, schema: freshSchema('renumbered') });
    try {
      await store.commit({ customer: first, expectedVersion: 0 });
      const read = (await store.get(first.id))!;
      const [dropped, ...kept] = read.attempts;
      const next: Customer = {
        ...read,
        attempts: [...kept, { ...dropped!, number: 7, providerCustomerId: 'rec_full_7' }],
        version: 2,
      };
      expect(next.attempts).toHaveLength(read.attempts.length);
      expect(await store.commit({ customer: next, expectedVersion: 1 })).toEqual({ ok: true });
      expect(await store.get(first.id)).toEqual(next);
      expect(await store.findByProviderCustomerId('p', dropped!.providerCustomerId)).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('writes a list the caller changed in place on the object it read', async () => {
    const store = pgliteStore({ pglite, schema: freshSchema('inplace') });
    try {
      await store.commit({ customer: first, expectedVersion: 0 });
      const read = (await store.get(first.id))!;
      (read.requirements as unknown as unknown[]).length = 0;
      expect(await store.commit({ customer: { ...read, version: 2 }, expectedVersion: 1 })).toEqual({ ok: true });
      expect((await store.get(first.id))?.requirements).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('writes every list when another store made the version it commits on', async () => {
    const schema = freshSchema('twostores');
    const a = pgliteStore({ pglite, schema });
    const b = pgliteStore({ pglite, schema });
    try {
      await a.commit({ customer: first, expectedVersion: 0 });
      const readByA = (await a.get(first.id))!;
      // b moves the customer on (lists emptied); a's memory of version 1 must not make it skip anything.
      expect(await b.commit({ customer: { ...readByA, requirements: [], ignored: [], version: 2 }, expectedVersion: 1 })).toEqual({ ok: true });
      expect(await a.commit({ customer: { ...readByA, version: 2 }, expectedVersion: 1 })).toEqual({ ok: false, reason: 'version_conflict' });
      const restored: Customer = { ...readByA, version: 3 };
      expect(await a.commit({ customer: restored, expectedVersion: 2 })).toEqual({ ok: true });
      expect(await b.get(first.id)).toEqual(restored);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
