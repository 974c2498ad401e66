import { NotRetryableError, ProviderError, ValidationError } from '@openkyc/core';
import { technestErrorBody } from '@openkyc/testkit';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  application,
  newCustomer,
  passport,
  rejectionOf,
  responseLosingDispatcher,
  startHarness,
  type Harness,
} from './support/harness.js';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

const createInput = (reference: string, email = 'jane@example.com') => ({
  customerId: 'cus_test',
  reference,
  providerReference: reference,
  type: 'individual' as const,
  email,
  firstName: 'Jane',
  lastName: 'Smith',
});

describe('createCustomer', () => {
  it('409 customer_reference_taken on our own record (same e-mail, any case) → adopted', async () => {
    h = await startHarness();
    const first = await h.provider.createCustomer(createInput('user-9'), h.context());
    h.sim.clearRequests();
    const second = await h.provider.createCustomer(createInput('user-9', 'JANE@Example.com'), h.context());
    expect(second).toEqual(first);
    expect(second).toMatchObject({ status: 'created', rawStatus: 'created', providerReference: 'user-9' });
    expect(h.sim.requests().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/customers', `GET /v1/customers/${first.providerCustomerId}`]);
    expect(h.sim.listCustomers()).toHaveLength(1);
  });

  it("409 on someone else's record (different e-mail) → a clear non-retryable error, nothing adopted", async () => {
    h = await startHarness();
    await h.provider.createCustomer(createInput('user-9', 'someone@example.com'), h.context());
    const error = await rejectionOf(h.kyc.createCustomer(newCustomer('user-9')));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ providerCode: 'customer_reference_taken', status: 409, isRetryable: false });
    expect((error as Error).message).toMatch(/belongs to another customer/);
    expect((error as Error).message).not.toMatch(/someone@example\.com|jane@example\.com/);
    expect(await h.kyc.findCustomerByReference('user-9')).toBeUndefined();
  });

  it('a create whose response was lost is repeated by the toolkit and adopts what the first one made', async () => {
    const dispatcher = responseLosingDispatcher(({ method, path }) => method === 'POST' && path === '/v1/customers');
    h = await startHarness({ adapter: { dispatcher } });
    try {
      const customer = await h.kyc.createCustomer(newCustomer('user-lost'));
      expect(dispatcher.lost).toBe(1);
      expect(h.sim.listCustomers()).toHaveLength(1);
      expect(customer.providerCustomerId).toBe(h.sim.findCustomerByReference('user-lost')?.id);
      expect(h.requests({ method: 'POST', path: /^\/v1\/customers$/ })).toHaveLength(2);
    } finally {
      await dispatcher.close();
    }
  });

  it('adopting a record that is already under review reports its status', async () => {
    h = await startHarness();
    const first = await h.kyc.createCustomer(newCustomer('user-7'));
    await h.kyc.submit(first.id, application());
    // The platform lost its store: a new openkyc customer for the same reference.
    const report = await h.provider.createCustomer(createInput('user-7'), h.context());
    expect(report).toMatchObject({ providerCustomerId: first.providerCustomerId, status: 'pending' });
  });

  it('business customers are refused before any request (core, and the adapter on its own)', async () => {
    h = await startHarness();
    const viaCore = await rejectionOf(h.kyc.createCustomer({ ...newCustomer('biz-1'), type: 'business' }));
    expect(viaCore).toBeInstanceOf(ValidationError);
    expect((viaCore as ValidationError).issues[0]).toMatchObject({ path: ['type'], code: 'unsupported_customer_type' });
    const direct = await rejectionOf(h.provider.createCustomer({ ...createInput('biz-2'), type: 'business' }, h.context()));
    expect(direct).toBeInstanceOf(ValidationError);
    expect((direct as Error).message).toMatch(/KYB/);
    expect(h.sim.requests()).toHaveLength(0);
  });

  it('kyb_required from Technest (a business record) becomes a NotRetryableError', async () => {
    h = await startHarness();
    const token = h.sim.issueAccessToken();
    const response = await request(`${h.sim.url}/v1/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'business', customer_reference: 'biz-3', email: 'ops@acme.example', first_name: 'Acme', last_name: 'Ltd' }),
    });
    const business = (await response.body.json()) as { id: string };
    const error = await rejectionOf(
      h.provider.submit(
        {
          customerId: 'cus_biz',
          providerCustomerId: business.id,
          providerReference: 'biz-3',
          application: application([passport()]),
          type: 'individual',
          submission: 1,
        },
        h.context(),
      ),
    );
    expect(error).toBeInstanceOf(NotRetryableError);
    expect((error as Error).message).toMatch(/KYB onboarding/);
  });

  it('validation_failed on create names the input field, not the value', async () => {
    h = await startHarness();
    h.sim.injectFault({
      server: 'api',
      method: 'POST',
      path: '/v1/customers',
      status: 400,
      body: technestErrorBody('validation_failed', 'email jane@example.com is not a valid e-mail address', { param: 'email' }),
    });
    const error = await rejectionOf(h.kyc.createCustomer(newCustomer('user-5')));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path: ['email'], code: 'provider_validation_failed', message: expect.any(String) }]);
    expect((error as Error).message).not.toContain('jane@example.com');
  });
});
