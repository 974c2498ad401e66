import { describe, expect, it } from 'vitest';
import { TimeoutError } from '../../src/errors.js';
import { caught, memoryLogger, sendJson, useHttpFixtures } from './helpers.js';

const { server, client } = useHttpFixtures({ retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 } });

/** Never answers (the test server closes the socket at teardown). */
const hang = (): void => {};

describe('per-attempt timeout', () => {
  it('fails with TimeoutError when an attempt takes too long', async () => {
    const srv = await server(hang);
    const started = performance.now();
    const error = await caught(() =>
      client(srv.url, { timeoutMs: 150 }).request({ method: 'POST', path: '/v1/customers', json: {} }),
    );
    const elapsed = performance.now() - started;
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).timeoutMs).toBe(150);
    expect((error as TimeoutError).retryable).toBe(true);
    // A POST that timed out may have been processed: not repeated. (Counted by connections: on a loaded
    // machine the aborted attempt's body may never finish arriving, so it need not show up as a request.)
    expect(srv.connections()).toBe(1);
    expect(srv.requests.length).toBeLessThanOrEqual(1);
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1_500);
  });

  it('retries a GET whose attempt timed out', async () => {
    const srv = await server((_req, res, { count }) => {
      if (count > 1) sendJson(res, 200, { ok: true });
    });
    const response = await client(srv.url, { timeoutMs: 150 }).request({ method: 'GET', path: '/v1/customers/c' });
    expect(response.status).toBe(200);
    expect(srv.requests).toHaveLength(2);
  });

  it('covers a body that stalls after the headers', async () => {
    const srv = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":');
    });
    const error = await caught(() =>
      client(srv.url, { timeoutMs: 150, retry: { maxAttempts: 1 } }).request({ method: 'GET', path: '/slow-body' }),
    );
    expect(TimeoutError.isInstance(error)).toBe(true);
  });

  it('a per-request timeoutMs overrides the client default', async () => {
    const srv = await server(hang);
    const started = performance.now();
    await expect(
      client(srv.url, { timeoutMs: 10_000 }).request({ method: 'POST', path: '/x', json: {}, timeoutMs: 100 }),
    ).rejects.toSatisfy((error: unknown) => TimeoutError.isInstance(error));
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});

describe('total deadline', () => {
  it('ends the whole call, retries included, with TimeoutError by the deadline', async () => {
    const srv = await server(hang);
    const logger = memoryLogger();
    const started = performance.now();
    const error = await caught(() =>
      client(srv.url, { timeoutMs: 200, deadlineMs: 500, retry: { maxAttempts: 10, baseDelayMs: 10, maxDelayMs: 20 }, logger }).request({
        method: 'GET',
        path: '/v1/customers/c',
      }),
    );
    const elapsed = performance.now() - started;
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).timeoutMs).toBe(500);
    expect((error as Error).message).toMatch(/500 ms deadline/);
    expect(srv.requests.length).toBeGreaterThanOrEqual(2);
    expect(elapsed).toBeGreaterThanOrEqual(480);
    // Far below the 10 × 200 ms the attempts alone would take; the slack is for a loaded CI machine's timers.
    expect(elapsed).toBeLessThan(500 + 700);
    expect(logger.lines.at(-1)?.level).toBe('warn');
  });

  it('does not start a backoff sleep that would end past the deadline', async () => {
    const srv = await server((_req, res) => sendJson(res, 503, { error: { code: 'internal_error' } }));
    const started = performance.now();
    const error = await caught(() =>
      client(srv.url, { deadlineMs: 300, retry: { maxAttempts: 50, baseDelayMs: 100, maxDelayMs: 5_000 } }).request({
        method: 'GET',
        path: '/x',
      }),
    );
    const elapsed = performance.now() - started;
    // The slack is for a loaded CI machine's timers.
    expect(elapsed).toBeLessThan(300 + 700);
    // Either the last 503 (no time left for another sleep) or the deadline itself.
    expect((error as { status?: number }).status === 503 || TimeoutError.isInstance(error)).toBe(true);
  });
});

describe('abort signal', () => {
  it('aborts an attempt in flight with the signal reason', async () => {
    const srv = await server(hang);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const error = await caught(() => client(srv.url).request({ method: 'GET', path: '/x', signal: controller.signal }));
    expect((error as Error).name).toBe('AbortError');
    expect(error).toBe(controller.signal.reason);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(srv.requests).toHaveLength(1);
  });

  it('aborts the sleep between attempts', async () => {
    const srv = await server((_req, res) => sendJson(res, 503, {}, { 'retry-after': '5' }));
    const controller = new AbortController();
    const reason = new Error('shutting down');
    setTimeout(() => controller.abort(reason), 150);
    const started = performance.now();
    const error = await caught(() => client(srv.url).request({ method: 'GET', path: '/x', signal: controller.signal }));
    expect(error).toBe(reason);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(srv.requests).toHaveLength(1);
  });

  it('does not send anything when the signal is already aborted', async () => {
    const srv = await server((_req, res) => sendJson(res, 200, {}));
    const error = await caught(() =>
      client(srv.url).request({ method: 'GET', path: '/x', signal: AbortSignal.abort(new Error('already')) }),
    );
    expect((error as Error).message).toBe('already');
    expect(srv.requests).toHaveLength(0);
  });
});
