import { KycError, type Application } from '@openkyc/core';
import {
  PII_CANARY,
  asCodeSegment,
  clientsCommandEchoFault,
  echoSentence,
  echoedValues,
  failureOf,
  findPiiLeaks,
  piiCanaryCustomer,
  piiLeaksIn,
  withPiiCanary,
  type FaultSpec,
} from '@openkyc/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fullApplication, nextReference, startHarness, type Harness } from './support/fixtures.js';

/**
 * Provider text never carries what was submitted: the simulator answers every
 * call of createCustomer and submit with Fineract envelopes that echo the
 * request (texts, `value`s, `args`, parameter names and codes built from the
 * values, dates also in words), with plain-text bodies, with timeouts and with
 * resets. No canary form may reach an error rendering, a log line or an event.
 */

// The SSN typed without dashes: the adapter sends it normalized (NNN-NN-NNNN); neither form may leak.
const canaryApplication = (): Application => withPiiCanary(fullApplication(), { ...PII_CANARY, nationalId: PII_CANARY.nationalId.replaceAll('-', '') });
const canaryCustomer = () => piiCanaryCustomer(nextReference());

const CREATE = { method: 'POST', path: '/v1/clients' } as const;
/**
 * Every write of submit that carries application data, and verify (its first call). The address POST comes
 * only after that verify names the PRIMARY address missing, as it does for these fresh clients; the verify
 * after it is covered below.
 */
const SUBMIT_CALLS = [
  { method: 'PUT', path: '/v1/clients/:id' },
  { method: 'POST', path: '/v1/clients/:id/addresses' },
  { method: 'POST', path: '/v1/clients/:id/identifiers' },
  { method: 'POST', path: '/v1/clients/:id/identifiers/:identifierId/documents' },
  { method: 'POST', path: '/v1/clients/:id' },
] as const;
/** The contract's statuses (400, 403, 404, 5xx) plus 422, which a proxy or a newer Fineract may send. */
const STATUSES = [400, 403, 404, 422, 500] as const;
/** A documented code for each status; echoing texts and entries come with it. */
const DOCUMENTED = {
  400: 'validation.msg.validation.errors.exist',
  403: 'validation.msg.domain.rule.violation',
  404: 'error.msg.client.id.invalid',
  422: 'validation.msg.validation.errors.exist',
  500: 'error.msg.platform.server.side.error',
} as const;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  h.sim.clearFaults();
});

async function failWith(fault: FaultSpec, work: () => Promise<unknown>, harness: Harness = h): Promise<unknown> {
  const injected = harness.sim.injectFault({ times: Infinity, ...fault });
  const error = await failureOf(work);
  expect(injected.hits).toBeGreaterThan(0);
  expect(KycError.isInstance(error)).toBe(true);
  return error;
}

function expectNoLeaks(error: unknown, harness: Harness = h): void {
  expect(piiLeaksIn({ errors: [error], logs: [harness.logs.text()], events: harness.events })).toEqual([]);
}

async function submitting(): Promise<() => Promise<unknown>> {
  const customer = await h.kyc.createCustomer(canaryCustomer());
  return () => h.kyc.submit(customer.id, canaryApplication());
}

describe.each(STATUSES)('HTTP %i from clients-command', (status) => {
  it.each(SUBMIT_CALLS)('submit, $method $path: echoing envelope with codes built from the values', async (call) => {
    expectNoLeaks(await failWith(clientsCommandEchoFault({ ...call, status }), await submitting()));
  });

  it.each(SUBMIT_CALLS)('submit, $method $path: echoing envelope with a documented code', async (call) => {
    expectNoLeaks(await failWith(clientsCommandEchoFault({ ...call, status, code: DOCUMENTED[status] }), await submitting()));
  });

  it.each(SUBMIT_CALLS)('submit, $method $path: plain-text body echoing the values', async (call) => {
    const plain: FaultSpec = { server: 'api', ...call, status, headers: { 'content-type': 'text/plain' }, body: (request) => `Refused ${echoSentence(echoedValues(request))}` };
    expectNoLeaks(await failWith(plain, await submitting()));
  });

  it('createCustomer: echoing envelopes, codes from the values or documented', async () => {
    expectNoLeaks(await failWith(clientsCommandEchoFault({ ...CREATE, status }), () => h.kyc.createCustomer(canaryCustomer())));
    h.sim.clearFaults();
    expectNoLeaks(await failWith(clientsCommandEchoFault({ ...CREATE, status, code: DOCUMENTED[status] }), () => h.kyc.createCustomer(canaryCustomer())));
  });
});

describe('transport failures', () => {
  it.each(SUBMIT_CALLS)('submit, $method $path: connection reset', async (call) => {
    expectNoLeaks(await failWith({ server: 'api', ...call, reset: true }, await submitting()));
  });

  it('createCustomer: connection reset', async () => {
    expectNoLeaks(await failWith({ server: 'api', ...CREATE, reset: true }, () => h.kyc.createCustomer(canaryCustomer())));
  });

  it('timeouts, on create and on every submit write', async () => {
    const slow = await startHarness({ adapter: { timeoutMs: 100 } });
    try {
      for (const call of [CREATE, ...SUBMIT_CALLS]) {
        const work =
          call === CREATE
            ? () => slow.kyc.createCustomer(canaryCustomer())
            : await (async () => {
                const customer = await slow.kyc.createCustomer(canaryCustomer());
                return () => slow.kyc.submit(customer.id, canaryApplication());
              })();
        // A late answer with a status: the provider never processes it.
        const error = await failWith({ server: 'api', ...call, latencyMs: 300, status: 503 }, work, slow);
        slow.sim.clearFaults();
        expect((error as KycError).code).toBe('timeout');
        expectNoLeaks(error, slow);
      }
    } finally {
      await slow.close();
    }
  });
});

describe('the verify after the PRIMARY address was added', () => {
  // A fresh client has no address: the first verify names it missing, the adapter posts it and verifies
  // again. That second verify is its own call path: the fault is armed once the address POST has arrived
  // (held back briefly), so it answers the verify that follows the address, never the first one.
  it.each(STATUSES)('HTTP %i echoing the application values', async (status) => {
    const submit = await submitting();
    const addressesBefore = h.count('POST', /\/addresses$/);
    const verifiesBefore = h.count('POST', /^\/v1\/clients\/\d+$/, 'verify');
    h.sim.injectFault({ method: 'POST', path: '/v1/clients/:id/addresses', latencyMs: 100 });
    const outcome = submit().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    await expect.poll(() => h.count('POST', /\/addresses$/), { interval: 5 }).toBe(addressesBefore + 1);
    const values = [PII_CANARY.firstName, PII_CANARY.lastName, PII_CANARY.dateOfBirth, PII_CANARY.email, PII_CANARY.nationalId, PII_CANARY.documentNumber];
    const injected = h.sim.injectFault({
      method: 'POST',
      path: '/v1/clients/:id',
      times: Infinity,
      status,
      body: {
        developerMessage: `Refused ${echoSentence(values)}`,
        httpStatusCode: String(status),
        defaultUserMessage: `Refused ${echoSentence(values)}`,
        userMessageGlobalisationCode: DOCUMENTED[status],
        errors: values.map((value) => ({
          developerMessage: `The value ${value} is invalid.`,
          // Lower case: shaped like a documented code, so only the scrubber can keep the value out.
          userMessageGlobalisationCode: `validation.msg.client.${asCodeSegment(value).toLowerCase()}.invalid`,
          parameterName: value,
          value,
          args: [{ value }],
        })),
      },
    });
    const error = await outcome;
    // Hit, and only after the first verify (a 5xx is retried: one hit per attempt).
    expect(injected.hits).toBeGreaterThan(0);
    expect(h.count('POST', /^\/v1\/clients\/\d+$/, 'verify')).toBe(verifiesBefore + 1 + injected.hits);
    expect(KycError.isInstance(error)).toBe(true);
    expectNoLeaks(error);
  });
});

describe('verify refusals naming unknown rules', () => {
  it('a 403 on verify with a rule code carrying a value: needs_info without the value in requirements or events', async () => {
    const submit = await submitting();
    h.sim.injectFault({
      server: 'api',
      method: 'POST',
      path: '/v1/clients/:id',
      status: 403,
      body: {
        developerMessage: `Refused ${PII_CANARY.documentNumber}`,
        httpStatusCode: '403',
        defaultUserMessage: 'Errors contain reason for domain rule violation.',
        userMessageGlobalisationCode: 'validation.msg.domain.rule.violation',
        errors: [
          { userMessageGlobalisationCode: `error.msg.client.verify.${PII_CANARY.lastName.toLowerCase()}.missing`, parameterName: 'x', value: PII_CANARY.documentNumber, args: [] },
          { userMessageGlobalisationCode: 'error.msg.client.verify.selfie.missing', parameterName: 'selfie', value: null, args: [] },
        ],
      },
    });
    const customer = (await submit()) as { status: string; requirements: { providerCode?: string }[] };
    expect(customer.status).toBe('needs_info');
    expect(customer.requirements.map((requirement) => requirement.providerCode)).toEqual([undefined, 'error.msg.client.verify.selfie.missing']);
    expect(findPiiLeaks([JSON.stringify(customer.requirements), JSON.stringify(h.events), h.logs.text()])).toEqual([]);
  });
});
