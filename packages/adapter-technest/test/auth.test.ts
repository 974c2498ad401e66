import { AuthenticationError } from '@openkyc/core';
import { technestErrorBody } from '@openkyc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { technest } from '../src/index.js';
import { CLIENT_SECRET, errorTexts, fullApplication, newCustomer, rejectionOf, startHarness, type Harness } from './support/harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

const tokenRequests = () => h.requests({ path: /^\/oauth\/token$/ });

describe('OAuth client credentials', () => {
  it('token expiry mid-flow: one new token, the refused call repeated once, the flow completes', async () => {
    const customer = await h.kyc.createCustomer(newCustomer());
    expect(tokenRequests()).toHaveLength(1);
    h.sim.expireTokens(); // Technest revokes/expires it early; our cache still thinks it is fresh
    h.sim.clearRequests();

    const submitted = await h.kyc.submit(customer.id, fullApplication());
    expect(submitted.status).toBe('pending');
    expect(tokenRequests()).toHaveLength(1); // exactly one extra token request
    const reads = h.requests({ method: 'GET', path: /^\/v1\/customers\// });
    expect(reads).toHaveLength(2); // refused once, repeated once
    expect(reads[0]!.headers.authorization).not.toBe(reads[1]!.headers.authorization);
    // Every later call used the new token.
    const later = h.requests({ server: 'api' }).filter((r) => r.id > reads[1]!.id);
    expect(new Set(later.map((r) => r.headers.authorization))).toEqual(new Set([reads[1]!.headers.authorization]));
  });

  it('a revoked token is replaced the same way', async () => {
    const customer = await h.kyc.createCustomer(newCustomer());
    const bearer = h.requests({ method: 'POST', path: /^\/v1\/customers$/ })[0]!.headers.authorization!;
    expect(h.sim.revokeToken(bearer.replace('Bearer ', ''))).toBe(true);
    h.sim.clearRequests();
    await h.kyc.refresh(customer.id);
    expect(tokenRequests()).toHaveLength(1);
  });

  it('concurrent callers share one token request', async () => {
    const customers = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((reference) => h.kyc.createCustomer(newCustomer(`user-${reference}`))));
    expect(customers.map((c) => c.status)).toEqual(['created', 'created', 'created', 'created', 'created']);
    expect(tokenRequests()).toHaveLength(1);

    h.sim.expireTokens();
    h.sim.clearRequests();
    await Promise.all(customers.map((customer) => h.kyc.refresh(customer.id)));
    expect(tokenRequests()).toHaveLength(1);
  });

  it('a persistent 401 after the refresh is an AuthenticationError (one refresh only)', async () => {
    const customer = await h.kyc.createCustomer(newCustomer());
    h.sim.clearRequests();
    h.sim.injectFault({
      server: 'api',
      method: 'GET',
      path: '/v1/customers/:id',
      status: 401,
      body: technestErrorBody('token_expired', 'The access token has expired'),
      times: 5,
    });
    const error = await rejectionOf(h.kyc.refresh(customer.id));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: 'authentication_failed', providerCode: 'token_expired', status: 401, isRetryable: false });
    expect(tokenRequests()).toHaveLength(1);
    expect(h.requests({ method: 'GET' })).toHaveLength(2);
  });

  it('wrong client credentials: AuthenticationError naming the options, never the secret', async () => {
    const provider = technest({ baseUrl: h.sim.url, clientId: h.sim.clientId, clientSecret: 'tn_secret_wrong_123', webhookSecret: 'whsec_x' });
    try {
      const error = await rejectionOf(provider.fetch({ providerCustomerId: 'ckcust_1', customerId: 'cus_1', providerReference: 'r' }, h.context()));
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ providerCode: 'invalid_client', status: 401 });
      expect((error as Error).message).toMatch(/clientId and clientSecret/);
      for (const text of errorTexts(error)) {
        expect(text).not.toContain('tn_secret_wrong_123');
        expect(text).not.toContain(CLIENT_SECRET);
      }
      expect(h.requests({ path: /^\/v1\// })).toHaveLength(0);
    } finally {
      await provider.close!();
    }
  });

  it('a failed token request is not cached: the next call tries again', async () => {
    h.sim.injectServerError({ path: '/oauth/token', times: 3 }); // every attempt of the first call
    await expect(h.kyc.createCustomer(newCustomer())).rejects.toMatchObject({ status: 500, isRetryable: true });
    const customer = await h.kyc.createCustomer(newCustomer());
    expect(customer.status).toBe('created');
    expect(tokenRequests()).toHaveLength(4);
  });

  it('insufficient_scope becomes an AuthenticationError that says which scope', async () => {
    const customer = await h.kyc.createCustomer(newCustomer());
    h.sim.injectFault({
      server: 'api',
      method: 'GET',
      path: '/v1/customers/:id',
      status: 403,
      body: technestErrorBody('insufficient_scope', 'This call needs the customer:read scope'),
    });
    const error = await rejectionOf(h.kyc.refresh(customer.id));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toMatch(/customer:write/);
  });
});
