import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FaultAction, FaultInjector, InjectedFaultResponse } from './fault-injection.js';
import type { RequestLog } from './request-log.js';
import { contractOf } from './simulator-contract.js';

/**
 * A fully-read incoming request. Handlers get the whole body as a Buffer up
 * front: simulators need the raw bytes (uploads, signatures) and never stream.
 */
export interface SimulatorRequest {
  /** Name of the server that received it (`'api'`, `'storage'`, …). */
  readonly server: string;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Path without the query string, e.g. `/v1/customers/ckcust_1`. */
  readonly path: string;
  /** First value of each query parameter; use `searchParams` for repeated keys. */
  readonly query: Readonly<Record<string, string>>;
  /** Every query parameter, repeated keys included. */
  readonly searchParams: URLSearchParams;
  /** Lower-case header names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** The whole raw body. */
  readonly body: Buffer;
  /** `:name` segments captured by the router (empty outside the router). */
  readonly params: Readonly<Record<string, string>>;
}

/** What a handler returns. */
export interface SimulatorResponse {
  /** The HTTP status. */
  readonly status: number;
  /** Response headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The body, if any (`content-length` is set for you). */
  readonly body?: string | Uint8Array;
}

/** Answers one request of a simulator server. */
export type SimulatorHandler = (request: SimulatorRequest) => SimulatorResponse | Promise<SimulatorResponse>;

/** Options of `startSimulatorServer`. */
export interface StartSimulatorServerOptions {
  /** Tags the request log entries and fault matching (`'api'`, `'storage'`). */
  readonly name: string;
  /** Answers every request (usually a `createRouter(...)`). */
  readonly handler: SimulatorHandler;
  /** When given, every request is recorded before faults or the handler run. */
  readonly requestLog?: RequestLog;
  /** When given, matching faults replace (or delay) the normal handler, or its answer (`afterProcessing`). */
  readonly faults?: FaultInjector;
  /**
   * The routes the provider's contract documents for this host (usually the
   * table given to `createRouter`). Every other request is recorded in
   * `requestLog` as a contract violation, before faults or the handler run.
   */
  readonly contract?: readonly Route[];
}

/** A started simulator server. */
export interface RunningSimulatorServer {
  /** The name it was started with. */
  readonly name: string;
  /** `http://127.0.0.1:<port>` without a trailing slash. */
  readonly url: string;
  /** The ephemeral port. */
  readonly port: number;
  /** Stops listening and destroys every open (keep-alive) socket. */
  close(): Promise<void>;
}

/**
 * Starts a `node:http` server on 127.0.0.1 with an ephemeral port.
 *
 * Pipeline for each request: read body → record in the log (and, with a
 * `contract`, any contract violation) → apply a matching fault (latency /
 * connection reset / canned response) → run the handler. A fault marked
 * `afterProcessing` is applied after the handler instead: the work is done,
 * the answer is lost (a reset) or replaced.
 * Handler exceptions become a plain 500 so a simulator bug shows up as an HTTP
 * failure in the test rather than an unhandled rejection.
 */
export async function startSimulatorServer(options: StartSimulatorServerOptions): Promise<RunningSimulatorServer> {
  const sockets = new Set<Socket>();
  const pendingDelays = new Set<NodeJS.Timeout>();
  let closed = false;
  const checkContract = options.contract === undefined ? undefined : contractOf(options.contract);

  const server = createServer((req, res) => {
    void handleIncoming(req, res).catch((error: unknown) => {
      writeResponse(res, { status: 500, headers: { 'content-type': 'text/plain' }, body: `simulator error: ${String(error)}` });
    });
  });
  // Keep-alive sockets would otherwise keep close() waiting until the client lets go.
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handleIncoming(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const request = toSimulatorRequest(options.name, req, body);
    const recorded = options.requestLog?.record(request);
    const violation = checkContract?.(request);
    if (recorded !== undefined && violation !== undefined) options.requestLog?.recordViolation(recorded, violation);

    const fault = options.faults?.take(request);
    if (fault && !fault.afterProcessing && (await applyFault(fault, req, res))) return;
    const response = await options.handler(request);
    if (fault?.afterProcessing && (await applyFault(fault, req, res))) return;
    writeResponse(res, response);
  }

  /** Delays, then resets or answers for the fault; false when only a delay was asked for (the real answer follows). */
  async function applyFault(fault: FaultAction, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (fault.latencyMs > 0) await delay(fault.latencyMs);
    if (closed) return true;
    if (fault.reset) {
      resetConnection(req.socket);
      return true;
    }
    if (fault.response) {
      writeResponse(res, fault.response);
      return true;
    }
    return false;
  }

  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pendingDelays.delete(timer);
        resolve();
      }, ms);
      pendingDelays.add(timer);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    name: options.name,
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      if (closed) return;
      closed = true;
      for (const timer of pendingDelays) clearTimeout(timer);
      pendingDelays.clear();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await stopped;
    },
  };
}

// ---------------------------------------------------------------------------
// Router

/** Answers the requests of one route. */
export type RouteHandler = (request: SimulatorRequest) => SimulatorResponse | Promise<SimulatorResponse>;

/** One method + path pattern and its handler (see `route`). */
export interface Route {
  /** HTTP method, upper case. */
  readonly method: string;
  /** `/v1/customers/:id/files` — `:name` matches one non-empty path segment. */
  readonly pattern: string;
  /** Answers the matching requests. */
  readonly handler: RouteHandler;
  /** What the provider's contract says about this route beyond method and path. */
  readonly contract?: RouteContract;
}

/** What a provider's contract says about one route beyond its method and path. */
export interface RouteContract {
  /**
   * A query parameter that selects the operation (Fineract's `?command=`): a
   * request with any other value, or without it, is not documented.
   */
  readonly operation?: {
    /** The parameter's name, e.g. `command`. */
    readonly parameter: string;
    /** The values the contract documents for platforms. */
    readonly values: readonly string[];
    /** Values the contract documents for the provider's back office only: served, but a platform calling them is a violation. */
    readonly backOfficeValues?: readonly string[];
  };
}

/** Shorthand for building a route (method, `:param` pattern, handler, contract details) for {@link createRouter}. */
export function route(method: string, pattern: string, handler: RouteHandler, contract?: RouteContract): Route {
  return { method: method.toUpperCase(), pattern, handler, ...(contract === undefined ? {} : { contract }) };
}

/**
 * Turns a route table into a handler. The first route whose method and pattern
 * match wins; captured params are added to the request. Unmatched requests go to
 * `notFound` so each simulator can answer in its provider's error format.
 */
export function createRouter(routes: readonly Route[], notFound: RouteHandler): SimulatorHandler {
  return (request) => {
    for (const candidate of routes) {
      if (candidate.method !== request.method) continue;
      const params = matchPath(candidate.pattern, request.path);
      if (params) return candidate.handler({ ...request, params });
    }
    return notFound(request);
  };
}

/** Matches `path` against a `:param` pattern; returns the decoded params or `undefined`. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const patternSegments = splitPath(pattern);
  const pathSegments = splitPath(path);
  if (patternSegments.length !== pathSegments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, patternSegment] of patternSegments.entries()) {
    const segment = pathSegments[index] ?? '';
    if (patternSegment.startsWith(':')) {
      if (segment === '') return undefined;
      params[patternSegment.slice(1)] = safeDecode(segment);
    } else if (patternSegment !== segment) {
      return undefined;
    }
  }
  return params;
}

// ---------------------------------------------------------------------------
// Body and response helpers

export type JsonBodyResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

/** Parses the body as JSON. An empty body is reported as `{ ok: true, value: undefined }`. */
export function parseJsonBody(body: Buffer): JsonBodyResult {
  if (body.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

/** A JSON response (`content-type: application/json`). */
export function jsonResponse(status: number, value: unknown, headers: Readonly<Record<string, string>> = {}): SimulatorResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

/** A text response (`text/plain` unless another type is given, e.g. XML). */
export function textResponse(status: number, text: string, contentType = 'text/plain'): SimulatorResponse {
  return { status, headers: { 'content-type': contentType }, body: text };
}

/** A response without a body. */
export function emptyResponse(status: number, headers: Readonly<Record<string, string>> = {}): SimulatorResponse {
  return { status, headers };
}

// ---------------------------------------------------------------------------
// Internals

function toSimulatorRequest(server: string, req: IncomingMessage, body: Buffer): SimulatorRequest {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (!(key in query)) query[key] = value;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    server,
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query,
    searchParams: url.searchParams,
    headers,
    body,
    params: {},
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function writeResponse(res: ServerResponse, response: SimulatorResponse | InjectedFaultResponse): void {
  if (res.headersSent || res.destroyed) return;
  const body = response.body === undefined ? undefined : typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : Buffer.from(response.body);
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  res.setHeader('content-length', String(body?.length ?? 0));
  res.end(body);
}

/** Sends a TCP RST where supported so clients see ECONNRESET, like a crashed upstream. */
function resetConnection(socket: Socket): void {
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

/** A path's segments without the leading and trailing slash (`/a/b/` → `['a', 'b']`). */
export function splitPath(path: string): string[] {
  return path.split('/').filter((segment, index, all) => !(segment === '' && (index === 0 || index === all.length - 1)));
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
