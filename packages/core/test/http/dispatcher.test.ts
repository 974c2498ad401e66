import { Agent, type Dispatcher } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, ProviderError } from '../../src/errors.js';
import { caught, sendJson, withinMs, useHttpFixtures } from './helpers.js';

const { server, client } = useHttpFixtures({ retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 } });
const agents: Agent[] = [];

afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
});

function userAgent(options: Agent.Options = {}): Agent {
  const agent = new Agent(options);
  agents.push(agent);
  return agent;
}

describe('dispatcher', () => {
  it('sends through an injected dispatcher and never closes it', async () => {
    const srv = await server((_req, res) => sendJson(res, 200, { ok: true }));
    const agent = userAgent();
    // An interceptor marks every request that goes through the user's agent.
    const marked: Dispatcher = agent.compose(
      (dispatch) => (options, handler) =>
        dispatch({ ...options, headers: { ...(options.headers as Record<string, string>), 'x-user-agent-was-here': '1' } }, handler),
    );
    const closeSpy = vi.spyOn(agent, 'close');
    const destroySpy = vi.spyOn(agent, 'destroy');

    const http = client(srv.url, { dispatcher: marked });
    expect(http.dispatcher).toBe(marked);
    await http.request({ method: 'GET', path: '/v1/customers/a' });
    await http.request({ method: 'POST', path: '/v1/customers', json: {} });
    expect(srv.requests.map((request) => request.headers['x-user-agent-was-here'])).toEqual(['1', '1']);

    await http.close();
    expect(closeSpy).not.toHaveBeenCalled();
    expect(destroySpy).not.toHaveBeenCalled();
    expect(agent.closed).toBe(false);
    // The user's agent still works after the client is closed.
    const after = await agent.request({ origin: srv.url, path: '/still-open', method: 'GET' });
    await after.body.dump();
    expect(after.statusCode).toBe(200);
  });

  it('owns and closes its own Agent when none is injected', async () => {
    const srv = await server((_req, res) => sendJson(res, 200, {}));
    const http = client(srv.url);
    expect(http.dispatcher).toBeInstanceOf(Agent);
    for (let i = 0; i < 6; i += 1) await http.request({ method: 'GET', path: `/${i}` });
    // Keep-alive: sockets are reused (undici may open a second one while the first is being released).
    expect(srv.connections()).toBeLessThanOrEqual(2);
    await http.close();
    expect((http.dispatcher as Agent).closed).toBe(true);
    await http.close(); // idempotent
    const error = await caught(() => http.request({ method: 'GET', path: '/c' }));
    expect(ConfigurationError.isInstance(error)).toBe(true);
  });

  it('one client instance reuses one Agent across calls', async () => {
    const srv = await server((_req, res) => sendJson(res, 200, {}));
    const http = client(srv.url);
    const first = http.dispatcher;
    await Promise.all([1, 2, 3].map((n) => http.request({ method: 'GET', path: `/${n}` })));
    expect(http.dispatcher).toBe(first);
  });
});

describe('per-request headers', () => {
  it('merge with the body content type and the client defaults case-insensitively, the last spelling winning', async () => {
    const srv = await server((_req, res) => sendJson(res, 200, {}));
    const bare = client(srv.url);
    const withDefaults = client(srv.url, { headers: { 'X-Tenant': 't1', 'Content-Type': 'text/plain' } });

    await bare.request({ method: 'POST', path: '/a', json: { a: 1 }, headers: { Authorization: 'Bearer t' } });
    await bare.request({ method: 'POST', path: '/b', json: { a: 1 }, headers: { 'Content-Type': 'application/vnd.x+json' } });
    await bare.request({ method: 'POST', path: '/c', json: { a: 1 }, headers: { 'X-Trace': '1', 'x-trace': '2' } });
    await bare.request({ method: 'GET', path: '/d', headers: { 'X-Gone': undefined, 'X-Kept': 'k' } });
    await bare.request({ method: 'POST', path: '/e', multipart: [{ name: 'a', value: 'b' }], headers: { 'Content-Type': 'text/plain' } });
    await withDefaults.request({ method: 'POST', path: '/f', json: {}, headers: { 'x-tenant': 't2', Authorization: 'Bearer u' } });
    await withDefaults.request({ method: 'GET', path: '/g', headers: { 'X-Tenant': undefined } });

    const [a, b, c, d, e, f, g] = srv.requests.map((request) => request.headers);
    expect([a?.authorization, a?.['content-type']]).toEqual(['Bearer t', 'application/json']);
    expect(b?.['content-type']).toBe('application/vnd.x+json');
    expect(c?.['x-trace']).toBe('2');
    expect([d?.['x-gone'], d?.['x-kept']]).toEqual([undefined, 'k']);
    expect(e?.['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect([f?.['x-tenant'], f?.authorization, f?.['content-type']]).toEqual(['t2', 'Bearer u', 'application/json']);
    expect([g?.['x-tenant'], g?.['content-type']]).toEqual([undefined, 'text/plain']);
  });
});

describe('absolute URLs', () => {
  it('calls another host by absolute URL without the client default headers', async () => {
    const api = await server((_req, res) => sendJson(res, 200, { upload_url: 'later' }));
    const storage = await server((_req, res) => {
      res.writeHead(200);
      res.end();
    });
    const http = client(api.url, { headers: { Authorization: 'Bearer api-token', 'X-Tenant': 't1' } });

    await http.request({ method: 'GET', path: '/v1/customers' });
    const uploadUrl = `${storage.url}/bucket/file_1?X-Amz-Signature=abc%2Fdef&X-Amz-Expires=300`;
    const response = await http.request({
      method: 'PUT',
      url: uploadUrl,
      body: Buffer.from([1, 2, 3]),
      headers: { 'Content-Type': 'image/jpeg' },
    });
    expect(response.status).toBe(200);

    expect(api.requests[0]?.headers.authorization).toBe('Bearer api-token');
    expect(api.requests[0]?.headers['x-tenant']).toBe('t1');
    const upload = storage.requests[0]!;
    expect(upload.method).toBe('PUT');
    expect(upload.url).toBe('/bucket/file_1?X-Amz-Signature=abc%2Fdef&X-Amz-Expires=300'); // query bytes untouched
    expect(upload.headers.authorization).toBeUndefined();
    expect(upload.headers['x-tenant']).toBeUndefined();
    expect(upload.headers['content-type']).toBe('image/jpeg');
    expect(upload.headers['content-length']).toBe('3');
    expect([...upload.body]).toEqual([1, 2, 3]);
  });

  it('keeps the base URL path prefix and appends query parameters', async () => {
    const srv = await server((_req, res) => sendJson(res, 200, {}));
    const http = client(`${srv.url}/fineract-provider/api/`);
    await http.request({ method: 'GET', path: '/v1/clients', query: { externalId: 'pouch user/1', page: 2, skip: undefined } });
    await http.request({ method: 'POST', path: 'v1/clients/42?command=verify', query: { extra: ['a', 'b'] }, json: {} });
    expect(srv.requests.map((request) => request.url)).toEqual([
      '/fineract-provider/api/v1/clients?externalId=pouch+user%2F1&page=2',
      '/fineract-provider/api/v1/clients/42?command=verify&extra=a&extra=b',
    ]);
  });

  it('refuses an absolute URL given as path, and non-http URLs', async () => {
    const http = client('http://127.0.0.1:1');
    await expect(http.request({ method: 'GET', path: 'https://elsewhere.example/x' })).rejects.toSatisfy((error: unknown) =>
      ConfigurationError.isInstance(error),
    );
    await expect(http.request({ method: 'GET', url: 'file:///etc/passwd' })).rejects.toSatisfy((error: unknown) =>
      ConfigurationError.isInstance(error),
    );
  });
});

describe('bodies are always consumed', () => {
  it('20 sequential error responses over a single connection do not hang', async () => {
    const srv = await server((_req, res, { count }) => {
      const status = [400, 404, 409, 422, 500][count % 5]!;
      // Some bodies larger than the 64 KiB error cap, some small.
      const body = count % 3 === 0 ? { error: { code: 'big', message: 'x'.repeat(200_000) } } : { error: { code: `e${count}` } };
      sendJson(res, status, body);
    });
    const agent = userAgent({ connections: 1, pipelining: 1 });
    const http = client(srv.url, { dispatcher: agent, retry: { maxAttempts: 1 } });

    const run = async (): Promise<void> => {
      for (let i = 0; i < 20; i += 1) {
        const error = await caught(() => http.request({ method: 'GET', path: `/v1/customers/${i}` }));
        expect(ProviderError.isInstance(error)).toBe(true);
      }
    };
    await withinMs(run(), 10_000, '20 error responses over one connection');
    expect(srv.requests).toHaveLength(20);
  });

  it('retries dump the previous body (one connection, 503s then 200)', async () => {
    const srv = await server((_req, res, { count }) => {
      if (count % 3 !== 0) sendJson(res, 503, { error: { code: 'internal_error', message: 'y'.repeat(10_000) } });
      else sendJson(res, 200, { n: count });
    });
    const agent = userAgent({ connections: 1, pipelining: 1 });
    const http = client(srv.url, { dispatcher: agent, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } });
    const run = async (): Promise<void> => {
      for (let i = 0; i < 7; i += 1) {
        const response = await http.request({ method: 'GET', path: '/x' });
        expect(response.status).toBe(200);
      }
    };
    await withinMs(run(), 10_000, 'retried requests over one connection');
    expect(srv.requests).toHaveLength(21);
    expect(srv.connections()).toBe(1);
  });

  it('a success body larger than maxResponseBytes fails instead of buffering it', async () => {
    const srv = await server((_req, res) => sendJson(res, 200, { blob: 'z'.repeat(5_000) }));
    const error = await caught(() => client(srv.url, { maxResponseBytes: 1_000 }).request({ method: 'GET', path: '/big' }));
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).retryable).toBe(false);
    expect(srv.requests).toHaveLength(1);
  });
});
