import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { ConfigurationError } from '@openkyc/core';
import { lockDataDir } from './data-dir-lock.js';
import { assertSchemaName } from './schema-name.js';
import { pgliteDriver } from './pglite-driver.js';
import { sqlStore } from './sql-store.js';
import type { SqlStore, SqlStoreOptions } from './sql-store-types.js';

/** Options of `pgliteStore`. */
export interface PgliteStoreOptions extends SqlStoreOptions {
  /**
   * The directory the database lives in (created if missing); absent: in memory, gone when the process
   * ends. A data directory belongs to one process: a second one opening it gets a `ConfigurationError`.
   */
  readonly dataDir?: string;
  /**
   * An open PGlite database to use instead of opening one (e.g. one your application shares). It stays
   * yours: `close()` leaves it open, and no data directory lock is taken. Not together with `dataDir`.
   */
  readonly pglite?: PGlite;
}

/**
 * The embedded store: PostgreSQL compiled to WebAssembly (PGlite), in this
 * process, with the same tables and statements as `postgresStore`. Durable on
 * a `dataDir`, no server to run; for one process. Move to `postgresStore`
 * when several instances share state.
 *
 * ```ts
 * const store = pgliteStore({ dataDir: './.openkyc' });
 * ```
 */
export function pgliteStore(options: PgliteStoreOptions = {}): SqlStore {
  const schema = assertSchemaName(options.schema ?? 'openkyc');
  if (options.pglite !== undefined) {
    if (options.dataDir !== undefined) {
      throw new ConfigurationError('pgliteStore takes { dataDir } or { pglite }, not both: an open PGlite already has its directory.', [
        { path: ['dataDir'], code: 'conflicting_options', message: 'not together with pglite' },
      ]);
    }
    return sqlStore(pgliteDriver(options.pglite, () => undefined, false), schema);
  }
  const release = options.dataDir === undefined ? () => undefined : lockDataDir(options.dataDir);
  let db: PGlite;
  try {
    db = options.dataDir === undefined ? new PGlite(pgliteSettings()) : new PGlite(options.dataDir, pgliteSettings());
  } catch (error) {
    release();
    throw error;
  }
  return sqlStore(pgliteDriver(db, release, true), schema);
}

/**
 * The log a database this store opens keeps between checkpoints (which the driver runs every 32 MB of
 * log: PGlite has no checkpointer, see pglite-maintenance.ts): recycled segments up to two of 16 MB
 * instead of PostgreSQL's default 80 MB, in memory without a `dataDir`.
 */
function pgliteSettings(): PGliteOptions {
  return { postgresqlconf: ['min_wal_size = 32MB', 'max_wal_size = 64MB'] };
}

