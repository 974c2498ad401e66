import { createKyc, type KycLogger } from '@openkyc/core';
import { createDocumentHost, createPatchStyleSimulator } from '@openkyc/testkit';
import { expect, it } from 'vitest';
import { patchStyle } from '../src/index.js';

it('sends its HTTP log lines to the logger createKyc was given, without an adapter logger option', async () => {
  const sim = await createPatchStyleSimulator();
  const host = await createDocumentHost();
  const lines: Record<string, unknown>[] = [];
  const push = (obj: Record<string, unknown>) => {
    lines.push(obj);
  };
  const logger: KycLogger = { debug: push, info: push, warn: push, error: push };
  const kyc = createKyc({
    providers: [patchStyle({ baseUrl: sim.url, apiKey: sim.apiKey, webhookSecret: sim.webhookSecret, hostDocument: host.hostDocument })],
    logger,
    now: () => sim.clock.now(),
  });
  try {
    const customer = await kyc.createCustomer({ reference: 'log-1', type: 'individual', email: 'log@example.com', firstName: 'L', lastName: 'G' });
    sim.injectFault({ method: 'GET', path: '/api/v1/customers/:id', status: 503 });
    await kyc.refresh(customer.id);
    expect(lines).toEqual(
      expect.arrayContaining([expect.objectContaining({ provider: 'patch-style', method: 'GET', status: 503, attempt: 1 })]),
    );
  } finally {
    await kyc.close();
    await sim.close();
    await host.close();
  }
});
