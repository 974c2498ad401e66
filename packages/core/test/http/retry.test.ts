import { describe, expect, it } from 'vitest';
import { ProviderError, RateLimitError } from '../../src/errors.js';
import { caught, closedPort, memoryLogger, sendJson, useHttpFixtures } from './helpers.js';

const { server, client } = useHttpFixtures({ retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 } });

describe('retries', () => {
  it('retries a GET on 503 and then succeeds', async () => {
    const srv = await server((_req, res, { count }) => {
      if (count < 3) sendJson(res, 503, { error: { code: 'upstream_unavailable', message: 'try later' } });
      else sendJson(res, 200, { id: 'ckcust_1' });
    });
    const response = await client(srv.url).request({ method: 'GET', path: '/v1/customers/ckcust_1' });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ id: 'ckcust_1' });
    expect(srv.requests).toHaveLength(3);
  });

  it('gives up after maxAttempts with a retryable ProviderError carrying the provider code', async () => {
    const srv = await server((_req, res) => sendJson(res, 503, { error: { code: 'upstream_unavailable', message: 'down' } }));
    const error = await caught(() => client(srv.url).request({ method: 'GET', path: '/v1/customers/x' }));
    expect(ProviderError.isInstance(error)).toBe(true);
    const providerError = error as ProviderError;
    expect(providerError.status).toBe(503);
    expect(providerError.providerCode).toBe('upstream_unavailable');
    expect(providerError.retryable).toBe(true);
    expect(srv.requests).toHaveLength(3);
  });

  it('retries a GET after a connection reset', async () => {
    const srv = await server((req, res, { count }) => {
      if (count === 1) req.socket.resetAndDestroy();
      else sendJson(res, 200, { ok: true });
    });
    const logger = memoryLogger();
    const response = await client(srv.url, { logger }).request({ method: 'GET', path: '/v1/customers' });
    expect(response.json()).toEqual({ ok: true });
    expect(srv.requests).toHaveLength(2);
    expect(logger.lines[0]).toMatchObject({ level: 'info', obj: { attempt: 1, errorCode: 'ECONNRESET' } });
  });

  it('retries a GET after the server closes the socket without answering', async () => {
    const srv = await server((req, res, { count }) => {
      if (count === 1) req.socket.destroy();
      else sendJson(res, 200, { ok: true });
    });
    const response = await client(srv.url).request({ method: 'GET', path: '/v1/customers' });
    expect(response.status).toBe(200);
    expect(srv.requests).toHaveLength(2);
  });

  it('does not retry a plain POST after a reset (it may have been processed)', async () => {
    const srv = await server((req) => {
      req.socket.resetAndDestroy();
    });
    const error = await caught(() =>
      client(srv.url).request({ method: 'POST', path: '/v1/customers', json: { customer_reference: 'r-1' } }),
    );
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).retryable).toBe(true);
    expect((error as Error).message).toMatch(/ECONNRESET/);
    expect(srv.requests).toHaveLength(1);
  });

  it('does not retry a plain POST or PATCH on 503', async () => {
    const srv = await server((_req, res) => sendJson(res, 503, { error: { code: 'internal_error' } }));
    const http = client(srv.url);
    await expect(http.request({ method: 'POST', path: '/v1/customers', json: {} })).rejects.toMatchObject({ status: 503 });
    await expect(http.request({ method: 'PATCH', path: '/api/v1/customers/c1', json: {} })).rejects.toMatchObject({
      status: 503,
    });
    expect(srv.requests).toHaveLength(2);
  });

  it('retries a POST with an idempotency key, sending the same key every time', async () => {
    const srv = await server((req, res, { count }) => {
      if (count === 1) req.socket.resetAndDestroy();
      else if (count === 2) sendJson(res, 502, { error: { code: 'upstream_unavailable' } });
      else sendJson(res, 201, { id: 'customer_1' });
    });
    const http = client(srv.url, { idempotencyKeyHeader: 'Idempotency-Key' });
    const response = await http.request({
      method: 'POST',
      path: '/api/v1/customers',
      json: { type: 'INDIVIDUAL' },
      idempotencyKey: 'key-123',
    });
    expect(response.status).toBe(201);
    expect(srv.requests).toHaveLength(3);
    expect(srv.requests.map((request) => request.headers['idempotency-key'])).toEqual(['key-123', 'key-123', 'key-123']);
    expect(srv.requests.map((request) => request.body.toString())).toEqual(Array(3).fill('{"type":"INDIVIDUAL"}'));
  });

  it('uses the adapter-chosen idempotency header name', async () => {
    const srv = await server((_req, res) => sendJson(res, 200, {}));
    await client(srv.url, { idempotencyKeyHeader: 'X-Request-Key' }).request({
      method: 'POST',
      path: '/x',
      json: {},
      idempotencyKey: 'abc',
    });
    expect(srv.requests[0]?.headers['x-request-key']).toBe('abc');
    expect(srv.requests[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('retries a POST declared idempotent', async () => {
    const srv = await server((_req, res, { count }) => sendJson(res, count === 1 ? 500 : 200, {}));
    const response = await client(srv.url).request({ method: 'POST', path: '/v1/customers/c/kyc', json: {}, idempotent: true });
    expect(response.status).toBe(200);
    expect(srv.requests).toHaveLength(2);
  });

  it('retries even a plain POST when the connection was refused (nothing was sent)', async () => {
    const port = await closedPort();
    const logger = memoryLogger();
    const error = await caught(() =>
      client(`http://127.0.0.1:${port}`, { logger }).request({ method: 'POST', path: '/v1/customers', json: {} }),
    );
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).retryable).toBe(true);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect(logger.lines.map((line) => [line.obj.attempt, line.obj.errorCode])).toEqual([
      [1, 'ECONNREFUSED'],
      [2, 'ECONNREFUSED'],
      [3, 'ECONNREFUSED'],
    ]);
  });

  it('does not retry 4xx other than 408/429', async () => {
    const srv = await server((_req, res) => sendJson(res, 404, { error: { code: 'customer_not_found' } }));
    await expect(client(srv.url).request({ method: 'GET', path: '/v1/customers/nope' })).rejects.toMatchObject({
      status: 404,
      providerCode: 'customer_not_found',
    });
    expect(srv.requests).toHaveLength(1);
  });

  it('retryOn and retry: false change what is retried', async () => {
    const srv = await server((_req, res, { count }) => sendJson(res, count === 1 ? 409 : 200, {}));
    const http = client(srv.url);
    const response = await http.request({ method: 'GET', path: '/a', retryOn: [409] });
    expect(response.status).toBe(200);
    srv.requests.length = 0;

    const once = await server((_req, res) => sendJson(res, 503, {}));
    await expect(client(once.url).request({ method: 'GET', path: '/b', retry: false })).rejects.toMatchObject({ status: 503 });
    expect(once.requests).toHaveLength(1);
  });
});

describe('Retry-After', () => {
  it('waits as long as a 429 Retry-After asks before the next attempt', async () => {
    const srv = await server((_req, res, { count }) => {
      if (count === 1) sendJson(res, 429, { error: { code: 'rate_limited' } }, { 'retry-after': '0.25' });
      else sendJson(res, 200, { ok: true });
    });
    const response = await client(srv.url).request({ method: 'GET', path: '/v1/customers' });
    expect(response.status).toBe(200);
    expect(srv.requests).toHaveLength(2);
    const [first, second] = srv.requests;
    // The server saw the retry no earlier than the delay it asked for (a few ms slack for timer granularity).
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(240);
  });

  it('honours Retry-After on 503 too', async () => {
    const srv = await server((_req, res, { count }) => {
      if (count === 1) sendJson(res, 503, {}, { 'retry-after': '0.15' });
      else sendJson(res, 200, {});
    });
    await client(srv.url).request({ method: 'GET', path: '/x' });
    expect(srv.requests[1]!.at - srv.requests[0]!.at).toBeGreaterThanOrEqual(140);
  });

  it('fails fast with RateLimitError when Retry-After is past the deadline', async () => {
    const srv = await server((_req, res) => sendJson(res, 429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'retry-after': '60' }));
    const started = performance.now();
    const error = await caught(() => client(srv.url, { deadlineMs: 2_000 }).request({ method: 'GET', path: '/v1/customers' }));
    const elapsed = performance.now() - started;
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(60_000);
    expect((error as RateLimitError).providerCode).toBe('rate_limited');
    expect(srv.requests).toHaveLength(1);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('surfaces a 429 on a plain POST at once as RateLimitError (not retried)', async () => {
    const srv = await server((_req, res) => sendJson(res, 429, {}, { 'retry-after': '0.05' }));
    const error = await caught(() => client(srv.url).request({ method: 'POST', path: '/v1/customers', json: {} }));
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(50);
    expect(srv.requests).toHaveLength(1);
  });
});
