import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createFaultInjector } from '../../src/simulators/shared/fault-injection.js';
import { createRequestLog } from '../../src/simulators/shared/request-log.js';
import { createSimulatorClock } from '../../src/simulators/shared/simulator-clock.js';
import {
  createRouter,
  jsonResponse,
  matchPath,
  parseJsonBody,
  route,
  startSimulatorServer,
  textResponse,
  type RunningSimulatorServer,
} from '../../src/simulators/shared/simulator-server.js';
import { createWebhookDispatcher } from '../../src/simulators/shared/webhook-dispatcher.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/simulators/shared/webhook-receiver.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function echoServer(options: { faults?: ReturnType<typeof createFaultInjector>; log?: ReturnType<typeof createRequestLog> } = {}) {
  const server = await startSimulatorServer({
    name: 'api',
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.log ? { requestLog: options.log } : {}),
    handler: createRouter(
      [
        route('GET', '/items/:id', (req) => jsonResponse(200, { id: req.params.id, query: req.query })),
        route('POST', '/items', (req) => {
          const parsed = parseJsonBody(req.body);
          return parsed.ok ? jsonResponse(201, { received: parsed.value }) : textResponse(400, 'bad json');
        }),
      ],
      () => textResponse(404, 'nope'),
    ),
  });
  cleanup.push(() => server.close());
  return server;
}

async function receiver(): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver();
  cleanup.push(() => started.close());
  return started;
}

describe('startSimulatorServer + router', () => {
  it('listens on 127.0.0.1 with an ephemeral port and routes :params and query', async () => {
    const server = await echoServer();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await request(`${server.url}/items/a%20b?x=1&x=2&y=3`);
    expect(await response.body.json()).toEqual({ id: 'a b', query: { x: '1', y: '3' } });
    const missing = await request(`${server.url}/other`);
    expect(missing.statusCode).toBe(404);
    await missing.body.dump();
  });

  it('parses JSON bodies and reports invalid ones', async () => {
    const server = await echoServer();
    const ok = await request(`${server.url}/items`, { method: 'POST', body: '{"a":1}' });
    expect(await ok.body.json()).toEqual({ received: { a: 1 } });
    const bad = await request(`${server.url}/items`, { method: 'POST', body: '{' });
    expect(bad.statusCode).toBe(400);
    await bad.body.dump();
  });

  it('close() does not hang on an open keep-alive connection', async () => {
    const server = await startSimulatorServer({ name: 'api', handler: () => textResponse(200, 'ok') });
    const agent = new Agent({ keepAliveTimeout: 60_000 });
    cleanup.push(() => agent.close());
    const response = await request(server.url, { dispatcher: agent });
    await response.body.text();
    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('turns handler exceptions into a 500', async () => {
    const server: RunningSimulatorServer = await startSimulatorServer({
      name: 'api',
      handler: () => {
        throw new Error('boom');
      },
    });
    cleanup.push(() => server.close());
    const response = await request(server.url);
    expect(response.statusCode).toBe(500);
    expect(await response.body.text()).toContain('boom');
  });

  it('matchPath handles exact, param and trailing-slash paths', () => {
    expect(matchPath('/v1/customers/:id/files', '/v1/customers/c1/files')).toEqual({ id: 'c1' });
    expect(matchPath('/v1/customers', '/v1/customers/')).toEqual({});
    expect(matchPath('/v1/customers/:id', '/v1/customers')).toBeUndefined();
    expect(matchPath('/v1/customers/:id', '/v1/customers/c1/files')).toBeUndefined();
  });
});

describe('fault injection', () => {
  it('applies a fault `times` times, filtered by method, then lets requests through', async () => {
    const faults = createFaultInjector();
    const server = await echoServer({ faults });
    const fault = faults.injectFault({ method: 'GET', path: '/items/:id', status: 502, body: { oops: true }, headers: { 'X-Test': '1' }, times: 2 });
    const post = await request(`${server.url}/items`, { method: 'POST', body: '{}' });
    expect(post.statusCode).toBe(201);
    await post.body.dump();
    for (let index = 0; index < 2; index++) {
      const faulted = await request(`${server.url}/items/1`);
      expect(faulted.statusCode).toBe(502);
      expect(faulted.headers['x-test']).toBe('1');
      expect(await faulted.body.json()).toEqual({ oops: true });
    }
    expect(fault.hits).toBe(2);
    expect(faults.faults()).toHaveLength(0);
    const normal = await request(`${server.url}/items/1`);
    expect(normal.statusCode).toBe(200);
    await normal.body.dump();
  });

  it('matches RegExp paths, supports cancel() and clearFaults()', async () => {
    const faults = createFaultInjector();
    const server = await echoServer({ faults });
    const cancelled = faults.injectFault({ path: /^\/items/, status: 500, times: Infinity });
    cancelled.cancel();
    faults.injectFault({ path: /^\/items/g, status: 503, times: Infinity });
    for (let index = 0; index < 2; index++) {
      const response = await request(`${server.url}/items/1`);
      expect(response.statusCode).toBe(503);
      await response.body.dump();
    }
    faults.clearFaults();
    const response = await request(`${server.url}/items/1`);
    expect(response.statusCode).toBe(200);
    await response.body.dump();
  });

  it('resets the connection and records the request anyway', async () => {
    const faults = createFaultInjector();
    const log = createRequestLog();
    const server = await echoServer({ faults, log });
    faults.injectFault({ path: '/items/1', reset: true, latencyMs: 20 });
    await expect(request(`${server.url}/items/1`)).rejects.toThrow();
    expect(log.requests()).toHaveLength(1);
  });

  it('after processing: the handler does the work, then the answer is lost (reset) or replaced (status)', async () => {
    const faults = createFaultInjector();
    const created: unknown[] = [];
    const server = await startSimulatorServer({
      name: 'api',
      faults,
      handler: createRouter([route('POST', '/items', (req) => (created.push(parseJsonBody(req.body)), jsonResponse(201, { n: created.length })))], () =>
        textResponse(404, 'nope'),
      ),
    });
    cleanup.push(() => server.close());
    const post = () => request(`${server.url}/items`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });

    const lost = faults.injectFault({ method: 'POST', path: '/items', reset: true, afterProcessing: true });
    await expect(post()).rejects.toThrow();
    expect(lost.hits).toBe(1);
    expect(created).toHaveLength(1); // processed, though the caller never heard

    faults.injectFault({ method: 'POST', path: '/items', status: 503, body: { error: 'unavailable' }, afterProcessing: true });
    const replaced = await post();
    expect(replaced.statusCode).toBe(503);
    expect(await replaced.body.json()).toEqual({ error: 'unavailable' });
    expect(created).toHaveLength(2);

    faults.injectFault({ method: 'POST', path: '/items', status: 503 }); // before processing: nothing happens
    expect((await post()).statusCode).toBe(503);
    expect(created).toHaveLength(2);
    const answered = await post();
    expect(answered.statusCode).toBe(201);
    expect(await answered.body.json()).toEqual({ n: 3 });
  });

  it('narrows a fault to requests whose query carries the given parameters', async () => {
    const faults = createFaultInjector();
    const server = await echoServer({ faults });
    const fault = faults.injectFault({ path: '/items/:id', query: { command: 'verify' }, status: 409, times: Infinity });
    const status = async (query: string) => {
      const response = await request(`${server.url}/items/1${query}`);
      await response.body.dump();
      return response.statusCode;
    };
    expect(await status('')).toBe(200);
    expect(await status('?command=activate')).toBe(200);
    expect(await status('?command=verify&x=1')).toBe(409);
    expect(fault.hits).toBe(1);
  });
});

describe('request log', () => {
  it('records method, path, query, lower-case headers, raw body, JSON and clock time', async () => {
    const clock = createSimulatorClock({ start: '2030-01-01T00:00:00Z' });
    const log = createRequestLog({ now: clock.now });
    const server = await echoServer({ log });
    const response = await request(`${server.url}/items?src=test`, { method: 'POST', body: '{"k":"v"}', headers: { 'X-Custom': 'Yes' } });
    await response.body.dump();
    const [entry] = log.requests();
    expect(entry).toMatchObject({ id: 1, server: 'api', method: 'POST', path: '/items', query: { src: 'test' }, json: { k: 'v' } });
    expect(entry?.headers['x-custom']).toBe('Yes');
    expect(entry?.body.toString()).toBe('{"k":"v"}');
    expect(entry?.at.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(log.find((candidate) => candidate.method === 'POST')?.id).toBe(1);
    log.clearRequests();
    expect(log.requests()).toEqual([]);
  });
});

describe('contract check', () => {
  const routes = [
    route('GET', '/v1/things/:thingId', () => textResponse(200, 'thing')),
    route('POST', '/v1/things/:thingId', () => textResponse(200, 'done'), {
      operation: { parameter: 'command', values: ['approve'], backOfficeValues: ['purge'] },
    }),
    route('POST', '/v1/things/:thingId/parts', () => textResponse(201, 'part')),
  ];

  it('records every request the route table does not document, before faults run, naming method and path template', async () => {
    const log = createRequestLog();
    const faults = createFaultInjector();
    const server = await startSimulatorServer({ name: 'api', handler: createRouter(routes, () => textResponse(404, 'nope')), requestLog: log, faults, contract: routes });
    cleanup.push(() => server.close());
    faults.injectFault({ path: '/v1/things/7/notes', status: 200 });
    const send = async (method: string, path: string) => {
      const response = await request(`${server.url}${path}`, { method: method as 'GET' });
      await response.body.dump();
      return response.statusCode;
    };

    expect(await send('GET', '/v1/things/7')).toBe(200);
    expect(await send('POST', '/v1/things/7?command=approve')).toBe(200);
    expect(await send('POST', '/v1/things/7/parts')).toBe(201);
    expect(log.violations()).toEqual([]);

    expect(await send('GET', '/v1/things/7/notes')).toBe(200); // the fault answered; still a violation
    expect(await send('DELETE', '/v1/things/7')).toBe(404);
    expect(await send('GET', '/v1/things/7/parts')).toBe(404);
    expect(await send('POST', '/v1/things/7')).toBe(200);
    expect(await send('POST', '/v1/things/7?command=purge')).toBe(200);
    expect(log.violations()).toEqual([
      { requestId: 4, server: 'api', method: 'GET', path: '/v1/things/7/notes', route: 'GET /v1/things/{thingId}/notes', reason: 'the contract documents no such path' },
      { requestId: 5, server: 'api', method: 'DELETE', path: '/v1/things/7', route: 'DELETE /v1/things/{thingId}', reason: 'the contract documents only GET, POST on this path' },
      { requestId: 6, server: 'api', method: 'GET', path: '/v1/things/7/parts', route: 'GET /v1/things/{thingId}/parts', reason: 'the contract documents only POST on this path' },
      { requestId: 7, server: 'api', method: 'POST', path: '/v1/things/7', route: 'POST /v1/things/{thingId}?command=', reason: 'the contract documents only command=approve|purge here' },
      { requestId: 8, server: 'api', method: 'POST', path: '/v1/things/7', route: 'POST /v1/things/{thingId}?command=purge', reason: "documented for the provider's back office only: a platform never calls it" },
    ]);
    log.clearRequests();
    expect(log.violations()).toEqual([]);
  });

  it('without a contract nothing is checked', async () => {
    const log = createRequestLog();
    const server = await echoServer({ log });
    const response = await request(`${server.url}/anything`);
    await response.body.dump();
    expect(log.requests()).toHaveLength(1);
    expect(log.violations()).toEqual([]);
  });
});

describe('simulator clock', () => {
  it('starts at real time, stands still, and runs listeners on advance/set', async () => {
    const before = Date.now();
    const clock = createSimulatorClock();
    expect(clock.nowMs()).toBeGreaterThanOrEqual(before);
    const seen: number[] = [];
    const unsubscribe = clock.onChange(async (now) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(now.getTime());
    });
    const start = clock.nowMs();
    await clock.advance(1000);
    expect(seen).toEqual([start + 1000]);
    await clock.set(new Date(start));
    expect(seen).toEqual([start + 1000, start]);
    unsubscribe();
    await clock.advance(1);
    expect(seen).toHaveLength(2);
    await expect(clock.advance(-1)).rejects.toThrow(RangeError);
  });
});

describe('webhook dispatcher', () => {
  const sign = (raw: string, t: number) => ({ 'X-Sig': `${t}:${raw.length}` });

  it('signs and delivers at once, recording status and attempts', async () => {
    const target = await receiver();
    const clock = createSimulatorClock({ start: 1_700_000_000_000 });
    const dispatcher = createWebhookDispatcher({ sign, now: clock.now });
    dispatcher.setWebhookTarget(target.url);
    const delivery = await dispatcher.dispatch({ hello: 'world' });
    expect(delivery).toMatchObject({ id: 'whd_1', payload: '{"hello":"world"}', state: 'delivered', status: 200, attempts: 1 });
    expect(target.received()[0]?.headers['x-sig']).toBe('1700000000:17');
    expect(target.received()[0]?.rawBody).toBe('{"hello":"world"}');
  });

  it('shuffles deterministically per seed', async () => {
    const order = async (seed: number) => {
      const target = await receiver();
      const dispatcher = createWebhookDispatcher({ sign, now: () => new Date() });
      dispatcher.setWebhookTarget(target.url);
      dispatcher.hold();
      for (let index = 0; index < 6; index++) await dispatcher.dispatch(String(index));
      await dispatcher.release({ order: 'shuffle', seed });
      return target.received().map((webhook) => webhook.rawBody).join('');
    };
    const first = await order(42);
    expect(first.split('').sort().join('')).toBe('012345');
    expect(await order(42)).toBe(first);
  });

  it('never throws: connection refused and timeouts are recorded as failed', async () => {
    const closed = await receiver();
    const deadUrl = closed.url;
    await closed.close();
    const dispatcher = createWebhookDispatcher({ sign, now: () => new Date(), timeoutMs: 100 });
    dispatcher.setWebhookTarget(deadUrl);
    const refused = await dispatcher.dispatch({});
    expect(refused.state).toBe('failed');
    expect(refused.error).toBeDefined();

    const silent = createServer(() => {
      /* never answers */
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanup.push(
      () =>
        new Promise<void>((resolve) => {
          silent.closeAllConnections();
          silent.close(() => resolve());
        }),
    );
    dispatcher.setWebhookTarget(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`);
    const timedOut = await dispatcher.dispatch({});
    expect(timedOut).toMatchObject({ state: 'failed', error: expect.stringMatching(/timed out/) });
  });

  it('keeps deliveries queued while there is no target', async () => {
    const dispatcher = createWebhookDispatcher({ sign, now: () => new Date() });
    await dispatcher.dispatch('a');
    const released = await dispatcher.release();
    expect(released[0]?.state).toBe('queued');
    expect(dispatcher.queued()).toHaveLength(1);
  });
});
