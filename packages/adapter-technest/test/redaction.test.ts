import { KycError, WebhookVerificationError, type Application } from '@openkyc/core';
import {
  PII_CANARY,
  asCodeSegment,
  echoSentence,
  echoedValues,
  findPiiLeaks,
  piiCanaryCustomer,
  piiLeaksIn,
  sampleDocument,
  signTechnestWebhook,
  technestEchoFault,
  type FaultSpec,
} from '@openkyc/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, startHarness, WEBHOOK_SECRET, type Harness } from './support/harness.js';

/**
 * Provider text never carries what was submitted: Technest answers every call
 * of createCustomer and submit with error bodies that echo the request (in
 * message, code and param, dates also in words), with plain-text bodies, with
 * timeouts and with resets. No canary form may reach an error rendering, a log
 * line or an event.
 */

const canaryApplication = (): Application => ({
  person: {
    firstName: PII_CANARY.firstName,
    lastName: PII_CANARY.lastName,
    dateOfBirth: PII_CANARY.dateOfBirth,
    nationality: 'GB',
    email: PII_CANARY.email,
    phone: '+447700900123',
  },
  address: { line1: '1 High St', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
  identifiers: [{ type: 'national_id', value: PII_CANARY.nationalId, issuingCountry: 'GB' }],
  documents: [
    { type: 'passport', number: PII_CANARY.documentNumber, issuingCountry: 'GB', expiresOn: '2034-01-01', front: sampleDocument('passport', 'image/jpeg') },
  ],
});

let references = 0;
const canaryCustomer = () => piiCanaryCustomer(`redaction-${++references}`);

/** Every Technest call createCustomer and submit make, by step. */
const CREATE = { method: 'POST', path: '/v1/customers' } as const;
const SUBMIT_CALLS = [
  { method: 'PATCH', path: '/v1/customers/:id' },
  { method: 'POST', path: '/v1/customers/:id/files' },
  { method: 'POST', path: '/v1/customers/:id/files/attach' },
  { method: 'POST', path: '/v1/customers/:id/kyc' },
] as const;
const STATUSES = [400, 403, 409, 422, 500] as const;
/** A code Technest documents for each status (422 is not in the contract: a documented code still comes with it). */
const DOCUMENTED = { 400: 'validation_failed', 403: 'insufficient_scope', 409: 'customer_rejected', 422: 'validation_failed', 500: 'internal_error' } as const;

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

/** Runs `work` with `fault` injected; returns what it threw, after checking the fault was hit. */
async function failWith(fault: FaultSpec, work: () => Promise<unknown>): Promise<unknown> {
  const injected = h.sim.injectFault({ times: Infinity, ...fault });
  const error = await rejectionOf(work());
  expect(injected.hits).toBeGreaterThan(0);
  return error;
}

function expectNoLeaks(error: unknown): void {
  expect(KycError.isInstance(error)).toBe(true);
  expect(piiLeaksIn({ errors: [error], logs: h.logs, events: h.events })).toEqual([]);
}

async function submitting(): Promise<() => Promise<unknown>> {
  const customer = await h.kyc.createCustomer(canaryCustomer());
  return () => h.kyc.submit(customer.id, canaryApplication());
}

describe.each(STATUSES)('HTTP %i from Technest', (status) => {
  it.each(SUBMIT_CALLS)('submit, $method $path: value-echoing body with the values in the code', async (call) => {
    const submit = await submitting();
    expectNoLeaks(await failWith(technestEchoFault({ ...call, status }), submit));
  });

  it.each(SUBMIT_CALLS)('submit, $method $path: value-echoing body with a documented code', async (call) => {
    const submit = await submitting();
    expectNoLeaks(await failWith(technestEchoFault({ ...call, status, code: DOCUMENTED[status] }), submit));
  });

  it.each(SUBMIT_CALLS)('submit, $method $path: plain-text body echoing the values', async (call) => {
    const submit = await submitting();
    const plain: FaultSpec = {
      server: 'api',
      ...call,
      status,
      headers: { 'content-type': 'text/plain' },
      body: (request) => `Refused ${echoSentence(echoedValues(request))}`,
    };
    expectNoLeaks(await failWith(plain, submit));
  });

  it('createCustomer: value-echoing bodies, code echoing or documented', async () => {
    expectNoLeaks(await failWith(technestEchoFault({ ...CREATE, status }), () => h.kyc.createCustomer(canaryCustomer())));
    h.sim.clearFaults();
    expectNoLeaks(await failWith(technestEchoFault({ ...CREATE, status, code: DOCUMENTED[status] }), () => h.kyc.createCustomer(canaryCustomer())));
  });
});

describe('transport failures', () => {
  it.each(SUBMIT_CALLS)('submit, $method $path: connection reset', async (call) => {
    const submit = await submitting();
    expectNoLeaks(await failWith({ server: 'api', ...call, reset: true }, submit));
  });

  it('createCustomer: connection reset', async () => {
    expectNoLeaks(await failWith({ server: 'api', ...CREATE, reset: true }, () => h.kyc.createCustomer(canaryCustomer())));
  });

  it('timeouts, on create and on every submit call', async () => {
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
        const fault = slow.sim.injectFault({ server: 'api', ...call, latencyMs: 300, times: Infinity });
        const error = await rejectionOf(work());
        slow.sim.clearFaults();
        expect(fault.hits).toBeGreaterThan(0);
        expect((error as KycError).code).toBe('timeout');
        expect(piiLeaksIn({ errors: [error], logs: slow.logs, events: slow.events })).toEqual([]);
      }
    } finally {
      await slow.close();
    }
  });
});

describe('the optional /kyc acknowledgement (its body is empty: the refusal echoes the customer Technest holds)', () => {
  const heldValues = [PII_CANARY.firstName, PII_CANARY.lastName, PII_CANARY.dateOfBirth, PII_CANARY.email, PII_CANARY.nationalId, PII_CANARY.documentNumber];
  const echoingRefusal = (status: number, code: string): FaultSpec => ({
    server: 'api',
    method: 'POST',
    path: '/v1/customers/:id/kyc',
    status,
    body: { error: { type: 'invalid_request_error', code, message: `Refused ${echoSentence(heldValues)}`, param: heldValues.join('.') } },
  });

  it.each([404, 405])('a deployment without it (%i): submit goes on, and no value reaches the logs or the events', async (status) => {
    const submit = await submitting();
    const fault = h.sim.injectFault({ ...echoingRefusal(status, asCodeSegment(heldValues.join(' ')).toLowerCase()), times: Infinity });
    const report = await submit();
    expect(fault.hits).toBe(1);
    expect(report).toMatchObject({ status: 'pending' });
    expect(h.logs.some((line) => line.level === 'warn' && /acknowledgement/.test(line.msg ?? ''))).toBe(true);
    // (The customer returned carries the caller's own details by design: not searched.)
    expect(piiLeaksIn({ logs: h.logs, events: h.events })).toEqual([]);
  });

  it('404 customer_not_found is still an error, and it carries none of the echoed values', async () => {
    const submit = await submitting();
    const error = await failWith(echoingRefusal(404, 'customer_not_found'), submit);
    expect(error).toMatchObject({ status: 404, providerCode: 'customer_not_found' });
    expectNoLeaks(error);
  });
});

describe('codes outside the documented vocabulary', () => {
  it('a code that is the document number never reaches the error, its message or the logs', async () => {
    const submit = await submitting();
    const body = { error: { type: 'invalid_request_error', code: PII_CANARY.documentNumber, message: 'refused', param: PII_CANARY.documentNumber.toLowerCase() } };
    const error = await failWith({ server: 'api', method: 'PATCH', path: '/v1/customers/:id', status: 400, body }, submit);
    expect((error as { providerCode?: string }).providerCode).toBeUndefined();
    expect((error as Error).message).toContain('[unrecognized code]');
    expectNoLeaks(error);
  });
});

describe('the checks have teeth', () => {
  it('the echo faults really put the canaries into what the adapter receives', async () => {
    const submit = await submitting();
    const fault = h.sim.injectFault(technestEchoFault({ method: 'PATCH', path: '/v1/customers/:id', status: 422 }));
    await rejectionOf(submit());
    expect(fault.hits).toBe(1);
    const patch = h.sim.requests().filter((request) => request.method === 'PATCH').at(-1)!;
    const echoed = `Refused ${echoSentence(echoedValues(patch))}`;
    expect(findPiiLeaks([echoed]).map((leak) => leak.form)).toEqual(
      expect.arrayContaining(['zelphine', 'quortaby', '1987-03-14', '14 march', 'march 14', 'fourteenth of march']),
    );
  });
});

describe('webhook bodies are decoded strictly', () => {
  const signed = (body: Buffer) => {
    const t = Math.floor(h.sim.clock.now().getTime() / 1000);
    return { headers: { 'technest-signature': signTechnestWebhook(WEBHOOK_SECRET, body, t) }, body };
  };
  const withName = (name: Buffer): Buffer =>
    Buffer.concat([
      Buffer.from('{"id":"evt_utf8","event":"customer.status_changed","created_at":"2026-05-05T12:00:00Z","data":{"object":"customer","id":"ckcust_unknown","status":"verified","first_name":"Zo'),
      name,
      Buffer.from('"}}'),
    ]);

  it('a validly signed body with invalid UTF-8 is refused as malformed_body through kyc.handleWebhook', async () => {
    // The same event is accepted when the ë is UTF-8 (0xC3 0xAB) …
    await expect(h.kyc.handleWebhook('technest', signed(withName(Buffer.from([0xc3, 0xab]))))).resolves.toBeDefined();
    // … and refused when it is Latin-1 (0xEB), which a lenient decoder would turn into U+FFFD.
    const error = await rejectionOf(h.kyc.handleWebhook('technest', signed(withName(Buffer.from([0xeb])))));
    expect(WebhookVerificationError.isInstance(error)).toBe(true);
    expect((error as WebhookVerificationError).reason).toBe('malformed_body');
  });
});
