import pg from 'pg';
import type { SqlDriver, SqlQueryable } from './sql-driver.js';

/**
 * node-postgres behind the store's query interface. A pool the caller passed in
 * stays theirs: `close()` ends only a pool this driver created.
 */
export function pgDriver(pool: pg.Pool, ownsPool: boolean): SqlDriver {
  return {
    async query<Row>(text: string, params: readonly unknown[] = []) {
      const result = await pool.query(text, params as unknown[]);
      return result.rows as Row[];
    },
    async exec(script) {
      await pool.query(script);
    },
    async transaction(work) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await work(clientQueryable(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A connection that cannot even roll back is not given back to the pool.
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async close() {
      if (ownsPool) await pool.end();
    },
  };
}

function clientQueryable(client: pg.PoolClient): SqlQueryable {
  return {
    async query<Row>(text: string, params: readonly unknown[] = []) {
      const result = await client.query(text, params as unknown[]);
      return result.rows as Row[];
    },
    async exec(script) {
      await client.query(script);
    },
  };
}
