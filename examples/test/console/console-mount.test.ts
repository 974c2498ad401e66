import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { technest } from '@openkyc/adapter-technest';
import { createConsole, type OpsConsole } from '@openkyc/console';
import { createKyc, memoryStore, type Customer, type Kyc } from '@openkyc/core';
import { createTechnestSimulator, technestApplication, type TechnestSimulator } from '@openkyc/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createExpressConsoleApp } from '../../console/express.js';
import { createFastifyConsoleApp } from '../../console/fastify.js';
import { createNodeConsoleServer } from '../../console/node-http.js';

// The console mounted under /ops in each example, over real HTTP: pages with /ops links, the app's own
// routes untouched, 401 without credentials, and the CSRF-protected refresh working end to end.

const BASE = '/ops';
const AUTH = { authorization: 'Bearer ops-example' };

let sim: TechnestSimulator;
let kyc: Kyc;
let ops: OpsConsole;

beforeAll(async () => {
  sim = await createTechnestSimulator({ reviewDelayMs: Number.POSITIVE_INFINITY });
  kyc = createKyc({
    providers: [technest({ baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret, webhookSecret: sim.webhookSecret })],
    store: memoryStore(),
    now: () => sim.clock.now(),
  });
  ops = createConsole({ kyc, basePath: BASE, authorize: (request) => request.headers.get('authorization') === AUTH.authorization });
});

afterAll(async () => {
  await kyc.close();
  await sim.close();
});

const mounts: Record<string, () => Promise<{ url: string; close(): Promise<void> }>> = {
  'node:http': () => listen(createNodeConsoleServer(ops, BASE)),
  express: () => listen(createServer(createExpressConsoleApp(ops, BASE))),
  fastify: async () => {
    const app = createFastifyConsoleApp(ops, BASE);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, close: () => app.close() };
  },
};

describe.each(Object.keys(mounts))('the console mounted under /ops in %s', (name) => {
  let mount: { url: string; close(): Promise<void> };
  afterEach(() => mount.close());

  it('serves its pages with /ops links, leaves the app its routes, refuses strangers and refreshes with CSRF', async () => {
    mount = await mounts[name]!();
    let customer: Customer = await kyc.createCustomer({ reference: `mount-${name}`, type: 'individual', email: 'jane@example.com', firstName: 'Jane', lastName: 'Smith' });
    customer = await kyc.submit(customer.id, technestApplication());
    sim.setOutcome(customer.providerCustomerId, { status: 'verified', afterMs: 1_000 });
    await sim.clock.advance(2_000);

    const overview = await fetch(`${mount.url}${BASE}/`, { headers: AUTH });
    expect(overview.status).toBe(200);
    expect(overview.headers.get('content-security-policy')).toContain("default-src 'none'");
    const links = [...(await overview.text()).matchAll(/\s(?:href|action)="([^"]*)"/g)].map((match) => match[1]!);
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect(link).toMatch(/^\/ops\//);

    expect((await fetch(`${mount.url}/health`)).status).toBe(200);
    expect((await fetch(`${mount.url}${BASE}/`)).status).toBe(401);

    const page = await fetch(`${mount.url}${BASE}/customers/${customer.id}`, { headers: AUTH });
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const token = /name="csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const refresh = (csrf: string) =>
      fetch(`${mount.url}${BASE}/customers/${customer.id}/refresh`, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...AUTH, cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf }).toString(),
      });
    expect((await refresh('forged')).status).toBe(403);
    expect((await kyc.getCustomer(customer.id)).status).toBe('pending');
    const done = await refresh(token);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${BASE}/customers/${customer.id}?done=refresh`);
    expect((await kyc.getCustomer(customer.id)).status).toBe('verified');
  });
});

async function listen(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
