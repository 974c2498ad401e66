import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.js';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../../src/http/index.js';
import { caught, closedPort, memoryLogger, startServer, technestErrors, type TestServer } from './helpers.js';

const servers: TestServer[] = [];
const clients: HttpClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function client(baseUrl: string, options: Partial<HttpClientOptions> = {}): HttpClient {
  const created = createHttpClient({
    provider: 'technest',
    baseUrl,
    mapError: technestErrors,
    retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 },
    ...options,
  });
  clients.push(created);
  return created;
}

const SIGNATURE = 'CANARY-SIGNATURE-5f2b';
const TOKEN = 'CANARY-TOKEN-91ac';
const BODY_SECRET = 'CANARY-BODY-1990-05-15';

describe('log lines', () => {
  it('one line per attempt with provider, method, path (no query), status, attempt, durationMs — no headers, no bodies', async () => {
    const srv = await startServer((_req, res, { count }) => {
      res.writeHead(count === 1 ? 503 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ echoed: BODY_SECRET }));
    });
    servers.push(srv);
    const logger = memoryLogger();
    await client(srv.url, { logger, headers: { Authorization: `Bearer ${TOKEN}` } }).request({
      method: 'GET',
      path: '/v1/customers',
      query: { customer_reference: 'pouch-user-1', access_token: TOKEN },
    });

    expect(logger.lines.map((line) => line.level)).toEqual(['info', 'debug']);
    const [retry, success] = logger.lines;
    expect(retry!.obj).toMatchObject({ provider: 'technest', method: 'GET', path: '/v1/customers', status: 503, attempt: 1, errorCode: 'http_503' });
    expect(typeof retry!.obj.retryInMs).toBe('number');
    expect(success!.obj).toMatchObject({ provider: 'technest', method: 'GET', path: '/v1/customers', status: 200, attempt: 2 });
    expect(typeof success!.obj.durationMs).toBe('number');

    const everything = JSON.stringify(logger.lines);
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(BODY_SECRET);
    expect(everything).not.toContain('pouch-user-1');
    expect(everything.toLowerCase()).not.toContain('authorization');
  });
});

describe('per-request logger', () => {
  it('sends a request\'s lines to its own logger (redacted), not the client\'s', async () => {
    const srv = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    servers.push(srv);
    const clientLogger = memoryLogger();
    const callLogger = memoryLogger();
    const http = client(srv.url, { logger: clientLogger });
    await http.request({ method: 'GET', path: '/v1/customers', query: { access_token: TOKEN }, logger: callLogger });
    await http.request({ method: 'GET', path: '/v1/other' });
    expect(callLogger.lines.map((line) => line.obj.path)).toEqual(['/v1/customers']);
    expect(clientLogger.lines.map((line) => line.obj.path)).toEqual(['/v1/other']);
    expect(JSON.stringify(callLogger.lines)).not.toContain(TOKEN);
  });
});

describe('pre-signed URLs', () => {
  it('keeps the signature out of error messages and logs (HTTP error)', async () => {
    const storage = await startServer((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
    });
    servers.push(storage);
    const logger = memoryLogger();
    const http = client('http://127.0.0.1:1', { logger });
    const error = await caught(() =>
      http.request({
        method: 'PUT',
        url: `${storage.url}/bucket/file_1?X-Amz-Signature=${SIGNATURE}`,
        body: Buffer.from('img'),
        headers: { 'content-type': 'image/jpeg' },
        mapError: (response) => ({
          providerCode: /<Code>([^<]+)<\/Code>/.exec(response.body.toString())?.[1],
          message: `upload to ${storage.url}/bucket/file_1?X-Amz-Signature=${SIGNATURE} refused`,
        }),
      }),
    );
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).providerCode).toBe('AccessDenied');
    expect((error as ProviderError).status).toBe(403);
    expect((error as Error).message).toContain('/bucket/file_1');
    expect((error as Error).message).not.toContain(SIGNATURE);
    expect(JSON.stringify(logger.lines)).not.toContain(SIGNATURE);
    expect(logger.lines.at(-1)?.obj.path).toBe('/bucket/file_1');
  });

  it('keeps the signature out of connection error messages and logs', async () => {
    const port = await closedPort();
    const logger = memoryLogger();
    const error = await caught(() =>
      client('http://127.0.0.1:1', { logger }).request({
        method: 'PUT',
        url: `http://127.0.0.1:${port}/bucket/file_2?X-Amz-Credential=abc&X-Amz-Signature=${SIGNATURE}`,
        body: Buffer.from('img'),
      }),
    );
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect((error as Error).message).not.toContain(SIGNATURE);
    expect(JSON.stringify(logger.lines)).not.toContain(SIGNATURE);
  });
});
