import { ProviderError, RateLimitError, TimeoutError } from '@openkyc/core';
import { technestErrorBody } from '@openkyc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { fullApplication, newCustomer, rejectionOf, startHarness, type Harness, type HarnessOptions } from './support/harness.js';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function created(options: HarnessOptions = {}) {
  h = await startHarness(options);
  const customer = await h.kyc.createCustomer(newCustomer());
  h.sim.clearRequests();
  return { h, customer };
}

const reads = (harness: Harness) => harness.requests({ method: 'GET', path: /^\/v1\/customers\/ckcust_/ });

describe('transient failures', () => {
  it('5xx on GET is retried and succeeds', async () => {
    const { h, customer } = await created();
    h.sim.injectServerError({ method: 'GET', path: '/v1/customers/:id', times: 1, code: 'upstream_unavailable' });
    h.sim.injectServerError({ method: 'GET', path: '/v1/customers/:id', times: 1 });
    expect((await h.kyc.refresh(customer.id)).status).toBe('created');
    expect(reads(h)).toHaveLength(3);
  });

  it('a connection reset on GET is retried and succeeds', async () => {
    const { h, customer } = await created();
    const fault = h.sim.injectFault({ server: 'api', method: 'GET', path: '/v1/customers/:id', reset: true });
    expect((await h.kyc.refresh(customer.id)).status).toBe('created');
    expect(fault.hits).toBe(1);
    expect(reads(h)).toHaveLength(2);
  });

  it('5xx that persists: a retryable ProviderError after the attempts', async () => {
    const { h, customer } = await created();
    h.sim.injectServerError({ method: 'GET', path: '/v1/customers/:id', times: Infinity });
    const error = await rejectionOf(h.kyc.refresh(customer.id));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 500, providerCode: 'internal_error', isRetryable: true });
    expect(reads(h)).toHaveLength(3);
  });

  it('429 with Retry-After is honoured', async () => {
    const { h, customer } = await created();
    h.sim.injectRateLimit({ method: 'GET', path: '/v1/customers/:id', retryAfterSeconds: 0.4 });
    const started = performance.now();
    expect((await h.kyc.refresh(customer.id)).status).toBe('created');
    expect(performance.now() - started).toBeGreaterThanOrEqual(380);
    const [limited, retried] = reads(h);
    expect(retried!.at.getTime() - limited!.at.getTime()).toBe(0); // the simulator clock stood still: the wait was ours
  });

  it('429 asking to wait past the deadline: RateLimitError with retryAfterMs, no sleeping', async () => {
    const { h, customer } = await created();
    h.sim.injectRateLimit({ method: 'GET', path: '/v1/customers/:id', retryAfterSeconds: 120 });
    const started = performance.now();
    const error = await rejectionOf(h.kyc.refresh(customer.id));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ retryAfterMs: 120_000, providerCode: 'rate_limited', isRetryable: true });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('a slow Technest: TimeoutError within the deadline', async () => {
    const { h, customer } = await created({ adapter: { timeoutMs: 100 } });
    h.sim.injectFault({ server: 'api', method: 'GET', path: '/v1/customers/:id', latencyMs: 2_000, times: Infinity });
    const started = performance.now();
    const error = await rejectionOf(h.kyc.refresh(customer.id));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'timeout', isRetryable: true });
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(reads(h)).toHaveLength(3);
  });

  it('an abort signal ends the call at once', async () => {
    const { h, customer } = await created();
    h.sim.injectFault({ server: 'api', method: 'GET', path: '/v1/customers/:id', latencyMs: 2_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('caller gave up')), 50);
    const started = performance.now();
    const error = await rejectionOf(
      h.provider.fetch({ customerId: customer.id, providerCustomerId: customer.providerCustomerId, providerReference: 'user-123' }, h.context({ signal: controller.signal })),
    );
    expect((error as Error).message).toBe('caller gave up');
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('409 lock codes', () => {
  it('verification_in_progress / customer_rejected become invalid_state ProviderErrors', async () => {
    const { h, customer } = await created();
    h.sim.injectFault({
      server: 'api',
      method: 'PATCH',
      path: '/v1/customers/:id',
      status: 409,
      body: technestErrorBody('customer_rejected', 'The customer was rejected'),
    });
    const error = await rejectionOf(h.kyc.submit(customer.id, fullApplication()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'invalid_state', providerCode: 'customer_rejected', status: 409, isRetryable: false });
  });
});

describe('unknown values from the API', () => {
  function customerBody(h: Harness, id: string, overrides: Record<string, unknown>) {
    const record = h.sim.getCustomer(id)!;
    return {
      object: 'customer',
      id,
      type: 'individual',
      customer_reference: record.customerReference,
      status: record.status,
      email: record.email,
      created_at: record.createdAt.toISOString(),
      kyc_submitted_at: null,
      verified_at: null,
      rejected_at: null,
      rejection_reason: null,
      files: { ...record.files },
      brand_new_field: { nested: [1, 2, 3] },
      ...overrides,
    };
  }

  it('a new status value does not crash: it maps to what the record proves (created / pending)', async () => {
    const { h, customer } = await created();
    const id = customer.providerCustomerId;
    h.sim.injectFault({ server: 'api', method: 'GET', path: '/v1/customers/:id', status: 200, body: customerBody(h, id, { status: 'awaiting_partner', type: 'sole_trader' }) });
    const ref = { customerId: customer.id, providerCustomerId: id, providerReference: 'user-123' };
    expect(await h.provider.fetch(ref, h.context())).toEqual({
      providerCustomerId: id,
      status: 'created',
      rawStatus: 'awaiting_partner',
      occurredAt: h.sim.getCustomer(id)!.createdAt.toISOString(),
    });

    await h.kyc.submit(customer.id, fullApplication());
    h.sim.injectFault({
      server: 'api',
      method: 'GET',
      path: '/v1/customers/:id',
      status: 200,
      body: customerBody(h, id, { status: 'MANUAL_REVIEW', kyc_submitted_at: '2026-05-05T12:00:00+00:00' }),
    });
    const refreshed = await h.kyc.refresh(customer.id);
    expect(refreshed).toMatchObject({ status: 'pending', rawStatus: 'MANUAL_REVIEW' });
    expect(h.events.map((event) => event.type)).toEqual(['customer.created', 'customer.submitted']);
  });

  it('an unknown status on a decided record keeps the decision', async () => {
    const { h, customer } = await created();
    const id = customer.providerCustomerId;
    h.sim.injectFault({
      server: 'api',
      method: 'GET',
      path: '/v1/customers/:id',
      status: 200,
      body: customerBody(h, id, { status: 'suspended', verified_at: '2026-05-05T12:10:00Z', files: { id_file: 'file_1' } }),
    });
    const report = await h.provider.fetch({ customerId: customer.id, providerCustomerId: id, providerReference: 'user-123' }, h.context());
    expect(report).toMatchObject({ status: 'verified', rawStatus: 'suspended', occurredAt: '2026-05-05T12:10:00.000Z' });
  });

  it('timestamps without an offset are read as UTC; unreadable ones are dropped', async () => {
    const { h, customer } = await created();
    const id = customer.providerCustomerId;
    h.sim.injectFault({
      server: 'api',
      method: 'GET',
      path: '/v1/customers/:id',
      status: 200,
      body: customerBody(h, id, { status: 'rejected', rejected_at: '2026-05-05T12:30:00.123456', rejection_reason: 'Expired passport' }),
    });
    const ref = { customerId: customer.id, providerCustomerId: id, providerReference: 'user-123' };
    expect(await h.provider.fetch(ref, h.context())).toMatchObject({ status: 'rejected', occurredAt: '2026-05-05T12:30:00.123Z', rejection: { code: 'document_expired' } });
    h.sim.injectFault({ server: 'api', method: 'GET', path: '/v1/customers/:id', status: 200, body: customerBody(h, id, { status: 'verified', verified_at: 'yesterday' }) });
    const report = await h.provider.fetch(ref, h.context());
    expect(report).toMatchObject({ status: 'verified' });
    expect(report.occurredAt).toBeUndefined();
  });

  it('a body that is not a customer is a non-retryable ProviderError naming paths only', async () => {
    const { h, customer } = await created();
    h.sim.injectFault({ server: 'api', method: 'GET', path: '/v1/customers/:id', status: 200, body: { object: 'customer', status: 'verified', email: 'jane@example.com' } });
    const error = await rejectionOf(h.kyc.refresh(customer.id));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ isRetryable: false });
    expect((error as Error).message).toMatch(/unexpected shape: id/);
    expect((error as Error).message).not.toContain('jane@example.com');
  });
});

describe('close()', () => {
  it("closes the adapter's own Agent, never an injected dispatcher", async () => {
    const { Agent } = await import('undici');
    const dispatcher = new Agent();
    const { h, customer } = await created({ adapter: { dispatcher } });
    await h.kyc.refresh(customer.id);
    await h.provider.close!();
    expect(dispatcher.closed).toBe(false);
    await expect(h.kyc.refresh(customer.id)).rejects.toMatchObject({ code: 'configuration_error' });
    await dispatcher.close();
  });
});
