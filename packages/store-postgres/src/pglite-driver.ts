import { PGlite } from '@electric-sql/pglite';
import { DEFAULT_PGLITE_CHECKPOINTS, pgliteCheckpoints, type PgliteCheckpointOptions } from './pglite-checkpoints.js';
import { preparedStatements } from './pglite-prepared.js';
import { quoteChannel, type SqlDriver } from './sql-driver.js';

/**
 * PGlite (Postgres compiled to WebAssembly, in this process) behind the store's
 * query interface. One connection: PGlite runs one statement at a time, and its
 * transactions hold it exclusively. `release` runs after the database is closed
 * (the data directory lock); a database the caller passed in is not closed.
 * PGlite has no checkpointer of its own: the driver checkpoints as its log grows
 * (`pglite-checkpoints.ts`), on a database the caller passed in as well.
 */
export function pgliteDriver(
  db: PGlite,
  release: () => void,
  ownsDatabase: boolean,
  checkpointOptions: PgliteCheckpointOptions = DEFAULT_PGLITE_CHECKPOINTS,
): SqlDriver {
  let closed: Promise<void> | undefined;
  const prepared = preparedStatements(db);
  const checkpoints = pgliteCheckpoints(db, checkpointOptions);
  return {
    async query<Row>(text: string, params: readonly unknown[] = []) {
      const rows = params.length > 0 ? ((await prepared(text, params)) as Row[]) : (await db.query<Row>(text)).rows;
      checkpoints.counted();
      return rows;
    },
    async exec(script) {
      await db.exec(script);
    },
    async transaction(work) {
      checkpoints.counted();
      return db.transaction((tx) =>
        work({
          async query<Row>(text: string, params: readonly unknown[] = []) {
            return (await tx.query<Row>(text, params as unknown[])).rows;
          },
          async exec(script) {
            await tx.exec(script);
          },
        }),
      );
    },
    async listen(channel, onNotify) {
      // PGlite runs in this process: the listener lives as long as the database.
      const stop = await db.listen(quoteChannel(channel), () => onNotify());
      return async () => {
        if (!db.closed) await stop();
      };
    },
    close() {
      closed ??= checkpoints
        .settled()
        .then(() => (ownsDatabase ? db.close() : undefined))
        .finally(release);
      return closed;
    },
  };
}
