import { PGlite } from '@electric-sql/pglite';
import { DEFAULT_PGLITE_MAINTENANCE, pgliteMaintenance, type PgliteMaintenanceOptions } from './pglite-maintenance.js';
import { preparedStatements } from './pglite-prepared.js';
import { quoteChannel, type SqlDriver } from './sql-driver.js';

/**
 * PGlite (Postgres compiled to WebAssembly, in this process) behind the store's
 * query interface. One connection: PGlite runs one statement at a time, and its
 * transactions hold it exclusively. `release` runs after the database is closed
 * (the data directory lock); a database the caller passed in is not closed.
 * PGlite has no checkpointer and no autovacuum: the driver vacuums and checkpoints
 * as its log grows (`pglite-maintenance.ts`), on a database the caller passed in as well.
 */
export function pgliteDriver(
  db: PGlite,
  release: () => void,
  ownsDatabase: boolean,
  maintenanceOptions: PgliteMaintenanceOptions = DEFAULT_PGLITE_MAINTENANCE,
): SqlDriver {
  let closed: Promise<void> | undefined;
  const prepared = preparedStatements(db);
  const maintenance = pgliteMaintenance(db, maintenanceOptions);
  return {
    async query<Row>(text: string, params: readonly unknown[] = []) {
      const rows = params.length > 0 ? ((await prepared(text, params)) as Row[]) : (await db.query<Row>(text)).rows;
      maintenance.counted();
      return rows;
    },
    async exec(script) {
      await db.exec(script);
    },
    async transaction(work) {
      maintenance.counted();
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
      closed ??= maintenance
        .settled()
        .then(() => (ownsDatabase ? db.close() : undefined))
        .finally(release);
      return closed;
    },
  };
}
