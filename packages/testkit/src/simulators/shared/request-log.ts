import type { ContractViolationDetails } from './simulator-contract.js';
import { parseJsonBody, type SimulatorRequest } from './simulator-http.js';

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

/** A request the provider's contract does not document (see `StartSimulatorServerOptions.contract`). */
export interface ContractViolation {
  /** The `id` of the recorded request. */
  readonly requestId: number;
  /** The server that received it. */
  readonly server: string;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** The path as requested, without the query string. */
  readonly path: string;
  /** Method and path template in the contract's notation: `GET /v1/clients/{clientId}/addresses`. */
  readonly route: string;
  /** Why the contract does not allow it. */
  readonly reason: string;
}

/** The requests a simulator received, for tests to assert on. */
export interface RequestLog {
  /** Records one request (the server pipeline calls this before faults and handlers). */
  record(request: SimulatorRequest): RecordedRequest;
  /** Every request so far, oldest first (a copy: safe to keep). */
  requests(): RecordedRequest[];
  /** Forgets every request (and contract violation) recorded so far. */
  clearRequests(): void;
  /** Records that a recorded request is not in the provider's contract (the server pipeline calls this). */
  recordViolation(request: RecordedRequest, details: ContractViolationDetails): ContractViolation;
  /** Every contract violation so far, oldest first (a copy). */
  violations(): ContractViolation[];
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
 * sequence of calls an adapter made (e.g. "token, create, files, PUT, attach"),
 * and on the calls its provider's contract does not document (`violations()`).
 */
export function createRequestLog(options: CreateRequestLogOptions = {}): RequestLog {
  const now = options.now ?? (() => new Date());
  let entries: RecordedRequest[] = [];
  let violations: ContractViolation[] = [];
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
      violations = [];
    },
    recordViolation(request, details) {
      const violation: ContractViolation = {
        requestId: request.id,
        server: request.server,
        method: request.method,
        path: request.path,
        route: details.route,
        reason: details.reason,
      };
      violations.push(violation);
      return violation;
    },
    violations: () => [...violations],
    find: (predicate) => entries.find(predicate),
    filter: (predicate) => entries.filter(predicate),
  };
}
