import type { AuditEntry, AuditTrail } from '@openkyc/core';
import type { SqlQueryable } from './sql-driver.js';

/** The audit trail in SQL (table `audit_entries`, migration 0005): one row per entry, read newest first. */
export function sqlAuditTrail(driver: SqlQueryable, s: string, ready: () => Promise<void>): AuditTrail {
  return {
    async appendAuditEntry(entry) {
      await ready();
      await driver.query(
        `INSERT INTO ${s}.audit_entries (at, actor, action, customer_id, target, outcome, error_code, detail)
         VALUES ($1::timestamptz, $2, $3, $4, $5, $6, $7, $8)`,
        [entry.at, entry.actor ?? null, entry.action, entry.customerId ?? null, entry.target ?? null, entry.outcome, entry.errorCode ?? null, entry.detail ?? null],
      );
    },
    async listAuditEntries(query = {}) {
      await ready();
      const limit = query.limit ?? DEFAULT_AUDIT_LIMIT;
      const rows =
        query.customerId === undefined
          ? await driver.query(`SELECT * FROM ${s}.audit_entries ORDER BY at DESC, position DESC LIMIT $1::bigint`, [limit])
          : await driver.query(`SELECT * FROM ${s}.audit_entries WHERE customer_id = $1 ORDER BY at DESC, position DESC LIMIT $2::bigint`, [
              query.customerId,
              limit,
            ]);
      return rows.map(entryFromRow);
    },
  };
}

/** `AuditQuery.limit`'s documented default. */
const DEFAULT_AUDIT_LIMIT = 100;

function entryFromRow(row: Record<string, unknown>): AuditEntry {
  const optional = (column: string, field: keyof AuditEntry) => (row[column] === null || row[column] === undefined ? {} : { [field]: row[column] as string });
  return {
    at: (row.at instanceof Date ? row.at : new Date(row.at as string)).toISOString(),
    ...optional('actor', 'actor'),
    action: row.action as string,
    ...optional('customer_id', 'customerId'),
    ...optional('target', 'target'),
    outcome: row.outcome as AuditEntry['outcome'],
    ...optional('error_code', 'errorCode'),
    ...optional('detail', 'detail'),
  };
}
