import { ConfigurationError, createKyc } from '@openkyc/core';
import { afterEach, describe, expect, it } from 'vitest';
import { clientsCommand } from '../src/index.js';
import { adapterOptions, fullApplication, driversLicense, newCustomer, nextReference, startHarness, type Harness } from './support/fixtures.js';
import { createClientsCommandSimulator, type ClientsCommandSimulator } from './support/simulator.js';

const harnesses: Harness[] = [];
const simulators: ClientsCommandSimulator[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
  await Promise.all(simulators.splice(0).map((sim) => sim.close()));
});

async function harness(...args: Parameters<typeof startHarness>): Promise<Harness> {
  const h = await startHarness(...args);
  harnesses.push(h);
  return h;
}

describe('identifier type ids are looked up by name', () => {
  it('two installations with different ids both work, each with its own ids', async () => {
    const a = await harness({ simulator: { identifierTypes: [{ id: 1, name: 'Passport' }, { id: 2, name: 'SSN' }, { id: 4, name: 'Drivers License' }] } });
    const b = await harness({
      simulator: {
        identifierTypes: [
          { id: 907, name: 'drivers license' },
          { id: 311, name: 'SSN' },
          { id: 12, name: 'passport' },
        ],
      },
    });
    for (const [h, ids] of [
      [a, { Passport: 1, SSN: 2, 'Drivers License': 4 }],
      [b, { Passport: 12, SSN: 311, 'Drivers License': 907 }],
    ] as const) {
      const customer = await newCustomer(h);
      const after = await h.kyc.submit(customer.id, fullApplication({ documents: [driversLicense()] }));
      expect(after.status).toBe('verified');
      const sent = h.sim
        .requests()
        .filter((request) => request.method === 'POST' && request.path.endsWith('/identifiers'))
        .map((request) => (request.json as { documentTypeId: number }).documentTypeId)
        .sort((x, y) => x - y);
      expect(sent).toEqual([ids.SSN, ids['Drivers License']].sort((x, y) => x - y));
    }
  });

  it('fetches the template once per adapter instance, however many customers and concurrent submits', async () => {
    const h = await harness();
    const customers = await Promise.all([newCustomer(h), newCustomer(h), newCustomer(h)]);
    const results = await Promise.all(customers.map((customer) => h.kyc.submit(customer.id, fullApplication())));
    expect(results.map((customer) => customer.status)).toEqual(['verified', 'verified', 'verified']);
    expect(h.count('GET', /\/identifiers\/template$/)).toBe(1);

    // A second adapter instance has its own cache.
    const other = clientsCommand({ ...adapterOptions(h.sim), id: 'clients-command-2' });
    const kyc = createKyc({ providers: [other], now: () => h.sim.clock.now() });
    const customer = await kyc.createCustomer({ reference: nextReference(), type: 'individual', email: 'a@example.com', firstName: 'A', lastName: 'B' });
    await kyc.submit(customer.id, fullApplication());
    expect(h.count('GET', /\/identifiers\/template$/)).toBe(2);
    await kyc.close();
  });

  it('a failed template lookup is not cached', async () => {
    const h = await harness();
    h.sim.injectFault({ method: 'GET', path: /\/identifiers\/template$/, status: 404, body: { httpStatusCode: '404', userMessageGlobalisationCode: 'error.msg.resource.not.found', errors: [] } });
    const customer = await newCustomer(h);
    await expect(h.kyc.submit(customer.id, fullApplication())).rejects.toMatchObject({ status: 404 });
    expect((await h.kyc.submit(customer.id, fullApplication())).status).toBe('verified');
    expect(h.count('GET', /\/identifiers\/template$/)).toBe(2);
  });

  it('a type the tenant does not have is a configuration error naming it', async () => {
    const h = await harness({ simulator: { identifierTypes: [{ id: 3, name: 'SSN' }] } });
    const customer = await newCustomer(h);
    const error = await h.kyc.submit(customer.id, fullApplication()).catch((caught: unknown) => caught);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("'Passport'");
    expect((error as Error).message).toContain('SSN');
  });
});

describe('an identifier already there', () => {
  it('a duplicate-type refusal on re-submission is treated as done (its id found by listing)', async () => {
    const h = await harness();
    const customer = await newCustomer(h);
    await h.kyc.submit(customer.id, fullApplication({ contactVerified: { email: false, phone: false } }));
    // The listing misses them this time, so the adapter tries to create both again.
    h.sim.injectFault({ method: 'GET', path: /\/identifiers$/, status: 200, body: [] });
    const after = await h.kyc.submit(customer.id, fullApplication());
    expect(after.status).toBe('verified');
    const duplicates = h.sim
      .requests()
      .filter((request) => request.method === 'POST' && request.path.endsWith('/identifiers')).length;
    // 2 created the first time; 1 refused as a duplicate, after which the fresh listing finds the other.
    expect(duplicates).toBe(3);
    const client = h.sim.getClient(Number(customer.providerCustomerId))!;
    expect(client.identifiers).toHaveLength(2);
    // The contract lists no documents: the passport file goes again with each submission.
    expect(client.identifiers.flatMap((identifier) => identifier.documents)).toHaveLength(2);
  });

  it('an identifier created but answered with 503 is adopted when the retry is refused as a duplicate', async () => {
    const h = await harness();
    const customer = await newCustomer(h);
    h.sim.injectFaultAfterProcessing({ method: 'POST', path: /\/identifiers$/, status: 503 });
    const after = await h.kyc.submit(customer.id, fullApplication());
    expect(after.status).toBe('verified');
    expect(h.sim.getClient(Number(customer.providerCustomerId))!.identifiers).toHaveLength(2);
  });

  it('an identifier removed in the back office is created again on the next submission', async () => {
    const h = await harness();
    const customer = await newCustomer(h);
    await h.kyc.submit(customer.id, fullApplication({ identifiers: [], contactVerified: { email: false, phone: true } }));
    const client = h.sim.getClient(Number(customer.providerCustomerId))!;
    h.sim.removeIdentifier(client.id, client.identifiers[0]!.id);
    const after = await h.kyc.submit(customer.id, fullApplication({ identifiers: [] }));
    expect(after.status).toBe('verified');
    expect(h.count('POST', /\/documents$/)).toBe(2);
  });
});

describe('simulators are independent', () => {
  it('works against a simulator created directly', async () => {
    const sim = await createClientsCommandSimulator({ username: 'u', password: 'p@ss:word', tenantId: 'bank-7' });
    simulators.push(sim);
    const kyc = createKyc({ providers: [clientsCommand(adapterOptions(sim))], now: () => sim.clock.now() });
    const customer = await kyc.createCustomer({ reference: nextReference(), type: 'individual', email: 'a@example.com', firstName: 'A', lastName: 'B' });
    expect((await kyc.submit(customer.id, fullApplication())).status).toBe('verified');
    await kyc.close();
  });
});
