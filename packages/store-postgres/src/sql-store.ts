import { decideCommit, type CommitResult, type Customer, type StoreCommit, type StoreListQuery } from '@openkyc/core';
import { childListCache } from './child-list-cache.js';
import {
  attemptArrays,
  CUSTOMER_COLUMNS,
  customerFromRow,
  customerValues,
  EVENT_COLUMNS,
  eventArrays,
  eventFromRow,
  eventRequirementArrays,
  ignoredArrays,
  requirementArrays,
} from './customer-rows.js';
import { migrate } from './migrate.js';
import { sqlStateOf, UNIQUE_VIOLATION, type SqlDriver } from './sql-driver.js';
import type { SqlStore } from './sql-store-types.js';
import { quoteIdentifier } from './schema-name.js';

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
  const queries = readStatements(s);
  const lists = childListCache();
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

  const readCustomer = async (statement: string, params: readonly unknown[]): Promise<Customer | undefined> => {
    await ready();
    const rows = await driver.query(statement, params);
    if (rows[0] === undefined) return undefined;
    const customer = customerFromRow(rows[0]);
    lists.remember(customer);
    return customer;
  };

  return {
    migrate: ready,
    async close() {
      closed ??= (async () => {
        await migrated?.catch(() => undefined);
        await driver.close();
      })();
      return closed;
    },
    get(customerId) {
      return readCustomer(queries.byId, [customerId]);
    },
    findByReference(reference) {
      return readCustomer(queries.byReference, [reference]);
    },
    findByProviderCustomerId(provider, providerCustomerId) {
      return readCustomer(queries.byProviderRecord, [provider, providerCustomerId]);
    },
    async hasProcessed(provider, dedupeKey) {
      await ready();
      const rows = await driver.query(queries.processed, [provider, dedupeKey]);
      return rows.length > 0;
    },
    async commit(change) {
      await ready();
      return commitChange(change);
    },
    async listEvents(customerId) {
      await ready();
      const rows = await driver.query(queries.events, [customerId]);
      return rows.map(eventFromRow);
    },
    async *list(query: StoreListQuery = {}) {
      await ready();
      if (query.statuses !== undefined && query.statuses.length === 0) return;
      let after = '0';
      for (;;) {
        const rows = await driver.query(queries.page, [after, query.statuses ?? null, query.provider ?? null]);
        for (const row of rows) yield customerFromRow(row);
        if (rows.length < LIST_PAGE_SIZE) return;
        after = String(rows[rows.length - 1]!.position);
      }
    },
    async forget(customerId, forgottenAt) {
      await ready();
      await driver.query(queries.forget, [customerId, forgottenAt]);
      return readCustomer(queries.byId, [customerId]);
    },
  };

  async function commitChange(change: StoreCommit): Promise<CommitResult> {
    const next = change.customer;
    const expected = change.expectedVersion ?? 0;
    // The version arithmetic needs no database.
    if (next !== undefined && next.version !== expected + 1) return decideCommit(change, { storedVersion: expected, referenceOwner: undefined, alreadyProcessed: false });
    try {
      const written = await runCommit(change, next, expected);
      if (written) {
        if (next !== undefined) lists.remember(next);
        return { ok: true };
      }
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
    const events = change.events ?? [];
    const writes = lists.writesFor(next, expected);
    const params = [
      next.id,
      expected,
      ...customerValues(next),
      writes.attempts,
      ...attemptArrays(writes.attempts ? next.attempts : []),
      writes.requirements,
      ...requirementArrays(writes.requirements ? next.requirements : []),
      writes.ignored,
      ...ignoredArrays(writes.ignored ? next.ignored : []),
      ...eventArrays(events),
      ...eventRequirementArrays(events),
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

/** The read statements and the erasure, built once per store. */
function readStatements(s: string) {
  return {
    byId: `${selectCustomers(s)} WHERE c.id = $1`,
    byReference: `${selectCustomers(s)} WHERE c.reference = $1`,
    byProviderRecord: `${selectCustomers(s)}
      WHERE c.id = (SELECT id FROM ${s}.customers WHERE provider = $1 AND provider_customer_id = $2
                    UNION ALL
                    SELECT customer_id FROM ${s}.attempts WHERE provider = $1 AND provider_customer_id = $2
                    LIMIT 1)`,
    processed: `SELECT 1 FROM ${s}.processed_deliveries WHERE provider = $1 AND dedupe_key = $2`,
    events: `${selectEvents(s)} WHERE e.customer_id = $1 ORDER BY e.position`,
    // Keyset pages in insertion order: stable, and commits during iteration do not shift it.
    page: `${selectCustomers(s)}
      WHERE c.position > $1::bigint AND ($2::text[] IS NULL OR c.status = ANY($2::text[])) AND ($3::text IS NULL OR c.provider = $3)
      ORDER BY c.position LIMIT ${LIST_PAGE_SIZE}`,
    // Every place personal data or provider free text can live: the names and email, and the provider's
    // rejection reason on the customer and on its events. Every other column is an id, a status, a
    // normalized code or message, or a time.
    forget: `WITH forgotten AS (
        UPDATE ${s}.customers
           SET email = '', first_name = '', last_name = '', rejection_provider_reason = NULL,
               forgotten_at = $2::timestamptz, version = version + 1
         WHERE id = $1
        RETURNING id
      ), scrubbed AS (
        UPDATE ${s}.events e SET rejection_provider_reason = NULL
          FROM forgotten f
         WHERE e.customer_id = f.id AND e.rejection_provider_reason IS NOT NULL
      )
      SELECT count(*)::int AS forgotten FROM forgotten`,
  };
}

/** Customers with their child lists aggregated as arrays (one row each; `customerFromRow` reads it). */
function selectCustomers(s: string): string {
  return `SELECT c.*, a.*, r.*, g.*
   FROM ${s}.customers c
   CROSS JOIN LATERAL (
     SELECT array_agg(number ORDER BY number) AS attempt_numbers,
            array_agg(provider_customer_id ORDER BY number) AS attempt_provider_customer_ids,
            array_agg(provider_reference ORDER BY number) AS attempt_provider_references,
            array_agg(status ORDER BY number) AS attempt_statuses,
            array_agg(raw_status ORDER BY number) AS attempt_raw_statuses,
            array_agg(started_at ORDER BY number) AS attempt_started_ats
       FROM ${s}.attempts WHERE customer_id = c.id) a
   CROSS JOIN LATERAL (${requirementsOf(`${s}.customer_requirements`, 'customer_id = c.id')}) r
   CROSS JOIN LATERAL (
     SELECT array_agg(at ORDER BY number) AS ignored_ats,
            array_agg(source ORDER BY number) AS ignored_sources,
            array_agg(status ORDER BY number) AS ignored_statuses,
            array_agg(raw_status ORDER BY number) AS ignored_raw_statuses,
            array_agg(occurred_at ORDER BY number) AS ignored_occurred_ats,
            array_agg(reason ORDER BY number) AS ignored_reasons
       FROM ${s}.ignored_reports WHERE customer_id = c.id) g`;
}

/** Events with a needs_info event's requirements aggregated as arrays (`eventFromRow` reads it). */
function selectEvents(s: string): string {
  return `SELECT e.*, r.*
   FROM ${s}.events e
   CROSS JOIN LATERAL (${requirementsOf(`${s}.event_requirements`, 'event_position = e.position')}) r`;
}

function requirementsOf(table: string, where: string): string {
  return `SELECT array_agg(kind ORDER BY number) AS requirement_kinds,
            array_agg(name ORDER BY number) AS requirement_names,
            array_agg(message ORDER BY number) AS requirement_messages,
            array_agg(provider_code ORDER BY number) AS requirement_provider_codes
       FROM ${table} WHERE ${where}`;
}

/**
 * The commit statements, built once per store. Parameters, in the order `runCommit` passes them: customer
 * id, expected version, the customer's columns; per child table a "rewrite it" flag and its columns as
 * arrays; the events' columns as arrays; the needs_info events' requirements as arrays (keyed by event id);
 * the dedupe provider and key (NULL: none). Every write after `changed` happens only when the customer row
 * was written; a unique violation anywhere undoes all.
 */
function commitStatements(s: string) {
  let count = 0;
  const param = (type: string): string => `$${++count}::${type}`;
  const id = param('text');
  const expected = param('integer');
  const customer = CUSTOMER_COLUMNS.map(([column, type]) => ({ column, value: param(type) }));
  const provider = customer.find(({ column }) => column === 'provider')!.value;
  const childTable = (table: string, columns: readonly (readonly [string, string])[], numbered: 'given' | 'ordinal') => {
    const write = param('boolean');
    const arrays = columns.map(([column, type]) => ({ column, value: param(`${type}[]`) }));
    const names = arrays.map(({ column }) => column);
    const number = numbered === 'given' ? names[0]! : 'number';
    const kept = numbered === 'given' ? `<> ALL(${arrays[0]!.value})` : `> cardinality(${arrays[0]!.value})`;
    const inserted = numbered === 'given' ? names : [...names, 'number'];
    const extraColumns = table === 'attempts' ? ['provider'] : [];
    return `
    ${table}_dropped AS (
      DELETE FROM ${s}.${table} t USING changed
       WHERE ${write} AND t.customer_id = changed.id AND t.number ${kept}
    ),
    ${table}_written AS (
      INSERT INTO ${s}.${table} (customer_id, ${[...extraColumns, ...inserted].join(', ')})
      SELECT changed.id, ${[...(table === 'attempts' ? [provider] : []), ...inserted.map((name) => `x.${name}`)].join(', ')}
        FROM changed, unnest(${arrays.map(({ value }) => value).join(', ')})${numbered === 'ordinal' ? ' WITH ORDINALITY' : ''} AS x(${inserted.join(', ')})
       WHERE ${write}
      ON CONFLICT (customer_id, ${number}) DO UPDATE SET ${[...extraColumns, ...inserted]
        .filter((name) => name !== number)
        .map((name) => `${name} = excluded.${name}`)
        .join(', ')}
    ),`;
  };
  const attempts = childTable(
    'attempts',
    [
      ['number', 'integer'],
      ['provider_customer_id', 'text'],
      ['provider_reference', 'text'],
      ['status', 'text'],
      ['raw_status', 'text'],
      ['started_at', 'timestamptz'],
    ],
    'given',
  );
  const requirementColumns = [
    ['kind', 'text'],
    ['name', 'text'],
    ['message', 'text'],
    ['provider_code', 'text'],
  ] as const;
  const requirements = childTable('customer_requirements', requirementColumns, 'ordinal');
  const ignored = childTable(
    'ignored_reports',
    [
      ['at', 'timestamptz'],
      ['source', 'text'],
      ['status', 'text'],
      ['raw_status', 'text'],
      ['occurred_at', 'timestamptz'],
      ['reason', 'text'],
    ],
    'ordinal',
  );
  const events = EVENT_COLUMNS.map(([column, type]) => ({ column, value: param(`${type}[]`) }));
  const eventNames = events.map(({ column }) => column);
  const eventRequirements = [['event_id', 'text'] as const, ...requirementColumns].map(([column, type]) => ({ column, value: param(`${type}[]`) }));
  const dedupeProvider = param('text');
  const dedupeKey = param('text');
  const rest = `${attempts}${requirements}${ignored}
    events_added AS (
      INSERT INTO ${s}.events (customer_id, ${eventNames.join(', ')})
      SELECT changed.id, ${eventNames.map((name) => `x.${name}`).join(', ')}
        FROM changed, unnest(${events.map(({ value }) => value).join(', ')}) WITH ORDINALITY AS x(${eventNames.join(', ')}, ordinal)
       ORDER BY x.ordinal
      RETURNING position, id
    ),
    event_requirements_added AS (
      INSERT INTO ${s}.event_requirements (event_position, number, kind, name, message, provider_code)
      SELECT e.position, row_number() OVER (PARTITION BY e.position ORDER BY x.ordinal), x.kind, x.name, x.message, x.provider_code
        FROM unnest(${eventRequirements.map(({ value }) => value).join(', ')}) WITH ORDINALITY AS x(event_id, kind, name, message, provider_code, ordinal)
        JOIN events_added e ON e.id = x.event_id
    ),
    delivery AS (
      INSERT INTO ${s}.processed_deliveries (provider, dedupe_key, customer_id)
      SELECT ${dedupeProvider}, ${dedupeKey}, changed.id FROM changed WHERE ${dedupeProvider} IS NOT NULL
    )
    SELECT count(*)::int AS written FROM changed`;
  return {
    insert: `
    WITH changed AS (
      INSERT INTO ${s}.customers (id, ${customer.map(({ column }) => column).join(', ')})
      SELECT ${id}, ${customer.map(({ value }) => value).join(', ')} WHERE ${expected} = 0
      ON CONFLICT (id) DO NOTHING
      RETURNING id
    ),${rest}`,
    update: `
    WITH changed AS (
      UPDATE ${s}.customers SET ${customer.map(({ column, value }) => `${column} = ${value}`).join(', ')}
       WHERE id = ${id} AND version = ${expected}
      RETURNING id
    ),${rest}`,
    deliveryOnly: `INSERT INTO ${s}.processed_deliveries (provider, dedupe_key) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
  };
}
