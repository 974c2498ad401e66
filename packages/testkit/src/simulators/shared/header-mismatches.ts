import type { SimulatorRequest } from './simulator-server.js';

/**
 * A request a simulator refused because a header its provider's contract
 * requires was missing or did not carry the configured value: the tenant, the
 * credentials, a content type the contract fixes. The simulator still answers
 * as the real provider would (401, 400, 403, 415…); this record is what lets a
 * test say which header was wrong. The header's value is never kept: it may be
 * a credential.
 */
export interface HeaderMismatch {
  /** The server that received the request (`'api'`, `'storage'`). */
  readonly server: string;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** The path as requested, without the query string. */
  readonly path: string;
  /** The header's name, lower case. */
  readonly header: string;
  /** What was wrong with it, e.g. `missing` or `does not match the configured tenant`. */
  readonly reason: string;
}

/** The header mismatches one simulator recorded, oldest first. */
export interface HeaderMismatchLog {
  /** Records that `request` was refused over `header` (its value is not kept). */
  record(request: Pick<SimulatorRequest, 'server' | 'method' | 'path'>, header: string, reason: string): void;
  /** Every mismatch so far, oldest first (a copy). */
  mismatches(): HeaderMismatch[];
  /** Forgets every mismatch recorded so far. */
  clear(): void;
}

/** Creates an empty {@link HeaderMismatchLog}. */
export function createHeaderMismatchLog(): HeaderMismatchLog {
  let entries: HeaderMismatch[] = [];
  return {
    record(request, header, reason) {
      entries.push({ server: request.server, method: request.method, path: request.path, header: header.toLowerCase(), reason });
    },
    mismatches: () => [...entries],
    clear() {
      entries = [];
    },
  };
}
