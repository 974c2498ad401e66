import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { createHttpClient, type ErrorResponse, type HttpClient, type HttpClientOptions, type ProviderErrorInfo } from '../../src/http/index.js';
import type { KycLogger } from '../../src/logging/logger.js';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** performance.now() when the request's headers arrived. */
  at: number;
}

export type Handler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  context: { body: Buffer; count: number },
) => void | Promise<void>;

export interface TestServer {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Sockets opened by clients so far. */
  readonly connections: () => number;
  close(): Promise<void>;
}

/**
 * A real node:http server on 127.0.0.1, port 0. The handler runs after the
 * request body was read in full.
 */
export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, at });
      Promise.resolve(handler(req, res, { body, count: requests.length })).catch((error: unknown) => {
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    connections: () => connections,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Technest-style envelope parser: `{"error":{"code","message"}}`. */
export function technestErrors(response: ErrorResponse): ProviderErrorInfo | undefined {
  const json = response.json as { error?: { code?: unknown; message?: unknown } } | undefined;
  const error = json?.error;
  if (!error) return undefined;
  return {
    providerCode: typeof error.code === 'string' ? error.code : undefined,
    message: typeof error.message === 'string' ? error.message : undefined,
  };
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg: string | undefined;
}

export function memoryLogger(): KycLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (obj: Record<string, unknown>, msg?: string): void => {
      lines.push({ level, obj, msg });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Rejects after `ms` with a clear message: turns a hang into a failure instead of a test timeout. */
export function withinMs<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

/** Runs `fn` and returns what it threw. Fails when it did not throw. */
export async function caught(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

/**
 * Per-test servers and clients, closed after each test: the setup every HTTP
 * test file shares. `defaults` are the client options of that file.
 */
export function useHttpFixtures(defaults: Partial<HttpClientOptions> = {}): {
  server(handler: Parameters<typeof startServer>[0]): Promise<TestServer>;
  client(baseUrl: string, options?: Partial<HttpClientOptions>): HttpClient;
} {
  const servers: TestServer[] = [];
  const clients: HttpClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return {
    async server(handler) {
      const started = await startServer(handler);
      servers.push(started);
      return started;
    },
    client(baseUrl, options = {}) {
      const created = createHttpClient({
        provider: 'technest',
        baseUrl,
        mapError: technestErrors,
        retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
        ...defaults,
        ...options,
      });
      clients.push(created);
      return created;
    },
  };
}
