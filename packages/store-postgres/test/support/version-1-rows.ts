import type { Customer, KycEvent } from '@openkyc/core';
import { MIGRATION_0001_INITIAL } from '../../src/migrations/0001-initial.js';

/*
 * A database as @openkyc/store-postgres left it at schema version 1 (before
 * migration 0002): the tables of 0001 and rows written the way that version
 * wrote them (requirements, rejection and ignored reports as JSONB on the
 * customer, an event's type fields in `detail`). Kept here, frozen, so the
 * upgrade of such a database stays tested after the store moved on.
 */

/** What the test runs SQL through (a pg.Pool or a PGlite). */
export interface Sql {
  query(text: string, params?: unknown[]): Promise<unknown>;
  exec?(script: string): Promise<unknown>;
}

/** Creates `schema` at version 1, as `migrate()` of that version did. */
export async function migrateToVersion1(sql: Sql, schema: string): Promise<void> {
  const s = `"${schema}"`;
  await run(
    sql,
    `CREATE SCHEMA ${s};
     CREATE TABLE ${s}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
     ${MIGRATION_0001_INITIAL.replaceAll('{schema}', s)}
     INSERT INTO ${s}.schema_migrations (version, name) VALUES (1, 'initial');`,
  );
}

/** Writes a customer, its events and a processed delivery the way version 1 did. */
export async function writeVersion1(sql: Sql, schema: string, customer: Customer, events: readonly KycEvent[], dedupeKey?: string): Promise<void> {
  const s = `"${schema}"`;
  const row = customerRow(customer);
  const columns = Object.keys(row).join(', ');
  await sql.query(`INSERT INTO ${s}.customers (${columns}) SELECT ${columns} FROM jsonb_populate_record(NULL::${s}.customers, $1::jsonb)`, [JSON.stringify(row)]);
  for (const attempt of customer.attempts) {
    await sql.query(
      `INSERT INTO ${s}.attempts (customer_id, number, provider, provider_customer_id, provider_reference, status, raw_status, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [customer.id, attempt.number, customer.provider, attempt.providerCustomerId, attempt.providerReference, attempt.status, attempt.rawStatus, attempt.startedAt],
    );
  }
  for (const event of events) {
    await sql.query(
      `INSERT INTO ${s}.events (id, customer_id, type, reference, provider, provider_customer_id, from_status, to_status, at, occurred_at, source, detail)
       SELECT id, customer_id, type, reference, provider, provider_customer_id, from_status, to_status, at, occurred_at, source, detail
         FROM jsonb_populate_record(NULL::${s}.events, $1::jsonb)`,
      [JSON.stringify(eventRow(event))],
    );
  }
  if (dedupeKey !== undefined) {
    await sql.query(`INSERT INTO ${s}.processed_deliveries (provider, dedupe_key, customer_id) VALUES ($1, $2, $3)`, [customer.provider, dedupeKey, customer.id]);
  }
}

/** Version 1's customer row: every field in its snake_case column, requirements / rejection / ignored as JSON. */
function customerRow(customer: Customer): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(customer)) {
    if (key !== 'attempts') row[key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)] = value;
  }
  return row;
}

/** Version 1's event row: the common fields in columns, the type's own fields in `detail`. */
function eventRow(event: KycEvent): Record<string, unknown> {
  const { id, type, customerId, reference, provider, providerCustomerId, from, to, at, occurredAt, source, ...detail } = event;
  return {
    id,
    type,
    customer_id: customerId,
    reference,
    provider,
    provider_customer_id: providerCustomerId,
    from_status: from,
    to_status: to,
    at,
    occurred_at: occurredAt ?? null,
    source,
    detail,
  };
}

async function run(sql: Sql, script: string): Promise<void> {
  if (sql.exec !== undefined) await sql.exec(script);
  else await sql.query(script);
}
