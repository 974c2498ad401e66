import { PGlite } from '@electric-sql/pglite';
import { preparedStatements } from './pglite-prepared.js';
import { quoteChannel, type SqlDriver } from './sql-driver.js';

/**
 * PGlite (Postgres compiled to WebAssembly, in this process) behind the store's
 * query interface. One connection: PGlite runs one statement at a time, and its
 * transactions hold it exclusively. `release` runs after the database is closed
 * (the data directory lock); a database the caller passed in is not closed.
 */
export function pgliteDriver(db: PGlite, release: () => void, ownsDatabase: boolean): SqlDriver {
  let closed: Promise<void> | undefined;
  const prepared = preparedStatements(db);
  return {
    async query<Row>(text: string, params: readonly unknown[] = []) {
      if (params.length > 0) return (await prepared(text, params)) as Row[];
      const result = await db.query<Row>(text);
      return result.rows;
    },
    async exec(script) {
      await db.exec(script);
    },
    async transaction(work) {
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
      closed ??= (ownsDatabase ? db.close() : Promise.resolve()).finally(release);
      return closed;
    },
  };
}
