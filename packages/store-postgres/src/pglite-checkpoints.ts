import type { PGlite } from '@electric-sql/pglite';

/**
 * Checkpoints for PGlite, which has none of its own.
 *
 * PostgreSQL's checkpointer is a background process; PGlite runs PostgreSQL as one process in
 * WebAssembly, so nothing checkpoints until someone runs `CHECKPOINT`. Until then the write-ahead
 * log keeps every write since the database opened — in `pg_wal` on a `dataDir`, in memory without
 * one — and a checkpoint only trims it back to about the distance between checkpoints (measured:
 * 185 MB kept after 700 000 small upserts, ~12 KB per tracked customer's lifecycle). A long-running
 * store would grow without bound. So every `checkEvery` statements this looks at the log's position,
 * and checkpoints once it has moved `afterBytes` since the last checkpoint: the log then stays near
 * `afterBytes` plus what PostgreSQL recycles (`min_wal_size`, 80 MB by default).
 *
 * The check is one small query per `checkEvery` statements; a checkpoint writes the dirty pages
 * (at most `afterBytes` of changes), holding PGlite's one connection while it does.
 */
export interface PgliteCheckpoints {
  /** Counts one statement; now and then starts a check (not awaited by the caller). */
  counted(): void;
  /** Waits for a check or checkpoint in flight (before the database closes). */
  settled(): Promise<void>;
}

export interface PgliteCheckpointOptions {
  /** Statements between two looks at the log's position. */
  readonly checkEvery: number;
  /** Log growth since the last checkpoint that starts the next one. */
  readonly afterBytes: number;
}

export const DEFAULT_PGLITE_CHECKPOINTS: PgliteCheckpointOptions = { checkEvery: 1_000, afterBytes: 32 * 1024 * 1024 };

export function pgliteCheckpoints(db: PGlite, options: PgliteCheckpointOptions = DEFAULT_PGLITE_CHECKPOINTS): PgliteCheckpoints {
  let statements = 0;
  /** The log position of the last checkpoint this process saw or made (bytes); read on the first check. */
  let checkpointedAt: number | undefined;
  let inFlight: Promise<void> | undefined;
  /** Set when the database refuses CHECKPOINT (a role without the right): not asked again. */
  let refused = false;

  async function check(): Promise<void> {
    if (db.closed) return;
    const [row] = (
      await db.query<{ current: string; checkpoint: string }>(
        'select pg_current_wal_lsn()::text as current, (select redo_lsn from pg_control_checkpoint())::text as checkpoint',
      )
    ).rows;
    if (row === undefined) return;
    const current = lsnBytes(row.current);
    // The server's own last checkpoint (at open, or made by someone else) counts as well as ours.
    checkpointedAt = Math.max(checkpointedAt ?? 0, lsnBytes(row.checkpoint));
    if (current - checkpointedAt < options.afterBytes || db.closed) return;
    try {
      await db.exec('checkpoint');
    } catch (error) {
      if ((error as { code?: unknown }).code === INSUFFICIENT_PRIVILEGE) refused = true;
      throw error;
    }
    checkpointedAt = current;
  }

  return {
    counted() {
      statements += 1;
      if (statements < options.checkEvery || inFlight !== undefined || refused) return;
      statements = 0;
      // A failed check (the database closing under it, say) is retried at the next count; the
      // statement that triggered it has already succeeded and must not fail for it.
      inFlight = check()
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
