import { createHash } from 'node:crypto';
import pg from 'pg';
import { quoteChannel, type SqlDriver, type SqlQueryable } from './sql-driver.js';

/**
 * node-postgres behind the store's query interface. A pool the caller passed in
 * stays theirs: `close()` ends only a pool this driver created.
 */
export function pgDriver(pool: pg.Pool, ownsPool: boolean, prepare: boolean): SqlDriver {
  const names = new Map<string, string>();
  /**
   * A statement with parameters is prepared once per connection (named), so the server plans it once.
   * It goes to the pool as a `pg.Query` built from its text: a config object would be copied
   * property by property on every call (`cloneQueryConfig`, ~1.5 µs, as much as the rest of a
   * duplicate webhook's lookup).
   */
  const statement = (text: string, params: readonly unknown[]): pg.Query | string => {
    if (!prepare || params.length === 0) return text;
    let name = names.get(text);
    if (name === undefined) {
      name = `openkyc_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
      names.set(text, name);
    }
    return new NamedQuery(name, text, params);
  };
  return {
    async query<Row>(text: string, params: readonly unknown[] = []) {
      const query = statement(text, params);
      const result = typeof query === 'string' ? await pool.query(query, params as unknown[]) : await (pool.query(query) as unknown as Promise<pg.QueryResult>);
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
    async listen(channel, onNotify, onLost) {
      // One connection of the pool, held while listening: LISTEN belongs to a session.
      const client = await pool.connect();
      let broken = false;
      const onNotification = (message: pg.Notification) => {
        if (message.channel === channel) onNotify();
      };
      const onError = () => {
        if (broken) return;
        broken = true;
        onLost();
      };
      client.on('notification', onNotification);
      client.on('error', onError);
      try {
        await client.query(`LISTEN ${quoteChannel(channel)}`);
      } catch (error) {
        client.off('notification', onNotification);
        client.release(true);
        throw error;
      }
      return async () => {
        client.off('notification', onNotification);
        if (!broken) await client.query(`UNLISTEN ${quoteChannel(channel)}`).catch(() => (broken = true));
        client.off('error', onError);
        client.release(broken);
      };
    },
    async close() {
      if (ownsPool) await pool.end();
    },
  };
}

/** A named (prepared) statement whose config is not copied: pg copies only object configs, not text. */
class NamedQuery extends pg.Query {
  /** Read by pg when it submits the query (not in its type declarations). */
  declare name: string;
  constructor(name: string, text: string, values: readonly unknown[]) {
    super(text, values as unknown[]);
    this.name = name;
  }
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
