import { ConfigurationError } from '@openkyc/core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { postgresStore } from '../src/index.js';
import { MIGRATIONS } from '../src/migrations/all-migrations.js';
import { dropSchema, freshSchema } from './support/schemas.js';

const url = inject('postgresUrl');
const admin = new pg.Pool({ connectionString: url, max: 2 });
afterAll(() => admin.end());

describe('migrate()', () => {
  it('is safe when several instances start at once: each migration applied once, recorded in the schema', async () => {
    const schema = freshSchema('migrate');
    const stores = Array.from({ length: 3 }, () => postgresStore({ connectionString: url, schema }));
    try {
      await Promise.all(stores.map((store) => store.migrate()));
      await Promise.all(stores.map((store) => store.migrate())); // idempotent
      const applied = await admin.query(`SELECT version, name FROM "${schema}".schema_migrations ORDER BY version`);
      expect(applied.rows).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
      const tables = await admin.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, [schema]);
      expect(tables.rows.map((row) => row.table_name)).toEqual([
        'attempts',
        'audit_entries',
        'consumers',
        'customer_requirements',
        'customers',
        'dead_letters',
        'event_requirements',
        'events',
        'ignored_reports',
        'processed_deliveries',
        'schema_migrations',
        'webhook_inbox',
      ]);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      await dropSchema(url, schema);
    }
  });

  it('runs on first use without an explicit migrate()', async () => {
    const schema = freshSchema('firstuse');
    const store = postgresStore({ connectionString: url, schema });
    try {
      expect(await store.get('cus_none')).toBeUndefined();
      const applied = await admin.query(`SELECT count(*)::int AS n FROM "${schema}".schema_migrations`);
      expect(applied.rows[0].n).toBe(MIGRATIONS.length);
    } finally {
      await store.close();
      await dropSchema(url, schema);
    }
  });

  it('refuses a database migrated by a newer version of the package', async () => {
    const schema = freshSchema('newer');
    const store = postgresStore({ connectionString: url, schema });
    await store.migrate();
    await store.close();
    await admin.query(`INSERT INTO "${schema}".schema_migrations (version, name) VALUES (9999, 'from the future')`);
    const older = postgresStore({ connectionString: url, schema });
    try {
      await expect(older.migrate()).rejects.toThrow(ConfigurationError);
      await expect(older.migrate()).rejects.toThrow(/version 9999, newer than/);
    } finally {
      await older.close();
      await dropSchema(url, schema);
    }
  });

  it('has an index for every lookup the store makes', async () => {
    const schema = freshSchema('indexes');
    const store = postgresStore({ connectionString: url, schema });
    await store.migrate();
    await store.close();
    try {
      const indexes = await admin.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = $1`, [schema]);
      const defs = indexes.rows.map((row) => String(row.indexdef).replace(`"${schema}".`, '').replace(`${schema}.`, ''));
      for (const columns of [
        'customers USING btree (id)',
        'customers USING btree (reference)',
        'customers USING btree (provider, provider_customer_id)',
        'attempts USING btree (provider, provider_customer_id)',
        'customers USING btree (status, "position")',
        'customers USING btree (status, provider, "position")',
        'events USING btree (customer_id, "position")',
        'processed_deliveries USING btree (provider, dedupe_key)',
      ]) {
        expect(defs.some((def) => def.endsWith(`ON ${columns}`)), columns).toBe(true);
      }
      // The console's reads (migration 0005): a customer's deliveries and audit entries, all audit entries newest first.
      for (const columns of [
        'processed_deliveries USING btree (customer_id, processed_at) WHERE (customer_id IS NOT NULL)',
        'audit_entries USING btree (customer_id, at DESC, "position" DESC) WHERE (customer_id IS NOT NULL)',
        'audit_entries USING btree (at DESC, "position" DESC)',
      ]) {
        expect(defs.some((def) => def.endsWith(`ON ${columns}`)), columns).toBe(true);
      }
      // The lookup by provider record has exactly one customers index to take (see migration 0002).
      expect(defs.filter((def) => / customers USING btree \(provider\b/.test(def))).toEqual([expect.stringMatching(/\(provider, provider_customer_id\)$/)]);
    } finally {
      await dropSchema(url, schema);
    }
  });
});

describe('postgresStore options', () => {
  it('says what is missing before connecting', () => {
    expect(() => postgresStore({ connectionString: '' })).toThrow(/needs \{ connectionString \}/);
    expect(() => postgresStore({ connectionString: url, maxConnections: 0 })).toThrow(ConfigurationError);
    expect(() => postgresStore({ connectionString: url, schema: 'Bad-Name' })).toThrow(ConfigurationError);
  });

  it('prepares statements once per connection, or not at all with preparedStatements: false', async () => {
    for (const preparedStatements of [true, false]) {
      const schema = freshSchema('prepared');
      const pool = new pg.Pool({ connectionString: url, max: 1 }); // one connection: the one we then ask
      const store = postgresStore({ pool, schema, preparedStatements });
      try {
        expect(await store.commit({ dedupe: { provider: 'p', key: 'k1' } })).toEqual({ ok: true });
        expect(await store.commit({ dedupe: { provider: 'p', key: 'k1' } })).toEqual({ ok: false, reason: 'duplicate_delivery' });
        expect(await store.hasProcessed('p', 'k1')).toBe(true);
        const { rows } = await pool.query(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'openkyc_%'`);
        if (preparedStatements) expect(rows[0].n).toBeGreaterThan(0);
        else expect(rows[0].n).toBe(0);
      } finally {
        await store.close();
        await pool.end();
        await dropSchema(url, schema);
      }
    }
  });

  it('leaves a pool you passed in open on close()', async () => {
    const schema = freshSchema('pool');
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const store = postgresStore({ pool, schema });
    await store.migrate();
    await store.close();
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await expect(store.get('x')).rejects.toThrow(/closed/);
    await pool.end();
    await dropSchema(url, schema);
  });
});
