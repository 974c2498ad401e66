import { ConfigurationError } from '@openkyc/core';
import pg from 'pg';
import { assertSchemaName } from './schema-name.js';
import { pgDriver } from './pg-driver.js';
import { sqlStore } from './sql-store.js';
import type { SqlStore, SqlStoreOptions } from './sql-store-types.js';

/** Where `postgresStore` connects: a connection string (it makes and owns a pool) or your `pg.Pool`. */
export type PostgresStoreOptions = SqlStoreOptions & {
  /**
   * Prepare each statement once per connection (named statements; default true), so the server parses and
   * plans the commit once. Set false behind a pooler that cannot keep them (PgBouncer before 1.21 in
   * transaction mode).
   */
  readonly preparedStatements?: boolean;
} & (
    | {
        /** E.g. `process.env.DATABASE_URL` (`postgres://user:password@host:5432/db`). */
        readonly connectionString: string;
        /** Connections in the pool the store makes (default 10). */
        readonly maxConnections?: number;
        /** Not together with `connectionString`. */
        readonly pool?: undefined;
      }
    | {
        /** Your node-postgres pool; `close()` leaves it open. */
        readonly pool: pg.Pool;
        /** Not together with `pool`: the pool already knows where to connect. */
        readonly connectionString?: undefined;
      }
  );

/**
 * The store for production: PostgreSQL 14 or newer through node-postgres.
 * Several processes may share one database: commits are atomic and
 * version-checked in the database, so every webhook delivery has its effect
 * once whichever instance receives it.
 *
 * ```ts
 * const store = postgresStore({ connectionString: process.env.DATABASE_URL });
 * const kyc = createKyc({ providers, store });
 * ```
 *
 * The first use creates the tables (`migrate()`); `close()` ends the pool it made.
 */
export function postgresStore(options: PostgresStoreOptions): SqlStore {
  const schema = assertSchemaName(options.schema ?? 'openkyc');
  const prepare = options.preparedStatements ?? true;
  if (options.pool !== undefined) return sqlStore(pgDriver(options.pool, false, prepare), schema);
  if (typeof options.connectionString !== 'string' || options.connectionString === '') {
    throw new ConfigurationError('postgresStore needs { connectionString } (e.g. process.env.DATABASE_URL) or { pool }; neither was given.', [
      { path: ['connectionString'], code: 'missing', message: 'give a connection string or a pg.Pool' },
    ]);
  }
  const max = options.maxConnections ?? 10;
  if (!Number.isSafeInteger(max) || max < 1) {
    throw new ConfigurationError('postgresStore maxConnections must be a whole number of at least 1.', [
      { path: ['maxConnections'], code: 'invalid', message: 'a whole number of at least 1' },
    ]);
  }
  const pool = new pg.Pool({ connectionString: options.connectionString, max });
  // An idle connection the server dropped must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return sqlStore(pgDriver(pool, true, prepare), schema);
}
