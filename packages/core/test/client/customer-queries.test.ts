import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKyc } from '../../src/client/create-kyc.js';
import type { Kyc } from '../../src/client/kyc.js';
import { ValidationError } from '../../src/errors.js';
import { memoryStore } from '../../src/store/memory-store.js';
import { sampleApplication } from '../support/application-fixture.js';
import { startTinyServer, tinyProvider, type TinyServer } from '../support/tiny-provider.js';

// The read API an operator console lists and counts with: listCustomers, countCustomers,
// findCustomerByProviderCustomerId, against a real (loopback) provider and the memory store.

let server: TinyServer;
let kyc: Kyc;
let now: Date;
const HOUR = 60 * 60_000;

beforeEach(async () => {
  now = new Date('2026-11-22T10:00:00.000Z');
  server = await startTinyServer(() => now);
  kyc = createKyc({
    providers: [tinyProvider(server), tinyProvider(server, { id: 'other' })],
    store: memoryStore(),
    now: () => now,
  });
});

afterEach(async () => {
  await kyc.close();
  await server.close();
});

const create = (reference: string, provider?: string) =>
  kyc.createCustomer({ reference, type: 'individual', email: 'jane@example.com', firstName: 'Jane', lastName: 'Smith', ...(provider ? { provider } : {}) });

describe('listCustomers', () => {
  it('pages through every customer in a stable order with an opaque cursor', async () => {
    const ids = [];
    for (let index = 0; index < 5; index++) ids.push((await create(`user-${index}`)).id);

    const first = await kyc.listCustomers({ limit: 2 });
    expect(first.customers.map((customer) => customer.id)).toEqual(ids.slice(0, 2));
    const second = await kyc.listCustomers({ limit: 2, after: first.next! });
    expect(second.customers.map((customer) => customer.id)).toEqual(ids.slice(2, 4));
    const last = await kyc.listCustomers({ limit: 2, after: second.next! });
    expect(last.customers.map((customer) => customer.id)).toEqual(ids.slice(4));
    expect(last.next).toBeUndefined();
  });

  it('has no next cursor when the page is exactly full and nothing follows', async () => {
    await create('user-a');
    await create('user-b');
    expect((await kyc.listCustomers({ limit: 2 })).next).toBeUndefined();
  });

  it('filters by status and provider, also after a cursor whose customer no longer matches', async () => {
    const a = await create('user-a');
    const b = await create('user-b', 'other');
    const c = await create('user-c');
    await kyc.submit(a.id, sampleApplication());

    expect((await kyc.listCustomers({ status: 'created' })).customers.map((x) => x.id)).toEqual([b.id, c.id]);
    expect((await kyc.listCustomers({ status: ['pending', 'created'], provider: 'tiny' })).customers.map((x) => x.id)).toEqual([a.id, c.id]);
    expect((await kyc.listCustomers({ provider: 'other' })).customers.map((x) => x.id)).toEqual([b.id]);

    const page = await kyc.listCustomers({ status: 'created', limit: 1 });
    expect(page.customers.map((x) => x.id)).toEqual([b.id]);
    await kyc.submit(b.id, sampleApplication()); // the cursor's customer leaves the filter
    expect((await kyc.listCustomers({ status: 'created', after: page.next! })).customers.map((x) => x.id)).toEqual([c.id]);
  });

  it('answers an empty page for a cursor it does not know', async () => {
    await create('user-a');
    expect(await kyc.listCustomers({ after: 'no-such-customer' })).toEqual({ customers: [] });
  });

  it.each([0, 501, 1.5, Number.NaN])('refuses limit %s before reading the store', async (limit) => {
    await expect(kyc.listCustomers({ limit })).rejects.toSatisfy(
      (error) => ValidationError.isInstance(error) && error.issues[0]?.code === 'invalid_limit',
    );
  });
});

describe('countCustomers', () => {
  it('counts per status (every status present) and per provider, and the reviews past the escalation time', async () => {
    const a = await create('user-a');
    const b = await create('user-b');
    await create('user-c', 'other');
    await kyc.submit(a.id, sampleApplication());
    now = new Date(now.getTime() + HOUR);
    await kyc.submit(b.id, sampleApplication());

    const counts = await kyc.countCustomers();
    expect(counts).toEqual({
      total: 3,
      byStatus: { created: 1, pending: 2, needs_info: 0, verified: 0, active: 0, rejected: 0, deactivated: 0 },
      byProvider: { tiny: 2, other: 1 },
      reviewsOverdue: 0,
    });
    // tiny escalates after 2 hours: a is overdue at +2h, b one hour later.
    now = new Date(now.getTime() + HOUR);
    expect((await kyc.countCustomers()).reviewsOverdue).toBe(1);
    expect((await kyc.countCustomers({ now: new Date(now.getTime() + HOUR) })).reviewsOverdue).toBe(2);
  });
});

describe('findCustomerByProviderCustomerId', () => {
  it('finds the customer by its provider record id, and only at that provider', async () => {
    const a = await create('user-a');
    expect((await kyc.findCustomerByProviderCustomerId('tiny', a.providerCustomerId))?.id).toBe(a.id);
    expect(await kyc.findCustomerByProviderCustomerId('other', a.providerCustomerId)).toBeUndefined();
    expect(await kyc.findCustomerByProviderCustomerId('tiny', 'unknown')).toBeUndefined();
  });
});
