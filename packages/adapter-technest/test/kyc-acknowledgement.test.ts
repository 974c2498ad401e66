import { ProviderError } from '@openkyc/core';
import { afterEach, describe, expect, it } from 'vitest';
import { CANARY, fullApplication, newCustomer, startHarness, type Harness } from './support/harness.js';

/**
 * `POST /v1/customers/{id}/kyc` is optional in the contract ("acknowledgement
 * only … Optional, but adapters call it for the audit timestamp"). A deployment
 * that switched it off must not fail onboarding: the adapter logs a warning
 * and reports the customer as read.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the optional KYC acknowledgement, switched off on the deployment', () => {
  it.each([
    ['disabled', 404],
    ['method-not-allowed', 405],
  ] as const)('%s (%i): submit reports pending with a warning, and the onboarding completes', async (setting, status) => {
    h = await startHarness({ sim: { kycAcknowledgement: setting } });
    const customer = await h.kyc.createCustomer(newCustomer());
    const submitted = await h.kyc.submit(customer.id, fullApplication());
    expect(submitted).toMatchObject({ status: 'pending', rawStatus: 'pending', submissions: 1 });

    const id = customer.providerCustomerId;
    const ack = h.requests({ method: 'POST', path: /\/kyc$/ });
    expect(ack).toHaveLength(1); // a 404 / 405 is not retried
    expect(h.requests().slice(-2).map((r) => `${r.method} ${r.path}`)).toEqual([`POST /v1/customers/${id}/kyc`, `GET /v1/customers/${id}`]);
    expect(h.sim.getCustomer(id)).toMatchObject({ status: 'pending', kycSubmittedAt: null });

    const warnings = h.logs.filter((line) => line.level === 'warn');
    expect(warnings).toEqual([
      { level: 'warn', obj: expect.objectContaining({ provider: 'technest', providerCustomerId: id, status }), msg: expect.stringMatching(/acknowledgement.*not available/) },
    ]);
    const written = JSON.stringify(h.logs);
    for (const canary of Object.values(CANARY)) expect(written).not.toContain(canary);

    await h.sim.completeReviews();
    await h.deliverWebhooks();
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('verified');
    expect(h.sim.contractViolations()).toEqual([]);
  });

  it('a re-submission that finds the customer under review without an acknowledgement also degrades', async () => {
    h = await startHarness();
    const customer = await h.kyc.createCustomer(newCustomer());
    h.sim.injectServerError({ method: 'POST', path: '/v1/customers/:id/kyc', times: 3 });
    await expect(h.kyc.submit(customer.id, fullApplication())).rejects.toMatchObject({ status: 500 });
    h.sim.kycAcknowledgement = 'disabled';

    const submitted = await h.kyc.submit(customer.id, fullApplication());
    expect(submitted).toMatchObject({ status: 'pending', submissions: 1 });
    expect(h.logs.filter((line) => line.level === 'warn' && /acknowledgement/.test(line.msg ?? ''))).toHaveLength(1);
  });

  it('a 404 customer_not_found on the acknowledgement is still an error', async () => {
    h = await startHarness();
    const customer = await h.kyc.createCustomer(newCustomer());
    h.sim.injectFault({
      method: 'POST',
      path: '/v1/customers/:id/kyc',
      status: 404,
      body: { error: { type: 'not_found', code: 'customer_not_found', message: 'No customer' } },
    });
    const error = await h.kyc.submit(customer.id, fullApplication()).catch((caught: unknown) => caught);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 404, providerCode: 'customer_not_found' });
    expect(h.logs.filter((line) => line.level === 'warn')).toEqual([]);
  });
});
