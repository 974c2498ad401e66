import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateApplication } from '../../src/application/validate-application.js';
import { markValidatedForSubmit } from '../../src/application/validated-for-submit.js';
import { createKyc } from '../../src/client/create-kyc.js';
import type { Kyc } from '../../src/client/kyc.js';
import { ValidationError, type ValidationIssue } from '../../src/errors.js';
import type { Application } from '../../src/models/application.js';
import type { KycProvider, ProviderCapabilities, ValidationContext } from '../../src/provider/kyc-provider.js';
import { sampleApplication } from '../support/application-fixture.js';
import { startTinyServer, tinyProvider, type TinyServer } from '../support/tiny-provider.js';

// An adapter validates what its submit is handed (it may be called without core). Through kyc.submit,
// core has just run the same checks on the same object: the adapter's call is answered from core's.
// These tests pin down that only exactly that case is answered without checking.

let server: TinyServer;
let kyc: Kyc | undefined;
const now = new Date('2026-11-22T10:00:00.000Z');

beforeEach(async () => {
  server = await startTinyServer(() => now);
});

afterEach(async () => {
  await kyc?.close();
  kyc = undefined;
  await server.close();
});

/**
 * The tiny adapter, with a `validate` that counts its runs and a submit that validates as real
 * adapters do (its own capabilities object and validate function, unbound).
 */
function countingAdapter(options: { submitCapabilities?: ProviderCapabilities } = {}) {
  const tiny = tinyProvider(server);
  const runs = { validate: 0 };
  function validateTiny(application: Application, _context: ValidationContext): ValidationIssue[] {
    runs.validate++;
    return application.person.lastName === 'Refused'
      ? [{ path: ['person', 'lastName'], code: 'refused_by_tiny', message: 'tiny refuses this name' }]
      : [];
  }
  const adapter: KycProvider = {
    ...tiny,
    validate: validateTiny,
    async submit(input, context) {
      const checked = validateApplication(input.application, options.submitCapabilities ?? adapter.capabilities, {
        now: () => context.now(),
        customerType: input.type,
        providerValidate: validateTiny,
      });
      if (!checked.success) throw new ValidationError(checked.issues);
      return tiny.submit({ ...input, application: checked.application }, context);
    },
  };
  return { adapter, runs };
}

async function submittedCustomer(adapter: KycProvider) {
  kyc = createKyc({ providers: [adapter], now: () => now });
  const customer = await kyc.createCustomer({ reference: 'user-1', type: 'individual', email: 'jane@example.com', firstName: 'Jane', lastName: 'Smith' });
  return { kyc, customer };
}

describe('kyc.submit validates an application once', () => {
  it("answers the adapter's own check from core's when both run the same checks", async () => {
    const { adapter, runs } = countingAdapter();
    const { kyc, customer } = await submittedCustomer(adapter);
    const submitted = await kyc.submit(customer.id, sampleApplication());
    expect(submitted.status).toBe('pending');
    expect(runs.validate).toBe(1);
    expect(server.requests.filter((r) => r.path.endsWith('/submit'))).toHaveLength(1);
  });

  it("never marks the caller's own object: changed after a submit and handed to the adapter, it is checked in full", async () => {
    const { adapter, runs } = countingAdapter();
    const { kyc, customer } = await submittedCustomer(adapter);
    const application = sampleApplication();
    await kyc.submit(customer.id, application);
    (application.person as { dateOfBirth: string }).dateOfBirth = '2020-01-01';
    const before = runs.validate;
    const error = await adapter
      .submit(
        { customerId: customer.id, providerCustomerId: customer.providerCustomerId, providerReference: customer.providerReference, application, type: 'individual', submission: 2 },
        { now: () => now, logger: undefined as never, idempotencyKey: 'direct', signal: new AbortController().signal } as never,
      )
      .catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).issues.map((issue) => issue.code)).toEqual(['underage']);
    expect(runs.validate).toBe(before + 1);
  });

  it('still refuses through core what the adapter refuses, before any request', async () => {
    const { adapter, runs } = countingAdapter();
    const { kyc, customer } = await submittedCustomer(adapter);
    const refused = sampleApplication();
    const error = await kyc.submit(customer.id, { ...refused, person: { ...refused.person, lastName: 'Refused' } }).catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(runs.validate).toBe(1);
    expect(server.requests.filter((r) => r.path.endsWith('/submit'))).toHaveLength(0);
  });

  it('checks in full when the adapter checks against other capabilities than core used', async () => {
    const { adapter } = countingAdapter();
    // The adapter's submit is stricter than the capabilities it declared: its check must run and refuse.
    const stricter: ProviderCapabilities = { ...adapter.capabilities, documentTypes: ['drivers_license'], identityDocumentTypes: ['drivers_license'] };
    const strict = countingAdapter({ submitCapabilities: stricter });
    const { kyc, customer } = await submittedCustomer(strict.adapter);
    const error = await kyc.submit(customer.id, sampleApplication()).catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).issues.map((issue) => issue.code)).toContain('unsupported_document');
    expect(strict.runs.validate).toBe(2);
    expect(server.requests.filter((r) => r.path.endsWith('/submit'))).toHaveLength(0);
  });

  it("validates in full an adapter's submit called directly, even with an object validateApplication returned", async () => {
    const { adapter, runs } = countingAdapter();
    const { customer } = await submittedCustomer(adapter);
    const context = { now: () => now, customerType: 'individual' as const, providerValidate: adapter.validate! };
    // A caller's own validateApplication result is not marked: changed afterwards, it is checked again.
    const result = validateApplication(sampleApplication(), adapter.capabilities, context);
    expect(result.success).toBe(true);
    const parsed = (result as { application: Application }).application;
    const changed = { ...parsed, person: { ...parsed.person, dateOfBirth: '2020-01-01' } };
    const before = runs.validate;
    const error = await adapter
      .submit(
        { customerId: customer.id, providerCustomerId: customer.providerCustomerId, providerReference: customer.providerReference, application: changed, type: 'individual', submission: 1 },
        { now: () => now, logger: undefined as never, idempotencyKey: 'direct', signal: new AbortController().signal } as never,
      )
      .catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).issues.map((issue) => issue.code)).toEqual(['underage']);
    expect(runs.validate).toBe(before + 1);
  });
});

describe('the mark core puts on its parsed copy', () => {
  const capabilities = tinyProvider({ url: 'http://127.0.0.1:1' }).capabilities;
  const validate = (): ValidationIssue[] => [{ path: ['person'], code: 'always', message: 'always refused' }];

  function marked(): Application {
    // An application that would fail the checks below: only a matching mark lets it through.
    const application = sampleApplication();
    markValidatedForSubmit(application, { capabilities, customerType: 'individual', providerValidate: validate, now });
    return application;
  }

  it('answers only the same capabilities, customer type, validate function and UTC day', () => {
    const context = { now: () => now, customerType: 'individual' as const, providerValidate: validate };
    expect(validateApplication(marked(), capabilities, context).success).toBe(true);
    expect(validateApplication(marked(), { ...capabilities }, context).success).toBe(false);
    expect(validateApplication(marked(), capabilities, { ...context, customerType: 'business' }).success).toBe(false);
    expect(validateApplication(marked(), capabilities, { ...context, providerValidate: validate.bind(null) }).success).toBe(false);
    const markedWithoutValidate = sampleApplication();
    markValidatedForSubmit(markedWithoutValidate, { capabilities, customerType: 'individual', providerValidate: undefined, now });
    expect(validateApplication(markedWithoutValidate, capabilities, context).success).toBe(false);
    const nextDay = new Date('2026-11-23T00:00:00.000Z');
    expect(validateApplication(marked(), capabilities, { ...context, now: () => nextDay }).success).toBe(false);
    const sameDay = new Date('2026-11-22T23:59:59.999Z');
    expect(validateApplication(marked(), capabilities, { ...context, now: () => sameDay }).success).toBe(true);
  });

  it('is carried by the object only: a copy of a marked application is checked in full', () => {
    const context = { now: () => now, customerType: 'individual' as const, providerValidate: validate };
    expect(validateApplication({ ...marked() }, capabilities, context).success).toBe(false);
  });
});
