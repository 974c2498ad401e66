/**
 * Swapping a platform's KYC provider is a configuration change: the same code,
 * a different JSON. New customers go to the new default; existing customers
 * stay with the provider that holds their records.
 */
import { patchStyle } from '@openkyc/adapter-patch-style';
import { technest } from '@openkyc/adapter-technest';
import { createKyc, fromConfig, memoryStore, type Kyc } from '@openkyc/core';
import {
  createDocumentHost,
  createPatchStyleSimulator,
  createTechnestSimulator,
  patchStyleApplication,
  technestApplication,
  type DocumentHost,
  type PatchStyleSimulator,
  type TechnestSimulator,
} from '@openkyc/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let technestSim: TechnestSimulator;
let patchSim: PatchStyleSimulator;
let documentHost: DocumentHost;
const clients: Kyc[] = [];

beforeAll(async () => {
  technestSim = await createTechnestSimulator();
  patchSim = await createPatchStyleSimulator();
  documentHost = await createDocumentHost();
});

afterAll(async () => {
  await Promise.all(clients.map((kyc) => kyc.close()));
  await Promise.all([technestSim.close(), patchSim.close(), documentHost.close()]);
});

/** The platform's one piece of code: build the client from whatever the configuration says. */
function platformKyc(configJson: string, store = memoryStore()): Kyc {
  const kyc = createKyc(
    fromConfig(
      configJson,
      {
        technest,
        // hostDocument is a function, so it is bound here rather than written in JSON.
        'patch-style': (options: Record<string, unknown>) =>
          patchStyle({ ...(options as unknown as Parameters<typeof patchStyle>[0]), hostDocument: documentHost.hostDocument }),
      },
      { store },
    ),
  );
  clients.push(kyc);
  return kyc;
}

const technestOptions = () => ({
  baseUrl: technestSim.url,
  clientId: technestSim.clientId,
  clientSecret: technestSim.clientSecret,
  webhookSecret: technestSim.webhookSecret,
});
const patchStyleOptions = () => ({ baseUrl: patchSim.url, apiKey: patchSim.apiKey, webhookSecret: patchSim.webhookSecret });

describe('swapping providers', () => {
  it('is a configuration change: new customers go to the new default, existing ones stay', async () => {
    const store = memoryStore();
    const before = platformKyc(JSON.stringify({ defaultProvider: 'technest', providers: { technest: technestOptions() } }), store);
    const early = await before.createCustomer({ reference: 'swap-early', type: 'individual', email: 'early@example.com', firstName: 'Ann', lastName: 'Early' });
    expect(early.provider).toBe('technest');

    // The operator edits the configuration; the code above does not change.
    const after = platformKyc(
      JSON.stringify({ defaultProvider: 'patch-style', providers: { technest: technestOptions(), 'patch-style': patchStyleOptions() } }),
      store,
    );
    const late = await after.createCustomer({ reference: 'swap-late', type: 'individual', email: 'late@example.com', firstName: 'Bob', lastName: 'Late' });
    expect(late.provider).toBe('patch-style');
    expect(patchSim.customer(late.providerCustomerId)).toBeDefined();

    // Both keep working through the same API, each at its own provider.
    expect((await after.submit(late.id, patchStyleApplication())).status).toBe('pending');
    expect((await after.submit(early.id, technestApplication())).status).toBe('pending');
    expect(technestSim.getCustomer(early.providerCustomerId)?.status).toBe('pending');
    expect((await after.getCustomer(early.id)).provider).toBe('technest');
  });

  it('names the bad key when the new configuration is wrong', () => {
    expect(() =>
      platformKyc(JSON.stringify({ defaultProvider: 'patch-style', providers: { 'patch-style': { ...patchStyleOptions(), apiKey: 42 } } })),
    ).toThrow(/providers\.patch-style\.apiKey/);
    expect(() => platformKyc(JSON.stringify({ providers: { acme: {} } }))).toThrow(/providers\.acme/);
  });
});
