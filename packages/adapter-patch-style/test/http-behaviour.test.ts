import {
  AuthenticationError,
  ProviderError,
  RateLimitError,
  TimeoutError,
  ValidationError,
  type KycProvider,
  type ProviderCreateCustomerInput,
} from '@openkyc/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { patchStyle } from '../src/index.js';
import { application } from './support/application.js';
import { startHarness, type Harness } from './support/harness.js';

const CUSTOMERS = '/api/v1/customers';
const ONE_CUSTOMER = /^\/api\/v1\/customers\/[^/]+$/;

function createInput(reference = 'ref-1'): ProviderCreateCustomerInput {
  return {
    customerId: `cus_${reference}`,
    reference,
    providerReference: reference,
    type: 'individual',
    email: 'test-success@example.com',
    firstName: 'Jane',
    lastName: 'Smith',
  };
}

describe('patch-style HTTP behaviour against the simulator', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  async function created(provider: KycProvider = h.provider, reference = 'ref-1'): Promise<string> {
    const report = await provider.createCustomer(createInput(reference), h.context(`create:patch-style:${reference}`));
    return report.providerCustomerId;
  }

  function submitInput(providerCustomerId: string, app = application()) {
    return { customerId: 'cus_1', providerCustomerId, providerReference: 'ref-1', application: app, type: 'individual' as const, submission: 1 };
  }

  describe('createCustomer', () => {
    it('POSTs the guide body with the Idempotency-Key, and reports created with the provider time', async () => {
      h = await startHarness({ webhooks: false });
      const report = await h.provider.createCustomer(createInput(), h.context('create:patch-style:ref-1'));
      expect(report).toMatchObject({ status: 'created', rawStatus: 'CREATED', occurredAt: h.sim.clock.now().toISOString() });
      const post = h.sim.requests().find((request) => request.method === 'POST')!;
      expect(post.path).toBe(CUSTOMERS);
      expect(post.headers['idempotency-key']).toBe('create:patch-style:ref-1');
      expect(post.headers.authorization).toBe(`Bearer ${h.sim.apiKey}`);
      expect(post.json).toEqual({ type: 'INDIVIDUAL', email: 'test-success@example.com', firstName: 'Jane', lastName: 'Smith' });
    });

    it('the same key twice → one provider customer', async () => {
      h = await startHarness({ webhooks: false });
      const first = await created();
      const second = await created();
      expect(second).toBe(first);
      expect(h.sim.customers()).toHaveLength(1);
    });

    it('a response lost after the provider created the customer (500) is retried with the same key → one customer', async () => {
      h = await startHarness({ webhooks: false });
      h.sim.injectFaultAfterProcessing({ method: 'POST', path: CUSTOMERS, status: 500, body: { error: 'INTERNAL_ERROR', message: 'boom', statusCode: 500 } });
      const id = await created();
      expect(h.sim.customers().map((customer) => customer.id)).toEqual([id]);
      const posts = h.sim.requests().filter((request) => request.method === 'POST');
      expect(posts).toHaveLength(2);
      expect(new Set(posts.map((post) => post.headers['idempotency-key']))).toEqual(new Set(['create:patch-style:ref-1']));
    });

    it('a response that never arrives (timeout after processing) is retried → one customer', async () => {
      h = await startHarness({ webhooks: false, adapter: { timeoutMs: 200 } });
      h.sim.injectFaultAfterProcessing({ method: 'POST', path: CUSTOMERS, latencyMs: 600 });
      const id = await created();
      expect(h.sim.customers().map((customer) => customer.id)).toEqual([id]);
    });

    it('through createKyc: a dropped connection on create still yields one customer', async () => {
      h = await startHarness({ webhooks: false });
      h.sim.injectFault({ method: 'POST', path: CUSTOMERS, reset: true });
      const customer = await h.kyc.createCustomer({ reference: 'u-1', type: 'individual', email: 'a@example.com', firstName: 'A', lastName: 'B' });
      expect(h.sim.customers().map((c) => c.id)).toEqual([customer.providerCustomerId]);
    });
  });

  describe('baseUrl', () => {
    it('accepts the origin and the /api/v1 base (both documented)', async () => {
      h = await startHarness({ webhooks: false });
      const viaApiBase = patchStyle({ baseUrl: `${h.sim.apiBaseUrl}/`, apiKey: h.sim.apiKey, webhookSecret: h.sim.webhookSecret, hostDocument: h.host.hostDocument });
      try {
        const id = await created(viaApiBase, 'ref-2');
        expect(h.sim.customer(id)).toBeDefined();
        expect(h.sim.requests().every((request) => request.path.startsWith('/api/v1/customers'))).toBe(true);
      } finally {
        await viaApiBase.close?.();
      }
    });
  });

  describe('fetch', () => {
    it('GETs the customer; occurredAt is updatedAt as ISO 8601 with offset', async () => {
      h = await startHarness({ webhooks: false });
      const id = await created();
      await h.sim.clock.advance(5_000);
      await h.provider.submit(submitInput(id), h.context());
      await h.sim.clock.advance(30_000);
      await h.sim.settled();
      const report = await h.provider.fetch({ customerId: 'cus_1', providerCustomerId: id, providerReference: 'ref-1' }, h.context());
      expect(report).toEqual({
        providerCustomerId: id,
        status: 'active',
        rawStatus: 'ACTIVE',
        occurredAt: h.sim.customer(id)!.updatedAt.toISOString(),
      });
      expect(report.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    });

    it('reports needs_info with requirements and rejected with the rejection', async () => {
      h = await startHarness({ webhooks: false });
      const id = await created();
      const ref = { customerId: 'cus_1', providerCustomerId: id, providerReference: 'ref-1' };
      await h.sim.forceStatus(id, { status: 'NEEDS_ADDITIONAL_INFORMATION', requiredDocuments: ['PROOF_OF_ADDRESS'], requiredFields: ['address.stateCode'] });
      expect(await h.provider.fetch(ref, h.context())).toMatchObject({
        status: 'needs_info',
        requirements: [
          { kind: 'document', name: 'proof_of_address' },
          { kind: 'field', name: 'address.stateCode' },
        ],
      });
      await h.sim.forceStatus(id, { status: 'REJECTED', rejectionReason: 'FRAUD_SUSPECTED' });
      expect(await h.provider.fetch(ref, h.context())).toMatchObject({
        status: 'rejected',
        rejection: { code: 'fraud_suspected', retryable: false, providerReason: 'FRAUD_SUSPECTED' },
      });
    });
  });

  describe('authentication', () => {
    it('401 without refreshApiKey → AuthenticationError, no PII or key in the message', async () => {
      h = await startHarness({ webhooks: false });
      h.sim.expireApiKey();
      const error = await h.provider.createCustomer(createInput(), h.context()).catch((e: unknown) => e);
      expect(AuthenticationError.isInstance(error)).toBe(true);
      expect((error as AuthenticationError).providerCode).toBe('UNAUTHORIZED');
      expect((error as Error).message).not.toContain(h.sim.apiKey);
      expect(h.sim.requests()).toHaveLength(1);
    });

    it('401 → refreshApiKey once, the request repeated once with the new key', async () => {
      let calls = 0;
      let next = '';
      h = await startHarness({
        webhooks: false,
        adapter: {
          refreshApiKey: async () => {
            calls += 1;
            return next;
          },
        },
      });
      const id = await created();
      h.sim.expireApiKey();
      next = h.sim.rotateApiKey();
      h.sim.requestLog.clearRequests();
      const report = await h.provider.fetch({ customerId: 'cus_1', providerCustomerId: id, providerReference: 'ref-1' }, h.context());
      expect(report.status).toBe('created');
      expect(calls).toBe(1);
      expect(h.sim.requests().map((request) => request.headers.authorization)).toEqual([expect.not.stringContaining(next), `Bearer ${next}`]);
      // The new key is kept: no refresh on the next call.
      await h.provider.fetch({ customerId: 'cus_1', providerCustomerId: id, providerReference: 'ref-1' }, h.context());
      expect(calls).toBe(1);
    });

    it('concurrent 401s share one refresh', async () => {
      let calls = 0;
      h = await startHarness({
        webhooks: false,
        adapter: {
          refreshApiKey: async () => {
            calls += 1;
            await new Promise((resolve) => setTimeout(resolve, 20));
            return h.sim.rotateApiKey('ps_test_rotated_key');
          },
        },
      });
      const id = await created();
      h.sim.expireApiKey();
      const ref = { customerId: 'cus_1', providerCustomerId: id, providerReference: 'ref-1' };
      const reports = await Promise.all([1, 2, 3].map(() => h.provider.fetch(ref, h.context())));
      expect(reports.map((r) => r.status)).toEqual(['created', 'created', 'created']);
      expect(calls).toBe(1);
    });

    it('still 401 after the refresh → AuthenticationError, refresh called once', async () => {
      const refresh = vi.fn(async () => 'still-wrong');
      h = await startHarness({ webhooks: false, adapter: { refreshApiKey: refresh } });
      h.sim.expireApiKey();
      const error = await h.provider.createCustomer(createInput(), h.context()).catch((e: unknown) => e);
      expect(AuthenticationError.isInstance(error)).toBe(true);
      expect(refresh).toHaveBeenCalledTimes(1);
      expect(h.sim.requests()).toHaveLength(2);
    });

    it('a failing refresh callback → AuthenticationError', async () => {
      h = await startHarness({ webhooks: false, adapter: { refreshApiKey: async () => Promise.reject(new Error('vault down')) } });
      h.sim.expireApiKey();
      const error = await h.provider.createCustomer(createInput(), h.context()).catch((e: unknown) => e);
      expect(AuthenticationError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('refreshApiKey failed');
    });
  });

  describe('429, 5xx, timeouts', () => {
    it('429 on a GET is retried after Retry-After', async () => {
      h = await startHarness({ webhooks: false });
      const id = await created();
      h.sim.injectRateLimit({ method: 'GET', retryAfterSeconds: 0, times: 2 });
      const report = await h.provider.fetch({ customerId: 'cus_1', providerCustomerId: id, providerReference: 'ref-1' }, h.context());
      expect(report.status).toBe('created');
      expect(h.sim.requests().filter((request) => request.method === 'GET')).toHaveLength(3);
    });

    it('a long 429 → RateLimitError with retryAfterMs, RATE_LIMITED code', async () => {
      h = await startHarness({ webhooks: false });
      h.sim.injectRateLimit({ retryAfterSeconds: 120 });
      const error = await h.provider.createCustomer(createInput(), h.context()).catch((e: unknown) => e);
      expect(RateLimitError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ retryAfterMs: 120_000, providerCode: 'RATE_LIMITED', isRetryable: true, status: 429 });
    });

    it('5xx is retried; persistent 5xx → retryable ProviderError', async () => {
      h = await startHarness({ webhooks: false });
      h.sim.injectInternalError({ status: 503, times: 1 });
      const id = await created();
      expect(h.sim.customer(id)).toBeDefined();

      h.sim.injectInternalError({ status: 502, times: 10 });
      const error = await h.provider.fetch({ customerId: 'cus_1', providerCustomerId: id, providerReference: 'ref-1' }, h.context()).catch((e: unknown) => e);
      expect(ProviderError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ status: 502, providerCode: 'INTERNAL_ERROR', isRetryable: true });
    });

    it('a provider that does not answer → TimeoutError (retryable)', async () => {
      h = await startHarness({ webhooks: false, adapter: { timeoutMs: 150 } });
      const id = await created();
      h.sim.injectFault({ method: 'GET', path: ONE_CUSTOMER, latencyMs: 1_000, times: 5 });
      const error = await h.provider.fetch({ customerId: 'cus_1', providerCustomerId: id, providerReference: 'ref-1' }, h.context()).catch((e: unknown) => e);
      expect(TimeoutError.isInstance(error)).toBe(true);
      expect((error as TimeoutError).isRetryable).toBe(true);
    });

    it('404 → non-retryable ProviderError NOT_FOUND', async () => {
      h = await startHarness({ webhooks: false });
      const error = await h.provider
        .fetch({ customerId: 'cus_1', providerCustomerId: 'customer_missing', providerReference: 'ref-1' }, h.context())
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 404, providerCode: 'NOT_FOUND', isRetryable: false });
    });
  });

  describe('submit: PATCH kycData', () => {
    it('a 5xx before processing: PATCH again after checking → pending, one landed PATCH', async () => {
      h = await startHarness({ webhooks: false });
      const id = await created();
      h.sim.injectInternalError({ method: 'PATCH', times: 1 });
      const report = await h.provider.submit(submitInput(id), h.context());
      expect(report).toMatchObject({ status: 'pending', rawStatus: 'UNDER_REVIEW' });
      expect(h.sim.customer(id)!.patches).toBe(1);
      expect(h.sim.requests().map((request) => request.method)).toEqual(['POST', 'PATCH', 'GET', 'PATCH']);
    });

    it('a response lost after the PATCH landed: the look-up sees UNDER_REVIEW → pending, no PATCH_NOT_ALLOWED', async () => {
      h = await startHarness({ webhooks: false });
      const id = await created();
      h.sim.injectFaultAfterProcessing({ method: 'PATCH', path: ONE_CUSTOMER, status: 500, body: { error: 'INTERNAL_ERROR', message: 'x', statusCode: 500 } });
      const report = await h.provider.submit(submitInput(id), h.context());
      expect(report).toMatchObject({ status: 'pending', rawStatus: 'UNDER_REVIEW' });
      expect(h.sim.customer(id)!.patches).toBe(1);
      expect(h.sim.requests().map((request) => request.method)).toEqual(['POST', 'PATCH', 'GET']);
    });

    it('a PATCH that times out after landing → pending through the look-up', async () => {
      h = await startHarness({ webhooks: false, adapter: { timeoutMs: 200 } });
      const id = await created();
      h.sim.injectFaultAfterProcessing({ method: 'PATCH', path: ONE_CUSTOMER, latencyMs: 600 });
      const report = await h.provider.submit(submitInput(id), h.context());
      expect(report.status).toBe('pending');
      expect(h.sim.customer(id)!.patches).toBe(1);
    });

    it('429 on PATCH is waited out and repeated', async () => {
      h = await startHarness({ webhooks: false });
      const id = await created();
      h.sim.injectRateLimit({ method: 'PATCH', retryAfterSeconds: 0 });
      const report = await h.provider.submit(submitInput(id), h.context());
      expect(report.status).toBe('pending');
      expect(h.sim.requests().map((request) => request.method)).toEqual(['POST', 'PATCH', 'PATCH']);
    });

    it('PATCH_NOT_ALLOWED (under review) → non-retryable ProviderError with code invalid_state', async () => {
      h = await startHarness({ webhooks: false });
      const id = await created();
      await h.provider.submit(submitInput(id), h.context());
      const error = await h.provider.submit(submitInput(id), h.context()).catch((e: unknown) => e);
      expect(ProviderError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'invalid_state', providerCode: 'PATCH_NOT_ALLOWED', isRetryable: false, status: 400 });
      expect((error as Error).message).toMatch(/UNDER_REVIEW/);
    });

    it('BAD_REQUEST → ValidationError at the application path, message without the value', async () => {
      h = await startHarness({ webhooks: false });
      const id = await created();
      // The adapter validates what it sends, so the provider's own check is made to answer: a refusal the
      // way the contract words it, echoing the value the way real providers do.
      h.sim.injectFault({
        method: 'PATCH',
        path: ONE_CUSTOMER,
        status: 400,
        body: { error: 'BAD_REQUEST', message: 'Validation failed: phoneNumber must be in E.164 format (got 4155550199)', statusCode: 400 },
      });
      const error = await h.provider.submit(submitInput(id), h.context()).catch((e: unknown) => e);
      expect(ValidationError.isInstance(error)).toBe(true);
      expect((error as ValidationError).issues).toEqual([
        { path: ['person', 'phone'], code: 'invalid_phone', message: 'must be in E.164 format (got [redacted]) (refused by patch-style)' },
      ]);
      expect((error as Error).message).not.toContain('4155550199');
      expect(h.sim.customer(id)!.patches).toBe(0);
    });

    it('hostDocument failing → retryable ProviderError before anything is sent', async () => {
      h = await startHarness({ webhooks: false, adapter: { hostDocument: async () => Promise.reject(new Error('bucket gone')) } });
      const id = await created();
      const error = await h.provider.submit(submitInput(id), h.context()).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'provider_error', isRetryable: true });
      expect((error as Error).message).toContain('hostDocument failed to store documents[0].front (passport)');
      expect(h.sim.requests().filter((request) => request.method === 'PATCH')).toHaveLength(0);
    });

    it('hostDocument returning something other than a URL → ConfigurationError', async () => {
      h = await startHarness({ webhooks: false, adapter: { hostDocument: async () => 'not a url' } });
      const id = await created();
      const error = await h.provider.submit(submitInput(id), h.context()).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'configuration_error' });
    });
  });
});
