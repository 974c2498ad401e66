import { KycError, WebhookVerificationError, type Application } from '@openkyc/core';
import {
  PII_CANARY,
  echoSentence,
  echoedValues,
  failureOf,
  patchStyleEchoFault,
  piiCanaryCustomer,
  piiLeaksIn,
  signPatchStyleWebhook,
  withPiiCanary,
  type FaultSpec,
} from '@openkyc/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { application } from './support/application.js';
import { startHarness, type Harness } from './support/harness.js';

/**
 * Provider text never carries what was submitted: the patch-style simulator
 * answers createCustomer and every submit call with error bodies that echo the
 * request (in `message` and `error`, dates also in words), with plain-text
 * bodies, with timeouts and with resets. No canary form may reach an error
 * rendering, a log line or an event.
 */

// The SSN typed without dashes: the adapter sends it normalized (NNN-NN-NNNN); neither form may leak.
const canaryApplication = (): Application => withPiiCanary(application(), { ...PII_CANARY, nationalId: PII_CANARY.nationalId.replaceAll('-', '') });

let references = 0;
const canaryCustomer = () => piiCanaryCustomer(`redaction-${++references}`);

const CREATE = { method: 'POST', path: '/api/v1/customers' } as const;
const PATCH = { method: 'PATCH', path: '/api/v1/customers/:id' } as const;
/** The contract's statuses (400, 401, 404, 429, 5xx) plus 403 and 422, which a proxy or a newer API may send. */
const STATUSES = [400, 403, 404, 422, 500] as const;
const DOCUMENTED = { 400: 'BAD_REQUEST', 403: 'UNAUTHORIZED', 404: 'NOT_FOUND', 422: 'BAD_REQUEST', 500: 'INTERNAL_ERROR' } as const;

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

async function failWith(fault: FaultSpec, work: () => Promise<unknown>): Promise<unknown> {
  const injected = h.sim.injectFault({ times: Infinity, ...fault });
  const error = await failureOf(work);
  expect(injected.hits).toBeGreaterThan(0);
  expect(KycError.isInstance(error)).toBe(true);
  return error;
}

function expectNoLeaks(error: unknown, harness: Harness = h): void {
  expect(piiLeaksIn({ errors: [error], logs: harness.logs.lines, events: harness.events })).toEqual([]);
}

async function submitting(): Promise<() => Promise<unknown>> {
  const customer = await h.kyc.createCustomer(canaryCustomer());
  return () => h.kyc.submit(customer.id, canaryApplication());
}

describe.each(STATUSES)('HTTP %i from patch-style', (status) => {
  it('submit: value-echoing body with the values in the code', async () => {
    expectNoLeaks(await failWith(patchStyleEchoFault({ ...PATCH, status }), await submitting()));
  });

  it('submit: value-echoing body with a documented code', async () => {
    expectNoLeaks(await failWith(patchStyleEchoFault({ ...PATCH, status, code: DOCUMENTED[status] }), await submitting()));
  });

  it('submit: plain-text body echoing the values', async () => {
    const plain: FaultSpec = { server: 'api', ...PATCH, status, headers: { 'content-type': 'text/plain' }, body: (request) => `Refused ${echoSentence(echoedValues(request))}` };
    expectNoLeaks(await failWith(plain, await submitting()));
  });

  it('createCustomer: value-echoing bodies, code echoing or documented', async () => {
    expectNoLeaks(await failWith(patchStyleEchoFault({ ...CREATE, status }), () => h.kyc.createCustomer(canaryCustomer())));
    h.sim.clearFaults();
    expectNoLeaks(await failWith(patchStyleEchoFault({ ...CREATE, status, code: DOCUMENTED[status] }), () => h.kyc.createCustomer(canaryCustomer())));
  });
});

describe('BAD_REQUEST echoing the values becomes a ValidationError without them', () => {
  it('keeps the field paths it can map, scrubs everything else', async () => {
    const error = await failWith(patchStyleEchoFault({ ...PATCH, status: 400, code: 'BAD_REQUEST' }), await submitting());
    expect((error as KycError).code).toBe('validation_failed');
    expectNoLeaks(error);
  });
});

describe('transport failures', () => {
  it('submit and createCustomer: connection reset', async () => {
    expectNoLeaks(await failWith({ server: 'api', ...PATCH, reset: true }, await submitting()));
    h.sim.clearFaults();
    expectNoLeaks(await failWith({ server: 'api', ...CREATE, reset: true }, () => h.kyc.createCustomer(canaryCustomer())));
  });

  it('submit and createCustomer: timeouts', async () => {
    const slow = await startHarness({ adapter: { timeoutMs: 100 } });
    try {
      const customer = await slow.kyc.createCustomer(canaryCustomer());
      for (const [call, work] of [
        [PATCH, () => slow.kyc.submit(customer.id, canaryApplication())],
        [CREATE, () => slow.kyc.createCustomer(canaryCustomer())],
      ] as const) {
        // A late answer with a status: the provider never processes it (a latency-only fault would still run the handler).
        const fault = slow.sim.injectFault({ server: 'api', ...call, latencyMs: 300, status: 503, times: Infinity });
        const error = await work().then(
          () => undefined,
          (caught: unknown) => caught,
        );
        slow.sim.clearFaults();
        expect(fault.hits).toBeGreaterThan(0);
        expect((error as KycError).code).toBe('timeout');
        expectNoLeaks(error, slow);
      }
    } finally {
      await slow.close();
    }
  });
});

describe('webhook bodies are decoded strictly', () => {
  it('a validly signed body with invalid UTF-8 is refused as malformed_body through kyc.handleWebhook', async () => {
    const body = (name: Buffer): Buffer =>
      Buffer.concat([
        Buffer.from('{"id":"evt_utf8","type":"customer.state_changed","createdAt":"2026-05-05T12:00:00Z","payload":{"customerId":"customer_unknown","newStatus":"ACTIVE","reason":"Zo'),
        name,
        Buffer.from('"}}'),
      ]);
    const deliver = (raw: Buffer) =>
      h.kyc.handleWebhook('patch-style', {
        headers: signPatchStyleWebhook({ id: 'msg_utf8', timestamp: h.sim.clock.now(), body: raw, secret: h.sim.webhookSecret }),
        body: raw,
      });
    // The same event is accepted when the ë is UTF-8 …
    await expect(deliver(body(Buffer.from([0xc3, 0xab])))).resolves.toBeDefined();
    // … and refused when it is Latin-1, which a lenient decoder turns into U+FFFD.
    const error = await deliver(body(Buffer.from([0xeb]))).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(WebhookVerificationError.isInstance(error)).toBe(true);
    expect((error as WebhookVerificationError).reason).toBe('malformed_body');
  });
});
