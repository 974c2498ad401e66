import type { CustomerStore } from '@openkyc/core';

/** A durable `CustomerStore`: the contract plus schema migration and shutdown. */
export interface SqlStore extends CustomerStore {
  /**
   * Creates or upgrades the tables (versioned migrations, each applied once, in order, under a Postgres
   * advisory lock so several instances starting at once are safe). Idempotent; the first use of the store
   * runs it too.
   */
  migrate(): Promise<void>;
  /** Closes the connections (or the embedded database) the store opened; a pool you passed in stays open. */
  close(): Promise<void>;
}

/** Options both SQL stores take. */
export interface SqlStoreOptions {
  /**
   * The Postgres schema the tables live in, created by `migrate()` if missing (default `openkyc`). Lowercase
   * letters, digits and `_`, starting with a letter or `_`.
   */
  readonly schema?: string;
}
