import { technest } from '@openkyc/adapter-technest';
import { createKyc, silentLogger, type Customer, type Kyc } from '@openkyc/core';
import { createTechnestSimulator, signTechnestWebhook, type TechnestSimulator } from '@openkyc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pgliteStore, type SqlStore } from '../src/index.js';
import { statusBody } from './support/technest-fleet.js';

/**
 * The webhook inbox and leased reconcile through createKyc on the embedded store (PGlite), against the
 * Technest simulator: the same SQL as PostgreSQL, one process.
 */
const SECRET = 'whsec_pglite_inbox_0123456789';
const HOUR = 60 * 60_000;
let simulator: TechnestSimulator;
let store: SqlStore;
const clients: Kyc[] = [];

beforeEach(async () => {
  simulator = await createTechnestSimulator({ webhookSecret: SECRET });
  store = pgliteStore();
});
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await store.close();
  await simulator.close();
});

function client(): Kyc {
  const kyc = createKyc({
    providers: [technest({ baseUrl: simulator.url, clientId: simulator.clientId, clientSecret: simulator.clientSecret, webhookSecret: SECRET })],
    store,
  });
  clients.push(kyc);
  return kyc;
}

function deliver(kyc: Kyc, text: string) {
  const body = Buffer.from(text);
  return kyc.handleWebhook('technest', {
    headers: { 'content-type': 'application/json', 'technest-signature': signTechnestWebhook(SECRET, body, Math.floor(Date.now() / 1000)) },
    body,
  });
}

describe('pgliteStore: the webhook inbox and reconcile leases through createKyc', () => {
  it('parks a Technest webhook for a record not yet stored and applies it once when createCustomer commits', async () => {
    const kyc = client();
    const report = await kyc.providers.get('technest')!.createCustomer(
      { customerId: 'cus_pre', reference: 'lite-1', providerReference: 'lite-1', type: 'individual', email: 'lite@example.com', firstName: 'Jane', lastName: 'Smith' },
      { logger: silentLogger, now: () => new Date(), idempotencyKey: 'pre:lite-1' },
    );
    const body = statusBody({ providerCustomerId: report.providerCustomerId, providerReference: 'lite-1' } as Customer, 'pending', new Date(Date.now() - 10_000), 'created');
    expect(await deliver(kyc, body)).toEqual({ events: [], duplicate: false, parked: true });
    expect(await kyc.listParkedWebhooks()).toEqual([expect.objectContaining({ providerCustomerId: report.providerCustomerId, status: 'pending', stale: false })]);

    const customer = await kyc.createCustomer({ reference: 'lite-1', type: 'individual', email: 'lite@example.com', firstName: 'Jane', lastName: 'Smith' });
    expect(customer.status).toBe('pending');
    expect((await kyc.listEvents(customer.id)).map((event) => event.type)).toEqual(['customer.created', 'customer.submitted']);
    expect(await kyc.listParkedWebhooks()).toEqual([]);
    expect(await deliver(kyc, body)).toMatchObject({ duplicate: true });
  });

  it('two clients reconciling at once poll each due customer once', async () => {
    const setup = client();
    const customers: Customer[] = [];
    for (let i = 0; i < 40; i++) {
      customers.push(await setup.createCustomer({ reference: `lite-due-${i}`, type: 'individual', email: `d${i}@example.com`, firstName: 'Jane', lastName: 'Smith' }));
    }
    simulator.clearRequests();
    const now = new Date(Date.now() + 25 * HOUR);
    const [a, b] = await Promise.all([client().reconcile({ now, concurrency: 2 }), client().reconcile({ now, concurrency: 2 })]);
    expect(a.checked + b.checked).toBe(40);
    const polled = simulator.requests().filter((request) => request.method === 'GET' && /^\/v1\/customers\/[^/]+$/.test(request.path));
    expect(polled.map((request) => request.path).sort()).toEqual(customers.map((customer) => `/v1/customers/${customer.providerCustomerId}`).sort());
    // Polled now: due again tomorrow, not in this run's time.
    expect((await setup.reconcile({ now })).checked).toBe(0);
  });
});
