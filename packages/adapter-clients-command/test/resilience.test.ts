import { AuthenticationError, ProviderError, RateLimitError, TimeoutError, ValidationError, createKyc } from '@openkyc/core';
import { afterEach, describe, expect, it } from 'vitest';
import { clientsCommand } from '../src/index.js';
import { adapterOptions, fullApplication, newCustomer, nextReference, startHarness, type Harness } from './support/fixtures.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const CLIENT = /^\/v1\/clients\/\d+$/;

async function verifiedCustomer() {
  const customer = await newCustomer(h);
  const verified = await h.kyc.submit(customer.id, fullApplication());
  expect(verified.status).toBe('verified');
  return verified;
}

describe('reading a client (GET: safe to retry)', () => {
  it('retries a 5xx and succeeds', async () => {
    h = await startHarness();
    const verified = await verifiedCustomer();
    h.sim.injectServerError({ method: 'GET', path: CLIENT, status: 503 });
    expect((await h.kyc.refresh(verified.id)).status).toBe('verified');
    expect(h.count('GET', CLIENT)).toBe(3); // submit's read + failed + retried
  });

  it('retries a connection reset and succeeds', async () => {
    h = await startHarness();
    const verified = await verifiedCustomer();
    h.sim.injectFault({ method: 'GET', path: CLIENT, reset: true });
    expect((await h.kyc.refresh(verified.id)).status).toBe('verified');
  });

  it('honours Retry-After on 429 and succeeds', async () => {
    h = await startHarness();
    const verified = await verifiedCustomer();
    h.sim.injectRateLimit({ method: 'GET', path: CLIENT, retryAfterSeconds: 1 });
    const started = performance.now();
    expect((await h.kyc.refresh(verified.id)).status).toBe('verified');
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('retries an attempt that timed out and succeeds', async () => {
    h = await startHarness({ adapter: { timeoutMs: 150 } });
    const verified = await verifiedCustomer();
    h.sim.injectFault({ method: 'GET', path: CLIENT, latencyMs: 600 });
    expect((await h.kyc.refresh(verified.id)).status).toBe('verified');
  });

  it('gives up after three attempts with a retryable error, leaving the customer unchanged', async () => {
    h = await startHarness();
    const verified = await verifiedCustomer();
    h.sim.injectServerError({ method: 'GET', path: CLIENT, times: 5 });
    const error = await h.kyc.refresh(verified.id).catch((caught: unknown) => caught);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 500, retryable: true, providerCode: 'error.msg.platform.server.side.error' });
    expect(h.count('GET', CLIENT)).toBe(1 + 3);
    expect((await h.kyc.getCustomer(verified.id)).status).toBe('verified');
  });

  it('a provider that keeps timing out ends in a retryable TimeoutError', async () => {
    h = await startHarness({ adapter: { timeoutMs: 100 } });
    const verified = await verifiedCustomer();
    h.sim.injectFault({ method: 'GET', path: CLIENT, latencyMs: 400, times: 3 });
    const error = await h.kyc.refresh(verified.id).catch((caught: unknown) => caught);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).retryable).toBe(true);
  });

  it('a persistent 429 ends in a RateLimitError', async () => {
    h = await startHarness();
    const verified = await verifiedCustomer();
    h.sim.injectRateLimit({ method: 'GET', path: CLIENT, retryAfterSeconds: 0, times: 3 });
    const error = await h.kyc.refresh(verified.id).catch((caught: unknown) => caught);
    expect(RateLimitError.isInstance(error)).toBe(true);
  });

  it('reconcile records a failed read and carries on', async () => {
    h = await startHarness();
    const verified = await verifiedCustomer();
    h.sim.injectServerError({ method: 'GET', path: CLIENT, times: 3 });
    const result = await h.kyc.reconcile({ all: true });
    expect(result.failed).toEqual([{ customerId: verified.id, code: 'provider_error', message: expect.stringContaining('HTTP 500') }]);
  });
});

describe('writes made safe to repeat', () => {
  it('create: a client created but answered with 503 is adopted through the externalId lookup (one client)', async () => {
    h = await startHarness();
    h.sim.injectFaultAfterProcessing({ method: 'POST', path: '/v1/clients', status: 503 });
    const customer = await newCustomer(h);
    expect(customer.status).toBe('created');
    expect(h.sim.listClients()).toHaveLength(1);
    expect(customer.providerCustomerId).toBe(String(h.sim.listClients()[0]!.id));
    expect(h.calls()).toEqual(['POST /v1/clients', 'POST /v1/clients', 'GET /v1/clients']);
    expect(h.sim.requests()[2]!.query).toEqual({ externalId: customer.reference });
  });

  it('create: a lost response (timeout) is adopted too', async () => {
    h = await startHarness({ adapter: { timeoutMs: 150 } });
    h.sim.injectFaultAfterProcessing({ method: 'POST', path: '/v1/clients', latencyMs: 500 });
    const customer = await newCustomer(h);
    expect(h.sim.listClients()).toHaveLength(1);
    expect(customer.providerCustomerId).toBe(String(h.sim.listClients()[0]!.id));
  });

  it('create: repeating createCustomer on the provider adopts the existing client and its status', async () => {
    h = await startHarness();
    const verified = await verifiedCustomer();
    const report = await h.provider.createCustomer(
      {
        customerId: 'cus_other',
        reference: verified.reference,
        providerReference: verified.reference,
        type: 'individual',
        email: verified.email,
        firstName: 'Jane',
        lastName: 'Smith',
      },
      h.context(),
    );
    expect(report).toMatchObject({ providerCustomerId: verified.providerCustomerId, status: 'verified', providerReference: verified.reference });
  });

  it('update (PUT) is retried after a 502', async () => {
    h = await startHarness();
    const customer = await newCustomer(h);
    h.sim.injectServerError({ method: 'PUT', path: CLIENT, status: 502 });
    expect((await h.kyc.submit(customer.id, fullApplication())).status).toBe('verified');
    expect(h.count('PUT', CLIENT)).toBe(2);
  });

  it('verify is retried after a reset; a verify that went through but was answered 503 ends verified', async () => {
    h = await startHarness();
    const first = await newCustomer(h);
    h.sim.injectFault({ method: 'POST', path: CLIENT, reset: true });
    expect((await h.kyc.submit(first.id, fullApplication())).status).toBe('verified');

    const second = await newCustomer(h);
    h.sim.injectFaultAfterProcessing({ method: 'POST', path: CLIENT, status: 503 });
    const after = await h.kyc.submit(second.id, fullApplication());
    expect(after.status).toBe('verified');
    expect(after.verificationLevel).toBe('FULL');
  });

  it('activate that went through but was answered 503 ends active', async () => {
    h = await startHarness();
    const verified = await verifiedCustomer();
    h.sim.injectFaultAfterProcessing({ method: 'POST', path: CLIENT, status: 503 });
    expect((await h.kyc.activate(verified.id)).status).toBe('active');
  });
});

describe('writes that are not repeated within a call', () => {
  it('an address POST failing with 503 fails the submit (retryable); the next submit sends it once', async () => {
    h = await startHarness();
    const customer = await newCustomer(h);
    h.sim.injectServerError({ method: 'POST', path: /\/addresses$/, status: 503 });
    const error = await h.kyc.submit(customer.id, fullApplication()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ retryable: true, status: 503 });
    expect(h.count('POST', /\/addresses$/)).toBe(1);
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('created');

    expect((await h.kyc.submit(customer.id, fullApplication())).status).toBe('verified');
    expect(h.sim.getClient(Number(customer.providerCustomerId))!.addresses).toHaveLength(1);
  });

  it('an address whose answer was lost is not added twice: the next submit learns from verify that it is there', async () => {
    h = await startHarness();
    const customer = await newCustomer(h);
    h.sim.injectFaultAfterProcessing({ method: 'POST', path: /\/addresses$/, status: 502 });
    const error = await h.kyc.submit(customer.id, fullApplication()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ retryable: true, status: 502 });
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('created');

    expect((await h.kyc.submit(customer.id, fullApplication())).status).toBe('verified');
    expect(h.count('POST', /\/addresses$/)).toBe(1);
    expect(h.sim.getClient(Number(customer.providerCustomerId))!.addresses.filter((address) => address.addressType === 'PRIMARY')).toHaveLength(1);
  });

  it('a submit whose verify answer was lost after the address went in adds no second address', async () => {
    h = await startHarness();
    const customer = await newCustomer(h);
    // Hold the address answer until the verify that follows it is set up to lose its answers.
    h.sim.injectFaultAfterProcessing({ method: 'POST', path: /\/addresses$/, latencyMs: 300 });
    const submitting = h.kyc.submit(customer.id, fullApplication()).catch((caught: unknown) => caught);
    await expect.poll(() => h.count('POST', /\/addresses$/), { interval: 5 }).toBe(1);
    h.sim.injectFaultAfterProcessing({ method: 'POST', path: /^\/v1\/clients\/\d+$/, status: 503, times: 3 });
    expect(await submitting).toMatchObject({ retryable: true, status: 503 });
    expect(h.sim.getClient(Number(customer.providerCustomerId))!.subStatus).toBe('Verified');
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('created');

    const after = await h.kyc.submit(customer.id, fullApplication());
    expect(after.status).toBe('verified');
    expect(h.count('POST', /\/addresses$/)).toBe(1);
    expect(h.sim.getClient(Number(customer.providerCustomerId))!.addresses).toHaveLength(1);
  });

  it('an upload whose answer was lost is uploaded again by the next submit rather than lost (the contract lists no documents)', async () => {
    h = await startHarness();
    const customer = await newCustomer(h);
    h.sim.injectFaultAfterProcessing({ method: 'POST', path: /\/documents$/, status: 502 });
    await expect(h.kyc.submit(customer.id, fullApplication())).rejects.toMatchObject({ retryable: true });
    expect((await h.kyc.submit(customer.id, fullApplication())).status).toBe('verified');
    const client = h.sim.getClient(Number(customer.providerCustomerId))!;
    expect(client.identifiers.flatMap((identifier) => identifier.documents)).toHaveLength(2);
    expect(client.addresses).toHaveLength(1);
  });
});

describe('refusals', () => {
  it('401 → AuthenticationError, not retried', async () => {
    h = await startHarness({ adapter: { password: 'wrong' } });
    const error = await newCustomer(h).catch((caught: unknown) => caught);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 401, providerCode: 'error.msg.not.authenticated', retryable: false });
    expect(h.sim.requests()).toHaveLength(1);
  });

  it('a wrong tenant → AuthenticationError', async () => {
    h = await startHarness({ adapter: { tenantId: 'other-bank' } });
    await expect(newCustomer(h)).rejects.toSatisfy((error: unknown) => AuthenticationError.isInstance(error));
  });

  it('404 on an unknown client → ProviderError, not retryable', async () => {
    h = await startHarness();
    const error = await h.provider
      .fetch({ customerId: 'cus_x', providerCustomerId: '999999', providerReference: 'x' }, h.context())
      .catch((caught: unknown) => caught);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 404, providerCode: 'error.msg.client.id.invalid', retryable: false });
    expect(h.count('GET', CLIENT)).toBe(1);
  });

  it('400 on create → ValidationError at the input path, no value in the message', async () => {
    h = await startHarness();
    const longName = 'Maximiliana-Theodora-Wilhelmina-Konstantinopoulou-Smith';
    const error = await h.kyc
      .createCustomer({ reference: nextReference(), type: 'individual', email: 'a@example.com', firstName: longName, lastName: 'Smith' })
      .catch((caught: unknown) => caught);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).issues).toEqual([{ path: ['firstName'], code: 'too_long', message: expect.any(String) }]);
    expect((error as Error).message).not.toContain(longName);
  });

  it('400 on a submit part → ValidationError at the application path', async () => {
    h = await startHarness();
    const customer = await newCustomer(h);
    h.sim.injectFault({
      method: 'POST',
      path: /\/addresses$/,
      status: 400,
      body: {
        httpStatusCode: '400',
        userMessageGlobalisationCode: 'validation.msg.validation.errors.exist',
        errors: [{ userMessageGlobalisationCode: 'validation.msg.address.postalCode.invalid.format', parameterName: 'postalCode', value: '94105' }],
      },
    });
    const error = await h.kyc.submit(customer.id, fullApplication()).catch((caught: unknown) => caught);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).issues).toEqual([{ path: ['address', 'postalCode'], code: 'invalid_format', message: expect.any(String) }]);
  });

  it('a 400 about what the adapter fills in itself is a ProviderError, not the caller’s fault', async () => {
    h = await startHarness();
    const verified = await verifiedCustomer();
    h.sim.injectFault({
      method: 'POST',
      path: CLIENT,
      status: 400,
      body: {
        httpStatusCode: '400',
        userMessageGlobalisationCode: 'validation.msg.validation.errors.exist',
        errors: [{ userMessageGlobalisationCode: 'validation.msg.client.activationDate.cannot.be.a.future.date', parameterName: 'activationDate' }],
      },
    });
    const error = await h.kyc.activate(verified.id).catch((caught: unknown) => caught);
    expect(ValidationError.isInstance(error)).toBe(false);
    expect(error).toMatchObject({ status: 400, providerCode: 'validation.msg.client.activationDate.cannot.be.a.future.date', retryable: false });
  });

  it('an unknown client status id is a ProviderError, not a guess', async () => {
    h = await startHarness();
    const verified = await verifiedCustomer();
    h.sim.injectFault({ method: 'GET', path: CLIENT, status: 200, body: { id: Number(verified.providerCustomerId), status: { id: 303, code: 'clientStatusType.transfer.in.progress' } } });
    await expect(h.kyc.refresh(verified.id)).rejects.toThrow(/status 303/);
  });

  it('tolerates unknown fields and unknown verification types', async () => {
    h = await startHarness();
    const verified = await verifiedCustomer();
    h.sim.injectFault({
      method: 'GET',
      path: CLIENT,
      status: 200,
      body: {
        id: Number(verified.providerCustomerId),
        status: { id: 100, code: 'clientStatusType.pending', value: 'Pending', extra: true },
        subStatus: { id: 27, name: 'Verified', description: null },
        kycVerificationType: 'ENHANCED',
        somethingNew: { nested: [1, 2, 3] },
        timeline: { submittedOnDate: [2026, 2, 30], activatedOnDate: 'garbage' },
      },
    });
    expect(await h.kyc.refresh(verified.id)).toMatchObject({ status: 'verified', verificationLevel: 'ENHANCED' });
  });
});

describe('dispatcher', () => {
  it('uses an injected dispatcher and never closes it', async () => {
    h = await startHarness();
    const { Agent } = await import('undici');
    const agent = new Agent();
    let dispatched = 0;
    const counting = agent.compose((dispatch) => (options, handler) => {
      dispatched += 1;
      return dispatch(options, handler);
    });
    const provider = clientsCommand({ ...adapterOptions(h.sim), dispatcher: counting });
    const kyc = createKyc({ providers: [provider], now: () => h.sim.clock.now() });
    await kyc.createCustomer({ reference: nextReference(), type: 'individual', email: 'a@example.com', firstName: 'A', lastName: 'B' });
    await kyc.close();
    expect(dispatched).toBe(1);
    expect(agent.closed).toBe(false);
    await agent.close();
  });
});
