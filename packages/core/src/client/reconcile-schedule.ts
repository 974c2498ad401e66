import type { CustomerStatus } from '../models/customer-status.js';

/** How long after the last check a customer in each status is due again; `undefined` never polls. */
export type ReconcileSchedule = Readonly<Record<CustomerStatus, number | undefined>>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Pending reviews are polled often (a webhook may be lost); settled customers
 * rarely, because some providers change them only in their back office
 * (clients-command rejects or closes without webhooks).
 */
export const DEFAULT_RECONCILE_SCHEDULE: ReconcileSchedule = {
  created: 24 * HOUR,
  pending: 5 * MINUTE,
  needs_info: HOUR,
  verified: HOUR,
  active: 24 * HOUR,
  rejected: 24 * HOUR,
  deactivated: undefined,
};
