import { PGlite } from '@electric-sql/pglite';
import type { Customer } from '@openkyc/core';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { pgliteStore, postgresStore, type SqlStore } from '../src/index.js';
import { MIGRATIONS } from '../src/migrations/all-migrations.js';
import { dropSchema, freshSchema } from './support/schemas.js';
import { everyShape, type Shape } from './support/customer-shapes.js';
import { migrateToVersion1, writeVersion1, type Sql } from './support/version-1-rows.js';

const url = inject('postgresUrl');
const pool = new pg.Pool({ connectionString: url, max: 2 });
const pglite = new PGlite();
afterAll(async () => {
  await pool.end();
  await pglite.close();
});

/** Both engines: run SQL directly, and open the store on a schema. */
const engines: readonly { name: string; sql: Sql; store(schema: string): SqlStore; drop(schema: string): Promise<void> }[] = [
  { name: 'PostgreSQL 18', sql: pool, store: (schema) => postgresStore({ pool, schema }), drop: (schema) => dropSchema(url, schema) },
  {
    name: 'PGlite',
    sql: pglite,
    store: (schema) => pgliteStore({ pglite, schema }),
    drop: async (schema) => void (await pglite.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)),
  },
];

describe.each(engines)('migration 0002 (typed columns) on $name', (engine) => {
  it('converts a version-1 database with data in it: every customer, event and processed delivery reads back identical', async () => {
    const schema = freshSchema('upgrade');
    await migrateToVersion1(engine.sql, schema);
    const stored = everyShape();
    for (const { customer, events, dedupeKey } of stored) await writeVersion1(engine.sql, schema, customer, events, dedupeKey);

    const store = engine.store(schema);
    try {
      await store.migrate();
      for (const { customer, events, dedupeKey } of stored) {
        expect(await store.get(customer.id)).toEqual(customer);
        expect(await store.findByReference(customer.reference)).toEqual(customer);
        for (const attempt of customer.attempts) expect(await store.findByProviderCustomerId(customer.provider, attempt.providerCustomerId)).toEqual(customer);
        expect(await store.listEvents(customer.id)).toEqual(events);
        if (dedupeKey !== undefined) expect(await store.hasProcessed(customer.provider, dedupeKey)).toBe(true);
      }
      const listed: Customer[] = [];
      for await (const customer of store.list()) listed.push(customer);
      expect(listed).toEqual(stored.map(({ customer }) => customer));
      const versions = await rows(engine.sql, `SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
      expect(versions.map((row) => row.version)).toEqual(MIGRATIONS.map(({ version }) => version));
      // No JSON left in the tables migration 0002 covers (the webhook inbox of 0004 keeps its parked report).
      const jsonColumns = await rows(
        engine.sql,
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 AND data_type IN ('json', 'jsonb') ORDER BY table_name`,
        [schema],
      );
      expect(jsonColumns).toEqual([{ table_name: 'webhook_inbox', column_name: 'report' }]);

      // The converted customer goes on: a change commits on the converted rows, and erasure reaches them.
      const [full] = stored;
      const next: Customer = { ...full!.customer, requirements: [], ignored: full!.customer.ignored.slice(1), status: 'verified', version: full!.customer.version + 1 };
      expect(await store.commit({ customer: next, expectedVersion: full!.customer.version })).toEqual({ ok: true });
      expect(await store.get(next.id)).toEqual(next);
      await store.forget(next.id, '2026-12-01T00:00:00.000Z');
      expect(await dumpText(engine.sql, schema)).not.toMatch(/Jane|Smith|jane@example\.com|expired in 2019/);
    } finally {
      await store.close();
      await engine.drop(schema);
    }
  });

  it('stops, applying nothing, when a version-1 row holds a field it has no column for', async () => {
    const schema = freshSchema('unmapped');
    await migrateToVersion1(engine.sql, schema);
    const [{ customer, events }] = everyShape() as [Shape];
    await writeVersion1(engine.sql, schema, customer, events);
    await engine.sql.query(`UPDATE "${schema}".customers SET extra = '{"nickname":"JJ"}'::jsonb`);
    const store = engine.store(schema);
    try {
      await expect(store.migrate()).rejects.toThrow(/customers\.extra holds fields/);
      const versions = await rows(engine.sql, `SELECT version FROM "${schema}".schema_migrations`);
      expect(versions.map((row) => row.version)).toEqual([1]);
      const kept = await rows(engine.sql, `SELECT extra, requirements FROM "${schema}".customers`);
      expect(kept).toEqual([{ extra: { nickname: 'JJ' }, requirements: customer.requirements }]);
    } finally {
      await store.close();
      await engine.drop(schema);
    }
  });
});

describe.each(engines)('the store on $name', (engine) => {
  it('refuses a customer field it has no column for, before writing anything', async () => {
    const schema = freshSchema('unknownfield');
    const store = engine.store(schema);
    try {
      const [{ customer }] = everyShape() as [Shape];
      await expect(store.commit({ customer: { ...customer, version: 1, nickname: 'JJ' } as Customer, expectedVersion: 0 })).rejects.toThrow(/no column for the customer field 'nickname'/);
      expect(await store.get(customer.id)).toBeUndefined();
    } finally {
      await store.close();
      await engine.drop(schema);
    }
  });

  it('forgetCustomer leaves no personal data or provider free text in any table', async () => {
    const schema = freshSchema('erasure');
    const store = engine.store(schema);
    try {
      for (const { customer, events } of everyShape()) {
        expect(await store.commit({ customer: { ...customer, version: 1 }, expectedVersion: 0, events })).toEqual({ ok: true });
        await store.forget(customer.id, '2026-12-01T00:00:00.000Z');
      }
      const dump = await dumpText(engine.sql, schema);
      expect(dump).toContain('cus_full'); // the dump does see the rows
      expect(dump).not.toMatch(/Jane|Smith|jane@example\.com|expired in 2019|Name on file/);
    } finally {
      await store.close();
      await engine.drop(schema);
    }
  });
});

async function rows(sql: Sql, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  return ((await sql.query(text, params)) as { rows: Record<string, unknown>[] }).rows;
}

/** Every row of every table in the schema, as text. */
async function dumpText(sql: Sql, schema: string): Promise<string> {
  const tables = await rows(sql, `SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [schema]);
  const parts: string[] = [];
  for (const { table_name } of tables) {
    for (const row of await rows(sql, `SELECT t::text AS line FROM "${schema}"."${table_name as string}" t`)) parts.push(row.line as string);
  }
  return parts.join('\n');
}
