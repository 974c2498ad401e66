import type { ParkedDelivery, ProviderReport, WebhookInbox } from '@openkyc/core';
import type { SqlQueryable } from './sql-driver.js';

/**
 * The webhook inbox in SQL (table `webhook_inbox`, migration 0004): one row per parked delivery, keyed by
 * provider and dedupe key, so parking is idempotent across instances (`ON CONFLICT DO NOTHING`: exactly one
 * of several instances parking one delivery at once is told it parked it).
 */
export function sqlWebhookInbox(driver: SqlQueryable, s: string, ready: () => Promise<void>): WebhookInbox {
  const columns = 'provider, dedupe_key, provider_customer_id, occurred_at, received_at, report';
  return {
    async park(delivery) {
      await ready();
      const rows = await driver.query(
        `INSERT INTO ${s}.webhook_inbox (${columns}) VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz, $6::jsonb)
         ON CONFLICT (provider, dedupe_key) DO NOTHING RETURNING 1`,
        [
          delivery.provider,
          delivery.dedupeKey,
          delivery.report.providerCustomerId,
          delivery.occurredAt,
          delivery.receivedAt,
          JSON.stringify(delivery.report),
        ],
      );
      return rows.length > 0;
    },
    async listParked(provider, providerCustomerId) {
      await ready();
      const rows = await driver.query(
        `SELECT ${columns} FROM ${s}.webhook_inbox WHERE provider = $1 AND provider_customer_id = $2
         ORDER BY occurred_at, received_at, dedupe_key`,
        [provider, providerCustomerId],
      );
      return rows.map(parkedFromRow);
    },
    async listAllParked(query = {}) {
      await ready();
      const rows = await driver.query(
        `SELECT ${columns} FROM ${s}.webhook_inbox WHERE ($1::timestamptz IS NULL OR received_at < $1::timestamptz)
         ORDER BY received_at, dedupe_key LIMIT $2::bigint`,
        [query.receivedBefore ?? null, query.limit ?? null],
      );
      return rows.map(parkedFromRow);
    },
    async getParked(provider, dedupeKey) {
      await ready();
      const rows = await driver.query(`SELECT ${columns} FROM ${s}.webhook_inbox WHERE provider = $1 AND dedupe_key = $2`, [provider, dedupeKey]);
      return rows[0] === undefined ? undefined : parkedFromRow(rows[0]);
    },
    async unpark(provider, dedupeKey) {
      await ready();
      await driver.query(`DELETE FROM ${s}.webhook_inbox WHERE provider = $1 AND dedupe_key = $2`, [provider, dedupeKey]);
    },
  };
}

function parkedFromRow(row: Record<string, unknown>): ParkedDelivery {
  const report = (typeof row.report === 'string' ? JSON.parse(row.report) : row.report) as ProviderReport;
  return {
    provider: row.provider as string,
    dedupeKey: row.dedupe_key as string,
    report,
    occurredAt: isoOf(row.occurred_at),
    receivedAt: isoOf(row.received_at),
  };
}

function isoOf(value: unknown): string {
  return (value instanceof Date ? value : new Date(value as string)).toISOString();
}
