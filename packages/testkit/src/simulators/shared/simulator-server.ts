import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FaultAction, FaultInjector, InjectedFaultResponse } from './fault-injection.js';
import type { RequestLog } from './request-log.js';
import { contractOf } from './simulator-contract.js';
import type { Route, SimulatorHandler, SimulatorRequest, SimulatorResponse } from './simulator-http.js';

// The request model and router live in simulator-http.ts; re-exported for the simulators built on this module.
export { route, createRouter, matchPath, parseJsonBody, jsonResponse, textResponse, emptyResponse, splitPath } from './simulator-http.js';
export type { SimulatorRequest, SimulatorResponse, SimulatorHandler, RouteHandler, Route, RouteContract, JsonBodyResult } from './simulator-http.js';

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

