import { MIGRATION_0001_INITIAL } from './0001-initial.js';
import { MIGRATION_0002_TYPED_COLUMNS } from './0002-typed-columns.js';

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
];
