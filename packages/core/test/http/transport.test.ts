import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Agent, MockAgent, ProxyAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError, ProviderError, TimeoutError } from '../../src/errors.js';
import { caught, sendJson, useHttpFixtures, withinMs } from './helpers.js';

/**
 * The transport under the toolkit (each attempt sent with `dispatcher.dispatch()` and read by one
 * handler object): limits, timeouts and aborts end the exchange and never leave a socket half read.
 */

const { server, client } = useHttpFixtures({ retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 10 } });
const agents: (Agent | MockAgent | ProxyAgent)[] = [];

afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
});

function agent(options: Agent.Options = {}): Agent {
  const created = new Agent(options);
  agents.push(created);
  return created;
}

/** Writes `chunks` chunks of 64 KiB without a Content-Length (chunked), then ends; says whether the client hung up first. */
function streamBody(res: import('node:http').ServerResponse, status: number, chunks: number): Promise<'ended' | 'closed'> {
  res.writeHead(status, { 'content-type': 'application/octet-stream' });
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  return new Promise((resolve) => {
    let sent = 0;
    res.on('close', () => resolve(res.writableFinished ? 'ended' : 'closed'));
    const writeMore = (): void => {
      while (sent < chunks) {
        sent += 1;
        if (!res.write(chunk)) {
          res.once('drain', writeMore);
          return;
        }
      }
      res.end();
    };
    writeMore();
  });
}

describe('maxResponseBytes', () => {
  it('stops reading a chunked body at the limit, drops that socket, and the next call works on a new one', async () => {
    const ends: Promise<'ended' | 'closed'>[] = [];
    const srv = await server((req, res) => {
      if (req.url === '/big') ends.push(streamBody(res, 200, 400)); // 25 MiB if read to the end
      else sendJson(res, 200, { ok: true });
    });
    const http = client(srv.url, { dispatcher: agent({ connections: 1 }), maxResponseBytes: 100_000 });

    const error = await withinMs(
      caught(() => http.request({ method: 'GET', path: '/big' })),
      5_000,
      'a body over maxResponseBytes',
    );
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).retryable).toBe(false);
    expect((error as Error).message).toMatch(/over 100000 bytes/);
    // The client hung up: the server never got to write the whole body.
    expect(await withinMs(ends[0]!, 5_000, 'the server noticing the abort')).toBe('closed');

    const next = await http.request({ method: 'GET', path: '/small' });
    expect(next.json()).toEqual({ ok: true });
    expect(srv.requests.map((request) => request.url)).toEqual(['/big', '/small']);
    // Not over the dropped socket (undici may open a spare one).
    expect(srv.connections()).toBeGreaterThanOrEqual(2);
  });

  it('refuses a success whose Content-Length is over the limit without reading it', async () => {
    const srv = await server((_req, res) => sendJson(res, 200, { blob: 'z'.repeat(50_000) }));
    const error = await caught(() => client(srv.url, { maxResponseBytes: 10_000 }).request({ method: 'GET', path: '/declared' }));
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).retryable).toBe(false);
    expect(srv.requests).toHaveLength(1);
  });

  it('a HEAD answer declaring a large Content-Length is not refused (no body comes)', async () => {
    const srv = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': '10000000' });
      res.end();
    });
    const response = await client(srv.url, { maxResponseBytes: 1_000 }).request({ method: 'HEAD', path: '/uploads/f1' });
    expect(response.status).toBe(200);
    expect(response.headers['content-length']).toBe('10000000');
    expect(response.body).toHaveLength(0);
  });

  it('a body exactly at the limit is read whole', async () => {
    const body = Buffer.alloc(1_000, 0x62);
    const srv = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(body.subarray(0, 400));
      res.end(body.subarray(400));
    });
    const response = await client(srv.url, { maxResponseBytes: 1_000 }).request({ method: 'GET', path: '/exact' });
    expect(response.body.equals(body)).toBe(true);
  });

  it('an error body past 64 KiB is cut there, the error still mapped from its status, and the socket dropped', async () => {
    const ends: Promise<'ended' | 'closed'>[] = [];
    const srv = await server((req, res) => {
      if (req.url === '/huge-error') ends.push(streamBody(res, 503, 400));
      else sendJson(res, 200, { ok: true });
    });
    const http = client(srv.url, { dispatcher: agent({ connections: 1 }), retry: { maxAttempts: 1 } });
    const error = await withinMs(caught(() => http.request({ method: 'GET', path: '/huge-error' })), 5_000, 'a huge error body');
    expect((error as ProviderError).status).toBe(503);
    expect((error as ProviderError).retryable).toBe(true);
    expect(await withinMs(ends[0]!, 5_000, 'the server noticing the abort')).toBe('closed');
    expect((await http.request({ method: 'GET', path: '/after' })).status).toBe(200);
  });
});

describe('attempt timeout up to the last body byte', () => {
  it('a body that keeps trickling (never idle long) still ends the attempt at its timeout', async () => {
    const srv = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"a":"');
      // A byte every 20 ms: the whole body would take 20 s; undici's own idle timeouts never fire.
      let sent = 0;
      const timer = setInterval(() => {
        if (res.destroyed || sent++ > 500) clearInterval(timer);
        else res.write('x');
      }, 20);
      res.on('close', () => clearInterval(timer));
    });
    const started = performance.now();
    const error = await caught(() => client(srv.url, { timeoutMs: 300, retry: { maxAttempts: 1 } }).request({ method: 'GET', path: '/trickle' }));
    const elapsed = performance.now() - started;
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).timeoutMs).toBe(300);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2_000);
  });
});

describe('cancelling an attempt still queued for a connection', () => {
  it('rejects at once with the signal reason and never sends it', async () => {
    let release: (() => void) | undefined;
    const srv = await server((req, res) => {
      if (req.url === '/first') release = () => sendJson(res, 200, { first: true });
      else sendJson(res, 200, {});
    });
    const http = client(srv.url, { dispatcher: agent({ connections: 1, pipelining: 1 }) });
    const first = http.request({ method: 'GET', path: '/first' });
    while (release === undefined) await new Promise((resolve) => setTimeout(resolve, 5));

    const controller = new AbortController();
    const reason = new Error('user gave up');
    const second = http.request({ method: 'GET', path: '/second', signal: controller.signal });
    controller.abort(reason);
    expect(await withinMs(caught(() => second), 1_000, 'the queued request')).toBe(reason);

    release();
    expect((await first).json()).toEqual({ first: true });
    // The connection is free again: a third call goes through; the second was never sent.
    await http.request({ method: 'GET', path: '/third' });
    expect(srv.requests.map((request) => request.url)).toEqual(['/first', '/third']);
  });
});

describe('response headers', () => {
  it('are lower-cased, repeated ones joined with ", ", and 1xx informational responses skipped', async () => {
    const srv = await server((_req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload' });
      res.setHeader('X-Repeated', ['a', 'b']);
      res.setHeader('Set-Cookie', ['s=1', 't=2']);
      sendJson(res, 200, { ok: true }, { 'X-Request-Id': 'r-1' });
    });
    const response = await client(srv.url).request({ method: 'GET', path: '/h' });
    expect(response.status).toBe(200);
    expect(response.headers['x-repeated']).toBe('a, b');
    expect(response.headers['set-cookie']).toBe('s=1, t=2');
    expect(response.headers['x-request-id']).toBe('r-1');
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers.link).toBeUndefined();
    expect(Object.keys(response.headers).every((name) => name === name.toLowerCase())).toBe(true);
  });
});

describe('an injected MockAgent', () => {
  function mockAgent(): MockAgent {
    const mock = new MockAgent();
    mock.disableNetConnect();
    agents.push(mock);
    return mock;
  }

  it('answers through the handler: success, mapped provider error, retried transport error', async () => {
    const mock = mockAgent();
    const pool = mock.get('https://api.technest.test');
    pool.intercept({ path: '/v1/customers/c1', method: 'GET' }).reply(200, { id: 'c1' }, { headers: { 'content-type': 'application/json' } });
    pool
      .intercept({ path: '/v1/customers', method: 'POST' })
      .reply(409, { error: { code: 'customer_reference_taken', message: 'Reference in use.' } });
    pool.intercept({ path: '/v1/customers/c2', method: 'GET' }).replyWithError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    pool.intercept({ path: '/v1/customers/c2', method: 'GET' }).reply(200, { id: 'c2' });

    const http = client('https://api.technest.test', { dispatcher: mock });
    const ok = await http.request({ method: 'GET', path: '/v1/customers/c1' });
    expect(ok.json()).toEqual({ id: 'c1' });
    expect(ok.headers['content-type']).toBe('application/json');

    const conflict = await caught(() => http.request({ method: 'POST', path: '/v1/customers', json: {} }));
    expect(conflict).toMatchObject({ status: 409, providerCode: 'customer_reference_taken', retryable: false });

    const retried = await http.request({ method: 'GET', path: '/v1/customers/c2' });
    expect(retried.json()).toEqual({ id: 'c2' });
    mock.assertNoPendingInterceptors();
  });

  it('a delayed mock reply is cut by the attempt timeout', async () => {
    const mock = mockAgent();
    mock.get('https://api.technest.test').intercept({ path: '/slow', method: 'POST' }).reply(200, {}).delay(2_000);
    const http = client('https://api.technest.test', { dispatcher: mock, timeoutMs: 100 });
    const started = performance.now();
    const error = await caught(() => http.request({ method: 'POST', path: '/slow', json: {} }));
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});

describe('sockets of timed-out attempts', () => {
  it('are dropped, never reused for the next call', async () => {
    const srv = await server((req, res) => {
      if (req.url !== '/hang') sendJson(res, 200, { ok: true });
    });
    const http = client(srv.url, { dispatcher: agent({ connections: 1 }), timeoutMs: 50, retry: { maxAttempts: 1 } });
    for (let i = 0; i < 3; i += 1) {
      expect(TimeoutError.isInstance(await caught(() => http.request({ method: 'GET', path: '/hang' })))).toBe(true);
    }
    expect((await http.request({ method: 'GET', path: '/ok' })).status).toBe(200);
    // A socket per timed-out attempt, and a fresh one for the call after them (undici may open a spare one).
    expect(srv.connections()).toBeGreaterThanOrEqual(4);
  });
});

describe('request options undici refuses', () => {
  it('are a ConfigurationError before anything is sent, not a retried transport failure', async () => {
    const srv = await server((_req, res) => sendJson(res, 200, {}));
    const error = await caught(() =>
      client(srv.url).request({ method: 'GET', path: '/x', headers: { 'x-injected': 'a\r\nx-evil: 1' } }),
    );
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/UND_ERR_INVALID_ARG/);
    expect(srv.requests).toHaveLength(0);
  });
});

describe('an injected ProxyAgent', () => {
  it('tunnels the call through the proxy (CONNECT) and reads the answer through the same handler', async () => {
    const srv = await server((_req, res) => sendJson(res, 200, { via: 'tunnel' }));
    const tunnels: string[] = [];
    const sockets: net.Socket[] = [];
    const proxy = http.createServer();
    proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      sockets.push(client);
      const [host, port] = (req.url ?? '').split(':');
      const upstream = net.connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const dispatcher = new ProxyAgent(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
      agents.push(dispatcher);
      const response = await client(srv.url, { dispatcher }).request({ method: 'GET', path: '/v1/customers/c1' });
      expect(response.json()).toEqual({ via: 'tunnel' });
      expect(tunnels).toEqual([`127.0.0.1:${srv.port}`]);
    } finally {
      // Tunnelled sockets are no longer the proxy server's: closed here, or close() would wait for keep-alive.
      for (const socket of sockets) socket.destroy();
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });
});
