import type { PGlite } from '@electric-sql/pglite';

/**
 * The upkeep PostgreSQL's background processes do, for PGlite, which has none of them.
 *
 * PGlite runs PostgreSQL as one process in WebAssembly: no checkpointer and no autovacuum (`SHOW
 * autovacuum` says `on`, but nothing runs it, and `pg_stat_user_tables` stays at zero). Without them:
 * - the write-ahead log keeps every write since the database opened — in `pg_wal` on a `dataDir`,
 *   in memory without one — and a checkpoint only trims it back to about the distance between
 *   checkpoints (measured: 185 MB kept after 700 000 small upserts);
 * - every update leaves its old row version and index entries behind (measured: a 2 000-row table
 *   with an indexed status grew ~780 KB per 20 000 updates, ~200 KB once vacuumed), no statistics are
 *   gathered, and rows are never frozen, so transaction-id wraparound protection would one day stop
 *   writes.
 *
 * So every `checkEvery` statements this looks at the log's position, and once it has moved `afterBytes`
 * since the last checkpoint it runs `VACUUM (ANALYZE)` and then `CHECKPOINT`: the log stays near
 * `afterBytes` plus what PostgreSQL recycles (`min_wal_size`), and dead rows are reclaimed about as
 * often as autovacuum would on a busy table. The look is one small query per `checkEvery` statements;
 * the upkeep holds PGlite's one connection while it runs (its cost grows with the changes since the
 * last one, and with the size of the indexes of tables that had any).
 */
export interface PgliteMaintenance {
  /** Counts one statement; now and then starts a look at the log (not awaited by the caller). */
  counted(): void;
  /** Waits for a look or upkeep in flight (before the database closes). */
  settled(): Promise<void>;
}

export interface PgliteMaintenanceOptions {
  /** Statements between two looks at the log's position. */
  readonly checkEvery: number;
  /** Log growth since the last checkpoint that starts the next upkeep. */
  readonly afterBytes: number;
}

export const DEFAULT_PGLITE_MAINTENANCE: PgliteMaintenanceOptions = { checkEvery: 1_000, afterBytes: 32 * 1024 * 1024 };

export function pgliteMaintenance(db: PGlite, options: PgliteMaintenanceOptions = DEFAULT_PGLITE_MAINTENANCE): PgliteMaintenance {
  let statements = 0;
  let inFlight: Promise<void> | undefined;
  /** Set when the database refuses CHECKPOINT (a role without the right): no upkeep is asked again. */
  let refused = false;

  async function look(): Promise<void> {
    if (db.closed) return;
    const [row] = (
      await db.query<{ current: string; checkpoint: string }>(
        'select pg_current_wal_lsn()::text as current, (select redo_lsn from pg_control_checkpoint())::text as checkpoint',
      )
    ).rows;
    // Measured from the server's last checkpoint, whoever made it (ours, one at open, the application's).
    if (row === undefined || lsnBytes(row.current) - lsnBytes(row.checkpoint) < options.afterBytes || db.closed) return;
    // Tables the role does not own are skipped with a warning, not an error.
    await db.exec('vacuum (analyze)');
    try {
      await db.exec('checkpoint');
    } catch (error) {
      if ((error as { code?: unknown }).code === INSUFFICIENT_PRIVILEGE) refused = true;
      throw error;
    }
  }

  return {
    counted() {
      statements += 1;
      if (statements < options.checkEvery || inFlight !== undefined || refused) return;
      statements = 0;
      // A failed look (the database closing under it, say) is tried again at the next count; the
      // statement that triggered it has already succeeded and must not fail for it.
      inFlight = look()
        .catch(() => undefined)
        .finally(() => {
          inFlight = undefined;
        });
    },
    async settled() {
      await inFlight;
    },
  };
}

/** SQLSTATE: the role may not run CHECKPOINT (PostgreSQL 15+ needs superuser or pg_checkpoint). */
const INSUFFICIENT_PRIVILEGE = '42501';

/** A log sequence number (`16/B374D848`) as a byte position. Exact below 2^53 bytes (8 PiB). */
export function lsnBytes(lsn: string): number {
  const slash = lsn.indexOf('/');
  return Number.parseInt(lsn.slice(0, slash), 16) * 2 ** 32 + Number.parseInt(lsn.slice(slash + 1), 16);
}
