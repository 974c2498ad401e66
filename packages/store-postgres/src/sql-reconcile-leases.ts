import type { ReconcileLeases } from '@openkyc/core';
import { customerFromRow } from './customer-rows.js';
import type { SqlQueryable } from './sql-driver.js';

/**
 * Reconcile leases in SQL (columns `reconcile_due_at` and `reconcile_lease_until`, migration 0004). One
 * statement claims: it picks due, unleased customers with `FOR UPDATE SKIP LOCKED` (instances claiming at
 * once skip each other's rows instead of waiting or taking them twice; a row whose lease was just set by
 * a committed claim is re-checked and left out), sets the lease by the database's clock (instances'
 * clocks may differ), and reads the claimed customers.
 */
export function sqlReconcileLeases(driver: SqlQueryable, s: string, ready: () => Promise<void>, selectCustomers: string): ReconcileLeases {
  return {
    async claimDue(claim) {
      await ready();
      if (claim.statuses.length === 0 || claim.limit <= 0) return [];
      const rows = await driver.query(
        `WITH due AS (
           SELECT id FROM ${s}.customers
            WHERE status = ANY($1::text[])
              AND ($3::boolean OR reconcile_due_at IS NULL OR reconcile_due_at <= $2::timestamptz)
              AND (reconcile_lease_until IS NULL OR reconcile_lease_until <= clock_timestamp())
            ORDER BY reconcile_due_at NULLS FIRST, position
            LIMIT $4::int
            FOR UPDATE SKIP LOCKED
         ), leased AS (
           UPDATE ${s}.customers c SET reconcile_lease_until = clock_timestamp() + $5::int * interval '1 millisecond'
             FROM due WHERE c.id = due.id
           RETURNING c.id
         )
         ${selectCustomers} WHERE c.id IN (SELECT id FROM leased)
         ORDER BY c.reconcile_due_at NULLS FIRST, c.position`,
        [claim.statuses, claim.dueAt, claim.all === true, claim.limit, Math.max(0, Math.round(claim.leaseMs))],
      );
      return rows.map(customerFromRow);
    },
    async releaseLeases(customerIds) {
      if (customerIds.length === 0) return;
      await ready();
      await driver.query(`UPDATE ${s}.customers SET reconcile_lease_until = NULL WHERE id = ANY($1::text[]) AND reconcile_lease_until IS NOT NULL`, [
        customerIds,
      ]);
    },
  };
}
