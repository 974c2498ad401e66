import type { LoggedEvent } from '@openkyc/core';
import { storedCustomer, storedEvent } from '@openkyc/testkit';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { postgresStore, type SqlStore } from '../src/index.js';
import { dropSchema, freshSchema } from './support/schemas.js';

/**
 * The event log's known trap, staged deterministically on real PostgreSQL: a transaction takes a position
 * and commits after a later position was committed and read. A reader of `position > cursor` (or a
 * position-ordered read filtered below the snapshot's xmin) passes the late event for good; the log's
 * (transaction id, position) order below the oldest running transaction must not.
 */
const url = inject('postgresUrl');
let schema: string;
let store: SqlStore;
let late: pg.Client;

beforeEach(async () => {
  schema = freshSchema('eventlog');
  store = postgresStore({ connectionString: url, schema });
  await store.migrate();
  late = new pg.Client({ connectionString: url });
  await late.connect();
});
afterEach(async () => {
  await late.end();
  await store.close();
  await dropSchema(url, schema);
});

describe('event log order on PostgreSQL', () => {
  it('does not pass an event whose transaction took an earlier position and commits later', async () => {
    const a = storedCustomer('a', { provider: 'p' });
    const b = storedCustomer('b', { provider: 'p' });
    await store.commit({ customer: a, expectedVersion: 0, events: [storedEvent(a, 1)] });
    const first = await readAll('');
    expect(first.map((logged) => logged.event.id)).toEqual(['evt_cus_a_1']);

    // An open transaction takes the next position for a's second event and does not commit yet.
    await late.query('BEGIN');
    await late.query(copyEventSql(await eventColumns()), ['evt_cus_a_2', 'evt_cus_a_1']);
    // Meanwhile b's event is committed with a later position.
    await store.commit({ customer: b, expectedVersion: 0, events: [storedEvent(b, 1)] });
    const positions = await late.query<{ id: string; position: string }>(`SELECT id, position::text FROM "${schema}".events ORDER BY position`);
    expect(positions.rows.map((row) => row.id)).toEqual(['evt_cus_a_1', 'evt_cus_a_2', 'evt_cus_b_1']);

    // b's event is committed, but it is held back behind the running transaction: nothing is passed.
    const whileOpen = await store.readEventLog(first[0]!.cursor, 100);
    expect(whileOpen).toEqual({ events: [], pending: true });

    await late.query('COMMIT');
    const after = await readAll(first[0]!.cursor);
    expect(after.map((logged) => logged.event.id)).toEqual(['evt_cus_a_2', 'evt_cus_b_1']);
  });

  it('delivers a rolled-back transaction\'s events never, and the ones around it once', async () => {
    const a = storedCustomer('a', { provider: 'p' });
    await store.commit({ customer: a, expectedVersion: 0, events: [storedEvent(a, 1)] });
    await late.query('BEGIN');
    await late.query(copyEventSql(await eventColumns()), ['evt_cus_a_ghost', 'evt_cus_a_1']);
    const b = storedCustomer('b', { provider: 'p' });
    await store.commit({ customer: b, expectedVersion: 0, events: [storedEvent(b, 1)] });
    expect((await readAll('')).map((logged) => logged.event.id)).toEqual(['evt_cus_a_1']);
    await late.query('ROLLBACK');
    expect((await readAll('')).map((logged) => logged.event.id)).toEqual(['evt_cus_a_1', 'evt_cus_b_1']);
  });
});

async function readAll(after: string): Promise<LoggedEvent[]> {
  const all: LoggedEvent[] = [];
  let cursor = after;
  for (;;) {
    const page = await store.readEventLog(cursor, 2);
    all.push(...page.events);
    if (page.events.length < 2) return all;
    cursor = page.events.at(-1)!.cursor;
  }
}

/** The events table's columns a copy takes over (whatever migrations added), without the generated ones. */
async function eventColumns(): Promise<string[]> {
  const rows = await late.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'events' AND column_name NOT IN ('position', 'tx_id', 'id') ORDER BY ordinal_position`,
    [schema],
  );
  return rows.rows.map((row) => row.column_name);
}

/** Inserts a copy of event $2 under id $1, in the open transaction. */
function copyEventSql(columns: readonly string[]): string {
  return `INSERT INTO "${schema}".events (id, ${columns.join(', ')}) SELECT $1, ${columns.join(', ')} FROM "${schema}".events WHERE id = $2`;
}


