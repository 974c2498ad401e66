import { KycError, ValidationError } from '@openkyc/core';
import { afterEach, describe, expect, it } from 'vitest';
import { CANARY, fullApplication, driversLicense, leakedCanaries, newCustomer, startHarness, type Harness } from './support/fixtures.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

/** Everything an error exposes: message, stack, own fields (issues, codes), causes. */
function describeError(error: unknown): string {
  const seen = new Set<unknown>();
  const walk = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return value;
    seen.add(value);
    if (value instanceof Error) {
      const own: Record<string, unknown> = {};
      for (const key of Object.getOwnPropertyNames(value)) own[key] = walk((value as unknown as Record<string, unknown>)[key]);
      return { ...own, message: value.message, stack: value.stack, cause: walk(value.cause) };
    }
    return value;
  };
  return JSON.stringify(walk(error));
}

/** A provider that echoes what it was sent in its error texts and values, as Fineract does. */
function echoingBody(status: number, parameterName: string) {
  const echo = `${CANARY.ssn} ${CANARY.passportNumber} ${CANARY.dateOfBirthText} ${CANARY.dateOfBirth}`;
  return {
    developerMessage: `Bad value ${echo}`,
    httpStatusCode: String(status),
    defaultUserMessage: `Bad value ${echo}`,
    userMessageGlobalisationCode: status === 400 ? 'validation.msg.validation.errors.exist' : 'validation.msg.domain.rule.violation',
    errors: [
      {
        developerMessage: `The value ${echo} is wrong`,
        defaultUserMessage: `The value ${echo} is wrong`,
        userMessageGlobalisationCode: `validation.msg.client.${parameterName}.invalid.format`,
        parameterName,
        value: echo,
        args: [{ value: echo }],
      },
    ],
  };
}

describe('no personal data in errors or logs', () => {
  it('a whole journey logs no SSN, document number or date of birth', async () => {
    h = await startHarness();
    const customer = await newCustomer(h);
    await h.kyc.submit(customer.id, fullApplication({ documents: [driversLicense()], contactVerified: { email: false, phone: false } }));
    await h.kyc.submit(customer.id, fullApplication({ documents: [driversLicense()] }));
    await h.kyc.refresh(customer.id);
    await h.kyc.activate(customer.id);
    // The transport's own lines reach the platform's logger too (one per attempt).
    expect(h.logs.text()).toContain('provider request succeeded');
    expect(leakedCanaries(h.logs.text())).toEqual([]);
    expect(leakedCanaries(JSON.stringify(h.events))).toEqual([]);
    expect(leakedCanaries(JSON.stringify(await h.kyc.getCustomer(customer.id)))).toEqual([]);
  });

  it.each([
    ['identifier (400)', 'POST', /\/identifiers$/, 400, 'documentKey'],
    ['identifier (403)', 'POST', /\/identifiers$/, 403, 'documentKey'],
    ['client update (400)', 'PUT', /^\/v1\/clients\/\d+$/, 400, 'dateOfBirth'],
    ['verify (403)', 'POST', /^\/v1\/clients\/\d+$/, 403, 'documentKey'],
    ['document upload (400)', 'POST', /\/documents$/, 400, 'file'],
    ['a read (500)', 'GET', /\/identifiers$/, 500, 'documentKey'],
  ] as const)('a provider error echoing values on %s is reported without them', async (_name, method, path, status, parameterName) => {
    h = await startHarness();
    const customer = await newCustomer(h);
    h.sim.injectFault({ method, path, status, body: echoingBody(status, parameterName), times: 3 });
    const error = await h.kyc.submit(customer.id, fullApplication()).catch((caught: unknown) => caught);
    expect(KycError.isInstance(error)).toBe(true);
    expect(leakedCanaries(describeError(error))).toEqual([]);
    expect(leakedCanaries(h.logs.text())).toEqual([]);
  });

  it('a 400 on the identifier points at the application path, without the value', async () => {
    h = await startHarness();
    const customer = await newCustomer(h);
    h.sim.injectFault({ method: 'POST', path: /\/identifiers$/, status: 400, body: echoingBody(400, 'documentKey') });
    const error = await h.kyc.submit(customer.id, fullApplication()).catch((caught: unknown) => caught);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).issues[0]?.path).toEqual(['identifiers', 0, 'value']);
  });

  it('validation issues of the adapter carry no values', async () => {
    h = await startHarness();
    const tooLong = `${CANARY.passportNumber}-${'9'.repeat(60)}`;
    const result = h.kyc.validate(
      fullApplication({ identifiers: [{ type: 'tin', value: CANARY.ssn, issuingCountry: 'US' }], documents: [{ ...driversLicense(), number: tooLong }] }),
    );
    expect(result.valid).toBe(false);
    expect(leakedCanaries(JSON.stringify(result.issues))).toEqual([]);
    expect(JSON.stringify(result.issues)).not.toContain(tooLong);
  });
});
