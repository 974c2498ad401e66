import { decideCommit, type CommitResult, type Customer, type KycEvent, type StoreCommit, type StoreListQuery } from '@openkyc/core';
import { attemptRows, CUSTOMER_COLUMNS, customerFromRow, customerRow, eventFromRow, eventRow } from './customer-rows.js';
import { migrate } from './migrate.js';
import { sqlEventLog } from './sql-event-log.js';
import { sqlStateOf, UNIQUE_VIOLATION, type SqlDriver } from './sql-driver.js';
import type { SqlStore } from './sql-store-types.js';
import { quoteIdentifier } from './schema-name.js';
import { sqlWebhookInbox } from './sql-inbox.js';
import { sqlReconcileLeases } from './sql-reconcile-leases.js';

/** Customers read per round trip while `list` iterates. */
const LIST_PAGE_SIZE = 200;

/**
 * The `CustomerStore` contract in SQL, the same for PostgreSQL and PGlite. A
 * commit is one statement (data-modifying CTEs, so one round trip and atomic
 * on its own): the version check sits in the UPDATE's WHERE, unique keys guard
 * references and dedupe keys. When it writes nothing, one more query reads the
 * stored side and core's `decideCommit` names the reason, so every store
 * answers with the same reasons in the same order.
 */
export function sqlStore(driver: SqlDriver, schema: string): SqlStore {
  const s = quoteIdentifier(schema);
  const statements = commitStatements(s);
  let migrated: Promise<void> | undefined;
  let closed: Promise<void> | undefined;

  const ready = (): Promise<void> => {
    if (closed !== undefined) return Promise.reject(new Error('This store is closed; create a new one.'));
    migrated ??= migrate(driver, schema).catch((error: unknown) => {
      migrated = undefined; // the next use tries again
      throw error;
    });
    return migrated;
  };
  const eventLog = sqlEventLog(driver, schema, ready);

  const readCustomer = async (where: string, params: readonly unknown[]): Promise<Customer | undefined> => {
    await ready();
    const rows = await driver.query(`${selectCustomers(s)} WHERE ${where} LIMIT 1`, params);
    return rows[0] === undefined ? undefined : customerFromRow(rows[0]);
  };

  return {
    ...sqlWebhookInbox(driver, s, ready),
    ...sqlReconcileLeases(driver, s, ready, selectCustomers(s)),
    ...eventLog,
    migrate: ready,
    async close() {
      closed ??= (async () => {
        await eventLog.close();
        await migrated?.catch(() => undefined);
        await driver.close();
      })();
      return closed;
    },
    get(customerId) {
      return readCustomer('c.id = $1', [customerId]);
    },
    findByReference(reference) {
      return readCustomer('c.reference = $1', [reference]);
    },
    findByProviderCustomerId(provider, providerCustomerId) {
      return readCustomer(
        `c.id = (SELECT id FROM ${s}.customers WHERE provider = $1 AND provider_customer_id = $2
                 UNION ALL
                 SELECT customer_id FROM ${s}.attempts WHERE provider = $1 AND provider_customer_id = $2
                 LIMIT 1)`,
        [provider, providerCustomerId],
      );
    },
    async hasProcessed(provider, dedupeKey) {
      await ready();
      const rows = await driver.query(`SELECT 1 FROM ${s}.processed_deliveries WHERE provider = $1 AND dedupe_key = $2`, [provider, dedupeKey]);
      return rows.length > 0;
    },
    async commit(change) {
      await ready();
      return commitChange(change);
    },
    async listEvents(customerId) {
      await ready();
      const rows = await driver.query(`SELECT * FROM ${s}.events WHERE customer_id = $1 ORDER BY position`, [customerId]);
      return rows.map(eventFromRow);
    },
    async *list(query: StoreListQuery = {}) {
      await ready();
      if (query.statuses !== undefined && query.statuses.length === 0) return;
      // Keyset pages in insertion order: stable, and commits during iteration do not shift it.
      let after = '0';
      for (;;) {
        const rows = await driver.query(
          `${selectCustomers(s)}
           WHERE c.position > $1::bigint AND ($2::text[] IS NULL OR c.status = ANY($2::text[])) AND ($3::text IS NULL OR c.provider = $3)
           ORDER BY c.position LIMIT ${LIST_PAGE_SIZE}`,
          [after, query.statuses ?? null, query.provider ?? null],
        );
        for (const row of rows) yield customerFromRow(row);
        if (rows.length < LIST_PAGE_SIZE) return;
        after = String(rows[rows.length - 1]!.position);
      }
    },
    async forget(customerId, forgottenAt) {
      await ready();
      await driver.query(
        `WITH forgotten AS (
           UPDATE ${s}.customers
              SET email = '', first_name = '', last_name = '', rejection = rejection - 'providerReason',
                  forgotten_at = $2::timestamptz, version = version + 1
            WHERE id = $1
           RETURNING id
         ), scrubbed AS (
           UPDATE ${s}.events e SET detail = e.detail #- '{rejection,providerReason}'
             FROM forgotten f
            WHERE e.customer_id = f.id AND e.detail ? 'rejection'
         )
         SELECT count(*) FROM forgotten`,
        [customerId, forgottenAt],
      );
      return readCustomer('c.id = $1', [customerId]);
    },
  };

  async function commitChange(change: StoreCommit): Promise<CommitResult> {
    const next = change.customer;
    const expected = change.expectedVersion ?? 0;
    // The version arithmetic needs no database.
    if (next !== undefined && next.version !== expected + 1) return decideCommit(change, { storedVersion: expected, referenceOwner: undefined, alreadyProcessed: false });
    try {
      const written = await runCommit(change, next, expected);
      if (written) return { ok: true };
    } catch (error) {
      if (sqlStateOf(error) !== UNIQUE_VIOLATION) throw error;
    }
    return whyNotWritten(change);
  }

  async function runCommit(change: StoreCommit, next: Customer | undefined, expected: number): Promise<boolean> {
    const dedupe = change.dedupe;
    if (next === undefined) {
      if (dedupe === undefined) return true;
      const rows = await driver.query(statements.deliveryOnly, [dedupe.provider, dedupe.key]);
      return rows.length > 0;
    }
    const events: KycEvent[] = [...(change.events ?? [])];
    const row = customerRow(next);
    row.reconcile_due_at = change.reconcileDueAt ?? null; // not a customer field: when reconcile next polls it
    const params = [
      next.id,
      JSON.stringify(row),
      expected,
      JSON.stringify(attemptRows(next)),
      JSON.stringify(events.map(eventRow)),
      dedupe?.provider ?? null,
      dedupe?.key ?? null,
    ];
    const rows = await driver.query<{ written: number }>(expected === 0 ? statements.insert : statements.update, params);
    return rows[0]?.written === 1;
  }

  /** Reads what the contract decides on, after a commit that wrote nothing. */
  async function whyNotWritten(change: StoreCommit): Promise<CommitResult> {
    const rows = await driver.query<{ stored_version: number | null; reference_owner: string | null; already_processed: boolean }>(
      `SELECT (SELECT version FROM ${s}.customers WHERE id = $1) AS stored_version,
              (SELECT id FROM ${s}.customers WHERE reference = $2) AS reference_owner,
              EXISTS (SELECT 1 FROM ${s}.processed_deliveries WHERE provider = $3 AND dedupe_key = $4) AS already_processed`,
      [change.customer?.id ?? null, change.customer?.reference ?? null, change.dedupe?.provider ?? null, change.dedupe?.key ?? null],
    );
    const stored = rows[0]!;
    const decision = decideCommit(change, {
      storedVersion: stored.stored_version ?? 0,
      referenceOwner: stored.reference_owner ?? undefined,
      alreadyProcessed: change.dedupe !== undefined && stored.already_processed,
    });
    // The stored side moved on since the write (another writer committed): the caller re-reads and re-applies.
    return decision.ok ? { ok: false, reason: 'version_conflict' } : decision;
  }
}

function selectCustomers(s: string): string {
  return `SELECT c.*,
     (SELECT coalesce(json_agg(json_build_object(
         'number', a.number, 'providerCustomerId', a.provider_customer_id, 'providerReference', a.provider_reference,
         'status', a.status, 'rawStatus', a.raw_status, 'startedAt', a.started_at) ORDER BY a.number), '[]'::json)
        FROM ${s}.attempts a WHERE a.customer_id = c.id) AS attempts
   FROM ${s}.customers c`;
}

/**
 * The commit statements. Parameters: $1 customer id, $2 customer row (jsonb), $3 expected version,
 * $4 attempt rows, $5 event rows, $6/$7 dedupe provider and key (NULL: none). Every write after
 * `changed` happens only when the customer row was written; a unique violation anywhere undoes all.
 */
function commitStatements(s: string) {
  const columns = CUSTOMER_COLUMNS.join(', ');
  const fromInput = CUSTOMER_COLUMNS.map((column) => `i.${column}`).join(', ');
  const setFromInput = CUSTOMER_COLUMNS.map((column) => `${column} = i.${column}`).join(', ');
  const attemptColumns = 'customer_id, number, provider, provider_customer_id, provider_reference, status, raw_status, started_at';
  const eventColumns = 'id, customer_id, type, reference, provider, provider_customer_id, from_status, to_status, at, occurred_at, source, detail';
  const rest = `
    attempts_in AS (SELECT * FROM jsonb_populate_recordset(NULL::${s}.attempts, $4::jsonb)),
    attempts_written AS (
      INSERT INTO ${s}.attempts (${attemptColumns})
      SELECT ${attemptColumns.split(', ').map((column) => `a.${column}`).join(', ')} FROM attempts_in a, changed
      ON CONFLICT (customer_id, number) DO UPDATE SET
        provider = excluded.provider, provider_customer_id = excluded.provider_customer_id,
        provider_reference = excluded.provider_reference, status = excluded.status,
        raw_status = excluded.raw_status, started_at = excluded.started_at
    ),
    attempts_dropped AS (
      DELETE FROM ${s}.attempts a USING changed
      WHERE a.customer_id = changed.id AND a.number NOT IN (SELECT number FROM attempts_in)
    ),
    events_added AS (
      INSERT INTO ${s}.events (${eventColumns})
      SELECT ${eventColumns.split(', ').map((column) => `e.${column}`).join(', ')}
        FROM changed, jsonb_populate_recordset(NULL::${s}.events, $5::jsonb) WITH ORDINALITY AS e
       ORDER BY e.ordinality
    ),
    delivery AS (
      INSERT INTO ${s}.processed_deliveries (provider, dedupe_key, customer_id)
      SELECT $6::text, $7::text, changed.id FROM changed WHERE $6::text IS NOT NULL
    )
    SELECT count(*)::int AS written FROM changed`;
  return {
    insert: `
    WITH i AS (SELECT * FROM jsonb_populate_record(NULL::${s}.customers, $2::jsonb)),
    changed AS (
      INSERT INTO ${s}.customers (id, ${columns})
      SELECT $1::text, ${fromInput} FROM i WHERE $3::int = 0
      ON CONFLICT (id) DO NOTHING
      RETURNING id
    ),${rest}`,
    update: `
    WITH i AS (SELECT * FROM jsonb_populate_record(NULL::${s}.customers, $2::jsonb)),
    changed AS (
      UPDATE ${s}.customers c SET ${setFromInput}
        FROM i
       WHERE c.id = $1::text AND c.version = $3::int
      RETURNING c.id
    ),${rest}`,
    deliveryOnly: `INSERT INTO ${s}.processed_deliveries (provider, dedupe_key) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
  };
}
