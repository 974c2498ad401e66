import { parseJsonBody, type SimulatorRequest } from './simulator-server.js';

/** One request as a simulator received it (before faults or handlers ran). */
export interface RecordedRequest {
  /** 1, 2, 3… in arrival order across every server sharing the log. */
  readonly id: number;
  /** `'api'`, `'storage'`, or whatever name the server was started with. */
  readonly server: string;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** First value of each query parameter. */
  readonly query: Readonly<Record<string, string>>;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body. */
  readonly body: Buffer;
  /** The body parsed as JSON, when it is JSON; absent otherwise. */
  readonly json?: unknown;
  /** Arrival time by the log's clock (the simulator clock for simulators). */
  readonly at: Date;
}

export type RecordedRequestPredicate = (request: RecordedRequest) => boolean;

/** The requests a simulator received, for tests to assert on. */
export interface RequestLog {
  /** Records one request (the server pipeline calls this before faults and handlers). */
  record(request: SimulatorRequest): RecordedRequest;
  /** Every request so far, oldest first (a copy: safe to keep). */
  requests(): RecordedRequest[];
  /** Forgets every request recorded so far. */
  clearRequests(): void;
  /** First request matching the predicate. */
  find(predicate: RecordedRequestPredicate): RecordedRequest | undefined;
  /** Every request matching the predicate, oldest first. */
  filter(predicate: RecordedRequestPredicate): RecordedRequest[];
}

/** Options of `createRequestLog`. */
export interface CreateRequestLogOptions {
  /** Timestamp source; pass the simulator clock so `at` lines up with simulated time. */
  readonly now?: () => Date;
}

/**
 * Shared log for all servers of one simulator, so a test can assert on the exact
 * sequence of calls an adapter made (e.g. "token, create, files, PUT, attach").
 */
export function createRequestLog(options: CreateRequestLogOptions = {}): RequestLog {
  const now = options.now ?? (() => new Date());
  let entries: RecordedRequest[] = [];
  let nextId = 1;

  return {
    record(request) {
      const parsed = parseJsonBody(request.body);
      const entry: RecordedRequest = {
        id: nextId++,
        server: request.server,
        method: request.method,
        path: request.path,
        query: { ...request.query },
        headers: { ...request.headers },
        body: request.body,
        ...(parsed.ok && parsed.value !== undefined ? { json: parsed.value } : {}),
        at: now(),
      };
      entries.push(entry);
      return entry;
    },
    requests: () => [...entries],
    clearRequests() {
      entries = [];
    },
    find: (predicate) => entries.find(predicate),
    filter: (predicate) => entries.filter(predicate),
  };
}
