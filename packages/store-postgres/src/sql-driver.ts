/**
 * The one small query interface both engines sit behind, so node-postgres and
 * PGlite run the same migrations and the same statements. Parameters are
 * positional (`$1`); JSON values are passed as text and cast in SQL (`$1::jsonb`).
 */
export interface SqlQueryable {
  /** Runs one statement with parameters and returns its rows. */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

/** A connection source: statements, transactions on one connection, and shutdown. */
export interface SqlDriver extends SqlQueryable {
  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /**
   * Listens for notifications on `channel` (LISTEN) and calls `onNotify` for each; `onLost` when the
   * listening connection failed (nothing more will come). Resolves to a function that stops listening.
   */
  listen(channel: string, onNotify: () => void, onLost: () => void): Promise<() => Promise<void>>;
  /** Releases the connections (or the embedded database) this driver owns. */
  close(): Promise<void>;
}

/** SQLSTATE of a unique-constraint violation. */
export const UNIQUE_VIOLATION = '23505';

/** The SQLSTATE of a database error from either engine, if it is one. */
export function sqlStateOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** A LISTEN/NOTIFY channel name as a quoted identifier. */
export function quoteChannel(channel: string): string {
  return `"${channel.replaceAll('"', '""')}"`;
}
