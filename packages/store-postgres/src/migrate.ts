import { ConfigurationError } from '@openkyc/core';
import { MIGRATIONS } from './migrations/all-migrations.js';
import type { SqlDriver } from './sql-driver.js';
import { quoteIdentifier } from './schema-name.js';

/**
 * Applies every migration not yet recorded in `<schema>.schema_migrations`, in
 * version order, in one transaction under a transaction-scoped advisory lock
 * keyed by the schema: instances starting at once wait for each other, and the
 * later ones find everything applied.
 */
export async function migrate(driver: SqlDriver, schema: string): Promise<void> {
  const s = quoteIdentifier(schema);
  await driver.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`openkyc:migrate:${schema}`]);
    await tx.exec(
      `CREATE SCHEMA IF NOT EXISTS ${s};
       CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());`,
    );
    const applied = new Set((await tx.query<{ version: number }>(`SELECT version FROM ${s}.schema_migrations`)).map((row) => row.version));
    const newest = Math.max(0, ...applied);
    const known = MIGRATIONS[MIGRATIONS.length - 1]!.version;
    if (newest > known) {
      throw new ConfigurationError(
        `The database schema '${schema}' is at version ${newest}, newer than this @openkyc/store-postgres knows (${known}); upgrade the package.`,
      );
    }
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await tx.exec(migration.sql.replaceAll('{schema}', s));
      await tx.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
    }
  });
}
