import { createKyc, type CustomerStore, type KycEvent, type KycProvider } from '@openkyc/core';
import { PGlite } from '@electric-sql/pglite';
import { technest } from '@openkyc/adapter-technest';
import { storedCustomer, storedEvent } from '@openkyc/testkit';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { pgliteStore, postgresStore, type SqlStore } from '../src/index.js';
import { dropSchema, freshSchema } from './support/schemas.js';

/**
 * `kyc.consume` end to end on both SQL stores: woken by LISTEN/NOTIFY (polling is set to a minute, so only a
 * notification can deliver in time), and on PostgreSQL a consumer that must see every event of many
 * concurrent writers on several pools.
 */
const url = inject('postgresUrl');
// Opened on first use: starting PGlite blocks this process for seconds, which must not fall into a timing.
let pglite: PGlite | undefined;
afterAll(async () => {
  await pglite?.close();
});

/** An adapter createKyc accepts; these tests commit through the store and never call a provider. */
const provider = (): KycProvider => technest({ baseUrl: 'http://127.0.0.1:9', clientId: 'id', clientSecret: 'secret', webhookSecret: 'whsec_unused_0123456789' });

const engines: readonly [string, () => Promise<{ store: SqlStore; another: () => SqlStore; drop: () => Promise<void> }>][] = [
  [
    'PostgreSQL',
    async () => {
      const schema = freshSchema('consume');
      return { store: postgresStore({ connectionString: url, schema }), another: () => postgresStore({ connectionString: url, schema }), drop: () => dropSchema(url, schema) };
    },
  ],
  [
    'PGlite',
    async () => {
      const schema = freshSchema('consume');
      pglite ??= await PGlite.create();
      const db = pglite;
      return { store: pgliteStore({ pglite: db, schema }), another: () => pgliteStore({ pglite: db, schema }), drop: async () => void (await db.exec(`DROP SCHEMA "${schema}" CASCADE`)) };
    },
  ],
];

describe.each(engines)('kyc.consume on %s', (_, open) => {
  it('is woken right after a commit by a notification, not by polling', async () => {
    const { store, another, drop } = await open();
    const writer = another();
    const kyc = createKyc({ providers: [provider()], store });
    const seen: { id: string; at: number }[] = [];
    const consumer = kyc.consume('notified', (event) => void seen.push({ id: event.id, at: Date.now() }), { pollIntervalMs: 60_000 });
    try {
      await store.migrate();
      // Let it claim, read the empty log and start waiting (and listening).
      await new Promise((resolve) => setTimeout(resolve, 500));
      for (let i = 0; i < 5; i++) {
        const customer = storedCustomer(`n${i}`);
        const committedAt = Date.now();
        await writer.commit({ customer, expectedVersion: 0, events: [storedEvent(customer, 1)] });
        await vi.waitFor(() => expect(seen.map((entry) => entry.id)).toContain(`evt_${customer.id}_1`), { timeout: 5_000, interval: 2 });
        expect(seen.at(-1)!.at - committedAt).toBeLessThan(1_000);
      }
    } finally {
      await consumer.stop();
      await writer.close();
      await store.close();
      await drop();
    }
  });

  it('sees every event of many concurrent writers exactly once per holder run, each customer in order', async () => {
    const { store, another, drop } = await open();
    const writers: CustomerStore[] = [store, another(), another()];
    const kyc = createKyc({ providers: [provider()], store });
    const seen: KycEvent[] = [];
    const consumer = kyc.consume('all', (event) => void seen.push(event), { batchSize: 17, pollIntervalMs: 50 });
    const WRITERS = 40;
    const COMMITS = 6;
    try {
      await Promise.all(
        Array.from({ length: WRITERS }, async (_, w) => {
          const handle = writers[w % writers.length]!;
          let customer = storedCustomer(`w${w}`);
          await handle.commit({ customer, expectedVersion: 0, events: [storedEvent(customer, 1)] });
          for (let seq = 2; seq <= COMMITS; seq++) {
            const next = { ...customer, version: customer.version + 1, eventCount: seq };
            await handle.commit({ customer: next, expectedVersion: customer.version, events: [storedEvent(next, seq)] });
            customer = next;
          }
        }),
      );
      await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(WRITERS * COMMITS), { timeout: 20_000 });
      expect(new Set(seen.map((event) => event.id)).size).toBe(WRITERS * COMMITS);
      expect(seen).toHaveLength(WRITERS * COMMITS);
      for (let w = 0; w < WRITERS; w++) {
        expect(seen.filter((event) => event.customerId === `cus_w${w}`).map((event) => event.id)).toEqual(
          Array.from({ length: COMMITS }, (_, i) => `evt_cus_w${w}_${i + 1}`),
        );
      }
    } finally {
      await consumer.stop();
      for (const writer of writers.slice(1)) await (writer as SqlStore).close();
      await store.close();
      await drop();
    }
  });
});


