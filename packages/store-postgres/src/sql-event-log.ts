import { ValidationError, type ConsumerStatus, type DeadLetter, type EventLog, type EventLogCursor } from '@openkyc/core';
import { eventFromRow } from './customer-rows.js';
import { eventRequirementsLateral } from './event-requirements-sql.js';
import type { SqlDriver } from './sql-driver.js';
import { quoteIdentifier } from './schema-name.js';

/** How long to wait before listening again after the listening connection was lost. */
const RELISTEN_DELAY_MS = 1_000;

/**
 * The event log (`EventLog` of core) in SQL, the same for PostgreSQL and PGlite (migration 0003).
 *
 * Order: a cursor is (transaction id, position), and `readEventLog` reads in that order and only rows whose
 * transaction is older than the oldest one still running (`pg_snapshot_xmin`). Every transaction below that
 * horizon has ended, so no row can appear behind a cursor that was handed out; filtering a position-ordered
 * read instead would still skip (a later position of an old transaction is read, then an earlier position
 * commits). A customer's commits are serialized by the version check (the later one locks the row after the
 * earlier committed, so it has the higher transaction id): its events come in commit order. The cost: an
 * event is readable once every transaction that began before it ended, so a long-running writing
 * transaction in the same database delays consumers (never loses events).
 *
 * Leases and checkpoints use the database clock; every write of a holder is fenced by the `fence` its claim
 * got, and the checkpoint only moves forwards.
 */
export function sqlEventLog(driver: SqlDriver, schema: string, ready: () => Promise<void>): EventLog & { close(): Promise<void> } {
  const s = quoteIdentifier(schema);
  const channel = `${schema}.events`;
  const listeners = new Set<() => void>();
  let listening: Promise<(() => Promise<void>) | undefined> | undefined;
  let relisten: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const startListening = (): void => {
    if (closed || listening !== undefined || listeners.size === 0) return;
    const notify = () => listeners.forEach((listener) => listener());
    const lost = () => {
      listening = undefined;
      notify(); // something may have been missed meanwhile
      relisten ??= setTimeout(() => {
        relisten = undefined;
        startListening();
      }, RELISTEN_DELAY_MS);
    };
    listening = ready()
      .then(() => driver.listen(channel, notify, lost))
      .catch(() => {
        // Polling still delivers; listening is tried again later.
        lost();
        return undefined;
      });
  };
  const stopListening = async (): Promise<void> => {
    if (relisten !== undefined) clearTimeout(relisten);
    relisten = undefined;
    const stop = await listening;
    listening = undefined;
    await stop?.().catch(() => undefined);
  };

  return {
    async readEventLog(after, limit) {
      await ready();
      const [tx, position] = parseCursor(after);
      // One round trip: the page, and whether committed events wait above the horizon (behind an older,
      // still running transaction; the reader should look again soon). Both from one snapshot.
      const rows = await driver.query(
        `WITH horizon AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
              page AS (
                SELECT e.*, er.*, e.tx_id::text AS log_tx, e.position::text AS log_position
                  FROM ${s}.events e
                  ${eventRequirementsLateral(s, 'e')}
                 WHERE (e.tx_id, e.position) > ($1::xid8, $2::bigint) AND e.tx_id < (SELECT xmin FROM horizon)
                 ORDER BY e.tx_id, e.position
                 LIMIT $3)
         SELECT page.*, w.log_pending
           FROM (SELECT coalesce((SELECT tx_id FROM ${s}.events ORDER BY tx_id DESC LIMIT 1) >= (SELECT xmin FROM horizon), false) AS log_pending) w
           LEFT JOIN page ON true
          ORDER BY page.tx_id, page.position`,
        [tx, position, Math.max(0, limit)],
      );
      const events = rows
        .filter((row) => row.log_tx !== null && row.log_tx !== undefined)
        .map((row) => ({ cursor: `${String(row.log_tx)}:${String(row.log_position)}`, event: eventFromRow(row) }));
      return { events, pending: rows[0]?.log_pending === true };
    },
    async claimConsumer({ name, holder, leaseMs, from }) {
      await ready();
      const rows = await driver.query<{ fence: string; cursor_tx: string; cursor_position: string }>(
        `INSERT INTO ${s}.consumers AS c (name, cursor_tx, cursor_position, fence, holder, lease_until)
         SELECT $1::text,
                CASE WHEN $4::text = 'now' THEN pg_snapshot_xmin(pg_current_snapshot()) ELSE '0'::xid8 END,
                0, 1, $2::text, now() + $3::int * interval '1 millisecond'
         ON CONFLICT (name) DO UPDATE SET fence = c.fence + 1, holder = excluded.holder, lease_until = excluded.lease_until
          WHERE c.lease_until <= now() OR c.holder = excluded.holder
         RETURNING c.fence::text AS fence, c.cursor_tx::text AS cursor_tx, c.cursor_position::text AS cursor_position`,
        [name, holder, leaseMs, from],
      );
      const row = rows[0];
      return row === undefined ? undefined : { fence: Number(row.fence), cursor: `${row.cursor_tx}:${row.cursor_position}` };
    },
    async renewConsumer(name, fence, leaseMs) {
      await ready();
      const rows = await driver.query(
        `UPDATE ${s}.consumers SET lease_until = now() + $3::int * interval '1 millisecond' WHERE name = $1 AND fence = $2 RETURNING 1`,
        [name, fence, leaseMs],
      );
      return rows.length > 0;
    },
    async releaseConsumer(name, fence) {
      await ready();
      await driver.query(`UPDATE ${s}.consumers SET lease_until = now() - interval '1 millisecond' WHERE name = $1 AND fence = $2`, [name, fence]);
    },
    async saveCheckpoint(name, fence, cursor) {
      await ready();
      const [tx, position] = parseCursor(cursor);
      const rows = await driver.query(
        `UPDATE ${s}.consumers
            SET cursor_tx = CASE WHEN ($3::xid8, $4::bigint) > (cursor_tx, cursor_position) THEN $3::xid8 ELSE cursor_tx END,
                cursor_position = CASE WHEN ($3::xid8, $4::bigint) > (cursor_tx, cursor_position) THEN $4::bigint ELSE cursor_position END,
                checkpointed_at = now()
          WHERE name = $1 AND fence = $2
         RETURNING 1`,
        [name, fence, tx, position],
      );
      return rows.length > 0;
    },
    async addDeadLetter(name, fence, letter) {
      await ready();
      const [tx, position] = parseCursor(letter.cursor);
      const rows = await driver.query(
        `INSERT INTO ${s}.dead_letters AS d
                (consumer, event_id, customer_id, cursor_tx, cursor_position, error_code, error_message, attempts, failed_at)
         SELECT $1::text, $3::text, $4::text, $5::xid8, $6::bigint, $7::text, $8::text, $9::int, $10::timestamptz
           FROM ${s}.consumers WHERE name = $1 AND fence = $2
         ON CONFLICT (consumer, event_id) DO UPDATE SET
           error_code = excluded.error_code, error_message = excluded.error_message, attempts = excluded.attempts,
           failed_at = excluded.failed_at, retry_requested = false
         RETURNING 1`,
        [name, fence, letter.eventId, letter.customerId, tx, position, letter.errorCode, letter.errorMessage, letter.attempts, letter.failedAt],
      );
      return rows.length > 0;
    },
    async removeDeadLetter(name, fence, eventId) {
      await ready();
      const rows = await driver.query<{ holds: number }>(
        `WITH holds AS (SELECT 1 FROM ${s}.consumers WHERE name = $1 AND fence = $2),
              removed AS (DELETE FROM ${s}.dead_letters WHERE consumer = $1 AND event_id = $3 AND EXISTS (SELECT 1 FROM holds))
         SELECT count(*)::int AS holds FROM holds`,
        [name, fence, eventId],
      );
      return rows[0]?.holds === 1;
    },
    async listDeadLetters(name) {
      await ready();
      const rows = await driver.query(
        `SELECT d.event_id, d.customer_id, d.cursor_tx::text AS log_tx, d.cursor_position::text AS log_position,
                d.error_code, d.error_message, d.attempts, d.failed_at, d.retry_requested, to_jsonb(e) || to_jsonb(er) AS event_row
           FROM ${s}.dead_letters d JOIN ${s}.events e ON e.position = d.cursor_position
           ${eventRequirementsLateral(s, 'e')}
          WHERE d.consumer = $1
          ORDER BY d.cursor_tx, d.cursor_position`,
        [name],
      );
      return rows.map(
        (row): DeadLetter => ({
          eventId: String(row.event_id),
          customerId: String(row.customer_id),
          cursor: `${String(row.log_tx)}:${String(row.log_position)}`,
          errorCode: String(row.error_code),
          errorMessage: String(row.error_message),
          attempts: Number(row.attempts),
          failedAt: (row.failed_at instanceof Date ? row.failed_at : new Date(String(row.failed_at))).toISOString(),
          retryRequested: row.retry_requested === true,
          event: eventFromRow(jsonRow(row.event_row)),
        }),
      );
    },
    async listConsumers() {
      await ready();
      // Lag counts every committed event after the checkpoint, also those still above the read horizon.
      const rows = await driver.query(
        `SELECT c.name, c.holder, c.lease_until, c.lease_until > now() AS leased,
                c.cursor_tx::text AS cursor_tx, c.cursor_position::text AS cursor_position,
                (SELECT count(*) FROM ${s}.events e WHERE (e.tx_id, e.position) > (c.cursor_tx, c.cursor_position))::int AS lag,
                (SELECT count(*) FROM ${s}.dead_letters d WHERE d.consumer = c.name)::int AS dead_letters
           FROM ${s}.consumers c
          ORDER BY c.name`,
      );
      return rows.map(
        (row): ConsumerStatus => ({
          name: String(row.name),
          holder: String(row.holder),
          leaseUntil: (row.lease_until instanceof Date ? row.lease_until : new Date(String(row.lease_until))).toISOString(),
          leased: row.leased === true,
          cursor: `${String(row.cursor_tx)}:${String(row.cursor_position)}`,
          lag: Number(row.lag),
          deadLetters: Number(row.dead_letters),
        }),
      );
    },
    async requestDeadLetterRetry(name, eventId) {
      await ready();
      const rows = await driver.query(`UPDATE ${s}.dead_letters SET retry_requested = true WHERE consumer = $1 AND event_id = $2 RETURNING 1`, [name, eventId]);
      return rows.length > 0;
    },
    watchEventLog(onAppend) {
      const listener = () => onAppend();
      listeners.add(listener);
      startListening();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) void stopListening();
      };
    },
    async close() {
      closed = true;
      listeners.clear();
      await stopListening();
    },
  };
}

/** `'tx:position'` → its two numbers as text (bound as xid8 and bigint); `''` is before everything. */
function parseCursor(cursor: EventLogCursor): [string, string] {
  if (cursor === '') return ['0', '0'];
  const match = /^(\d{1,20}):(\d{1,19})$/.exec(cursor);
  if (match === null) {
    throw new ValidationError([
      { path: ['cursor'], code: 'unknown_cursor', message: "not a cursor of this store's event log; pass back a cursor it answered" },
    ]);
  }
  return [match[1]!, match[2]!];
}

/** `to_jsonb(row)` arrives parsed from both drivers, or as text. */
function jsonRow(value: unknown): Record<string, unknown> {
  return (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>;
}
