import { decideCommit, type CommitResult, type Customer, type StoreCommit, type StoreListQuery } from '@openkyc/core';
import { childListCache, type ChildListWrites } from './child-list-cache.js';
import { commitStatement, shapeKey, type CommitShape } from './commit-statement.js';
import {
  attemptArrays,
  customerFromRow,
  customerValues,
  eventFromRow,
  eventRequirementValues,
  eventValues,
  ignoredArrays,
  requirementArrays,
} from './customer-rows.js';
import { eventRequirementsLateral } from './event-requirements-sql.js';
import { migrate } from './migrate.js';
import { sqlEventLog } from './sql-event-log.js';
import { sqlStateOf, UNIQUE_VIOLATION, type SqlDriver } from './sql-driver.js';
import type { SqlStore } from './sql-store-types.js';
import { quoteIdentifier } from './schema-name.js';
import { sqlWebhookInbox } from './sql-inbox.js';
import { sqlReconcileLeases } from './sql-reconcile-leases.js';
import { sqlAuditTrail } from './sql-audit-trail.js';

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
  const commitStatements = new Map<string, string>();
  const queries = readStatements(s);
  const lists = childListCache();
  let migrated: Promise<void> | undefined;
  /** Set once the migrations ran: the hot paths then skip awaiting `ready()` (a microtask per call). */
  let isMigrated = false;
  let closed: Promise<void> | undefined;

  const ready = (): Promise<void> => {
    if (closed !== undefined) return Promise.reject(new Error('This store is closed; create a new one.'));
    migrated ??= migrate(driver, schema).then(
      () => {
        isMigrated = true;
      },
      (error: unknown) => {
        migrated = undefined; // the next use tries again
        throw error;
      },
    );
    return migrated;
  };
  const eventLog = sqlEventLog(driver, schema, ready);

  const readCustomer = async (statement: string, params: readonly unknown[]): Promise<Customer | undefined> => {
    await ready();
    const rows = await driver.query(statement, params);
    if (rows[0] === undefined) return undefined;
    const customer = customerFromRow(rows[0]);
    lists.remember(customer);
    return customer;
  };

  return {
    ...sqlWebhookInbox(driver, s, ready),
    ...sqlReconcileLeases(driver, s, ready, selectCustomers(s)),
    ...sqlAuditTrail(driver, s, ready),
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
    async lookupDelivery(provider, dedupeKey, providerCustomerId) {
      if (!isMigrated || closed !== undefined) await ready();
      // `true` (processed), null (no customer) or the customer's row as JSON; PGlite may hand JSON over as text.
      const [row] = await driver.query<{ lookup: Record<string, unknown> | boolean | string | null }>(queries.delivery, [provider, dedupeKey, providerCustomerId]);
      const lookup = typeof row!.lookup === 'string' ? (JSON.parse(row!.lookup) as Record<string, unknown> | boolean | null) : row!.lookup;
      if (lookup === true) return { processed: true };
      if (lookup === null || typeof lookup !== 'object') return { processed: false, customer: undefined };
      const customer = customerFromRow(lookup);
      lists.remember(customer);
      return { processed: false, customer };
    },
    async commit(change) {
      if (!isMigrated || closed !== undefined) await ready();
      return commitChange(change);
    },
    async listEvents(customerId) {
      await ready();
      const rows = await driver.query(queries.events, [customerId]);
      return rows.map(eventFromRow);
    },
    async listDeliveries(customerId) {
      await ready();
      const rows = await driver.query<{ provider: string; dedupe_key: string; processed_at: Date | string }>(queries.deliveries, [customerId]);
      return rows.map((row) => ({
        provider: row.provider,
        dedupeKey: row.dedupe_key,
        customerId,
        processedAt: (row.processed_at instanceof Date ? row.processed_at : new Date(row.processed_at)).toISOString(),
      }));
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
      const rows = await driver.query(queries.deliveryOnly, [dedupe.provider, dedupe.key]);
      return rows.length > 0;
    }
    const events = change.events ?? [];
    // A new customer has no child rows yet: only its non-empty lists are written.
    const writes: ChildListWrites =
      expected === 0
        ? { attempts: next.attempts.length > 0 && 'upsert', requirements: next.requirements.length > 0 && 'upsert', ignored: next.ignored.length > 0 && 'upsert' }
        : lists.writesFor(next, expected);
    const eventRequirements = eventRequirementValues(events);
    const shape: CommitShape = {
      insert: expected === 0,
      ...writes,
      events: events.length,
      eventRequirements: eventRequirements.length,
      dedupe: dedupe !== undefined,
    };
    // reconcile_due_at is not a customer field: when reconcile next polls it (core computes it per commit).
    const params = [next.id, expected, ...customerValues(next), change.reconcileDueAt ?? null];
    if (writes.attempts) params.push(...attemptArrays(next.attempts));
    if (writes.requirements) params.push(...requirementArrays(next.requirements));
    if (writes.ignored) params.push(...ignoredArrays(next.ignored));
    for (const event of events) params.push(...eventValues(event));
    for (const requirement of eventRequirements) params.push(...requirement);
    if (dedupe !== undefined) params.push(dedupe.provider, dedupe.key);
    const rows = await driver.query<{ written: number }>(statementFor(shape), params);
    return rows[0]?.written === 1;
  }

  /** The statement for a commit of this shape, built on first use. */
  function statementFor(shape: CommitShape): string {
    const key = shapeKey(shape);
    let statement = commitStatements.get(key);
    if (statement === undefined) commitStatements.set(key, (statement = commitStatement(s, shape)));
    return statement;
  }

  /** Reads what the contract decides on, after a commit that wrote nothing. */
  async function whyNotWritten(change: StoreCommit): Promise<CommitResult> {
    const rows = await driver.query<{ stored_version: number | null; reference_owner: string | null; already_processed: boolean }>(
      queries.storedSide,
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
    byProviderRecord: `${selectCustomers(s)} WHERE ${byProviderRecord(s, '$1', '$2')}`,
    // The customer read (a PL/pgSQL function, migration 6) sits in a CASE arm, evaluated only when the key is
    // not processed: a duplicate costs one indexed probe, not the start-up of the read's plan. One column:
    // `true` (processed), SQL NULL (no customer) or the customer as one JSON value.
    delivery: `SELECT CASE WHEN EXISTS (SELECT 1 FROM ${s}.processed_deliveries WHERE provider = $1::text AND dedupe_key = $2::text)
                      THEN 'true'::json ELSE ${s}.customer_by_record($1::text, $3::text) END AS lookup`,
    processed: `SELECT 1 FROM ${s}.processed_deliveries WHERE provider = $1 AND dedupe_key = $2`,
    storedSide: `SELECT (SELECT version FROM ${s}.customers WHERE id = $1::text) AS stored_version,
              (SELECT id FROM ${s}.customers WHERE reference = $2::text) AS reference_owner,
              EXISTS (SELECT 1 FROM ${s}.processed_deliveries WHERE provider = $3::text AND dedupe_key = $4::text) AS already_processed`,
    deliveryOnly: `INSERT INTO ${s}.processed_deliveries (provider, dedupe_key) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
    events: `${selectEvents(s)} WHERE e.customer_id = $1 ORDER BY e.position`,
    deliveries: `SELECT provider, dedupe_key, processed_at FROM ${s}.processed_deliveries WHERE customer_id = $1 ORDER BY processed_at, provider, dedupe_key`,
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

/** The customer with this provider record: the current one, or an earlier attempt's. */
function byProviderRecord(s: string, provider: string, providerCustomerId: string): string {
  return `c.id = (SELECT id FROM ${s}.customers WHERE provider = ${provider} AND provider_customer_id = ${providerCustomerId}
                  UNION ALL
                  SELECT customer_id FROM ${s}.attempts WHERE provider = ${provider} AND provider_customer_id = ${providerCustomerId}
                  LIMIT 1)`;
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
  return `SELECT e.*, er.*
   FROM ${s}.events e
   ${eventRequirementsLateral(s, 'e')}`;
}

function requirementsOf(table: string, where: string): string {
  return `SELECT array_agg(kind ORDER BY number) AS requirement_kinds,
            array_agg(name ORDER BY number) AS requirement_names,
            array_agg(message ORDER BY number) AS requirement_messages,
            array_agg(provider_code ORDER BY number) AS requirement_provider_codes
       FROM ${table} WHERE ${where}`;
}
