import { MIGRATION_0001_INITIAL } from './0001-initial.js';
import { MIGRATION_0003_EVENT_LOG } from './0003-event-log.js';

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
  // Version 2 (schema normalisation) and 4 (webhook inbox) come from parallel work; versions apply in order.
  { version: 3, name: 'event-log', sql: MIGRATION_0003_EVENT_LOG },
];
