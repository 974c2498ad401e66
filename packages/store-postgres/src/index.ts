/**
 * `@openkyc/store-postgres`: durable stores for openkyc. `postgresStore` for
 * PostgreSQL (production, several instances), `pgliteStore` for an embedded
 * database in the process (one SQL, the same tables and statements).
 *
 * @packageDocumentation
 */

export { postgresStore } from './postgres-store.js';
export type { PostgresStoreOptions } from './postgres-store.js';
export { pgliteStore } from './pglite-store.js';
export type { PgliteStoreOptions } from './pglite-store.js';
export type { SqlStore, SqlStoreOptions } from './sql-store-types.js';
