import { MIGRATION_0001_INITIAL } from './0001-initial.js';
import { MIGRATION_0002_TYPED_COLUMNS } from './0002-typed-columns.js';
import { MIGRATION_0003_EVENT_LOG } from './0003-event-log.js';
import { MIGRATION_0004_INBOX_AND_RECONCILE_LEASES } from './0004-inbox-and-reconcile-leases.js';
import { MIGRATION_0005_AUDIT_AND_DELIVERY_INDEX } from './0005-audit-and-delivery-index.js';
import { MIGRATION_0006_CUSTOMER_BY_RECORD_FUNCTION } from './0006-customer-by-record-function.js';
import { MIGRATION_0007_EVENT_PROVIDER_STATUS } from './0007-event-provider-status.js';

/** One schema change; applied once, in `version` order, recorded in the migrations table. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** SQL with `{schema}` for the quoted schema name. */
  readonly sql: string;
}

/** Every migration, oldest first. Append only: an applied migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: MIGRATION_0001_INITIAL },
  { version: 2, name: 'typed-columns', sql: MIGRATION_0002_TYPED_COLUMNS },
  { version: 3, name: 'event_log', sql: MIGRATION_0003_EVENT_LOG },
  { version: 4, name: 'inbox_and_reconcile_leases', sql: MIGRATION_0004_INBOX_AND_RECONCILE_LEASES },
  { version: 5, name: 'audit_and_delivery_index', sql: MIGRATION_0005_AUDIT_AND_DELIVERY_INDEX },
  { version: 6, name: 'customer_by_record_function', sql: MIGRATION_0006_CUSTOMER_BY_RECORD_FUNCTION },
  { version: 7, name: 'event_provider_status', sql: MIGRATION_0007_EVENT_PROVIDER_STATUS },
];
