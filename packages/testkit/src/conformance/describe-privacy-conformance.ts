import { KycError, type Application, type Customer } from '@openkyc/core';
import { describe, expect, it } from 'vitest';
import { failureOf, piiCanaryCustomer, piiLeaksIn, withPiiCanary } from '../fixtures/pii-canary-application.js';
import { PII_CANARY } from '../fixtures/pii-canary.js';
import type { ConformanceCallFault, ConformanceOperation, ConformanceProviderCall, ConformanceSetup } from './conformance-driver.js';
import { createHarness, type Harness } from './conformance-harness.js';
import type { ConformanceScenario } from './describe-input-format-conformance.js';

/**
 * The "privacy" group of the conformance suite: canary personal data (names,
 * e-mail, date of birth, document number, national id — `PII_CANARY`) goes
 * through every operation — createCustomer, submit, refresh, reconcile,
 * activate and retry where the provider has them, webhooks — and through every
 * fault the simulator can inject on each provider call: error bodies that echo
 * what was sent (4xx and 5xx), the contract's error envelopes, connection
 * resets and timeouts. No written form of a canary value (`piiCanaryForms`:
 * also without separators, dates in words) may reach a log record (message and
 * structured fields), an error (`message`, `toString()`, `stack`, `cause`
 * chain) or an event. Core's logger redacts by key; what an adapter formats
 * into a message, or logs under another key, reaches the platform's logger as
 * is — so that is what the group searches.
 */
export function describePrivacyConformance<TSimulator>(scenario: ConformanceScenario<TSimulator>, setup: ConformanceSetup<TSimulator>): void {
  describe('privacy', () => {
    scenario('canary personal data through every operation leaves no trace in logs, errors or events', async (h) => {
      const errors: unknown[] = [];
      // Onboarding to the provider's final success, then refresh and reconcile.
      const approved = await createCanaryCustomer(h);
      await h.approve(await h.kyc.submit(approved.id, canaryApplication(h)));
      await h.kyc.refresh(approved.id);
      await h.kyc.reconcile({ all: true, now: new Date(h.driver.now().getTime() + 25 * 60 * 60_000) });
      // A rejection, then a retry with the same data.
      const rejected = await createCanaryCustomer(h);
      await h.kyc.submit(rejected.id, canaryApplication(h));
      await h.decide(rejected, 'reject');
      const retried = await h.kyc.submit(rejected.id, canaryApplication(h));
      await h.approve(retried);
      // A refusal before any request, on an application full of canary values.
      const application = canaryApplication(h);
      errors.push(await failureOf(() => h.kyc.submit(approved.id, { ...application, person: { ...application.person, phone: 'x' } })));

      expect(h.logs.length, 'openkyc logged nothing: the capturing logger is not wired').toBeGreaterThan(0);
      expectNoCanary(h, errors);
    });

    scenario('every provider call answering with a body that echoes what was sent (4xx, 5xx): no canary anywhere', async (h, ctx) => {
      ctx.skip(h.driver.privacy === undefined, 'the driver declares no provider calls to fault (privacy.calls)');
      const errors: unknown[] = [];
      for (const call of applicableCalls(h)) {
        for (const status of [400, 500]) {
          const error = await runFaulted(h, call, { kind: 'echo', status });
          expect(KycError.isInstance(error), `${describeCall(call)} answering ${status}: a typed KycError`).toBe(true);
          errors.push(error);
        }
      }
      expectNoCanary(h, errors);
    }, 60_000);

    it("every provider call answering with the contract's error envelope, a reset or too late: no canary anywhere", async (ctx) => {
      // A short per-attempt timeout, so an answer too slow to wait for costs half a second, not the default.
      const h = await createHarness(setup, { timeoutMs: TIMEOUT_MS });
      try {
        ctx.skip(h.driver.privacy === undefined, 'the driver declares no provider calls to fault (privacy.calls)');
        const errors: unknown[] = [];
        for (const call of applicableCalls(h)) errors.push(await runFaulted(h, call, { kind: 'envelope', status: 400 }));
        // Retried faults cost backoff and timeouts: once per operation (on its first call) is enough to reach its failure paths.
        for (const call of firstCallPerOperation(applicableCalls(h))) {
          errors.push(await runFaulted(h, call, { kind: 'envelope', status: 503 }));
          errors.push(await runFaulted(h, call, { kind: 'reset' }));
          // The attempt times out; a retry may complete the operation.
          errors.push(await runFaulted(h, call, { kind: 'latency', ms: TIMEOUT_MS + 300, times: 1 }));
        }
        expectNoCanary(h, errors.filter((error) => error !== undefined));
      } finally {
        await h.close();
      }
    }, 90_000);

    scenario('a rejection reason quoting the applicant reaches no event, log or error, by webhook or by polling', async (h, ctx) => {
      ctx.skip(h.driver.rejectWith === undefined, 'the driver cannot reject with a chosen reason (rejectWith)');
      const customer = await createCanaryCustomer(h);
      const submitted = await h.kyc.submit(customer.id, canaryApplication(h));
      await h.driver.rejectWith!(submitted.providerCustomerId, QUOTING_REASON);
      await h.driver.webhooks?.settled();
      const refreshed = await h.kyc.refresh(customer.id);
      expect(refreshed.status).toBe('rejected');
      expect(refreshed.rejection, 'the rejection is reported').toBeDefined();
      // The customer record holds the names it was created with; the rejection must not repeat any of it.
      expectNoCanary(h, [], [refreshed.rejection, h.eventsOf(customer.id)]);
    });

    scenario('webhooks carrying personal data — accepted, unsigned or unparseable — leave no trace', async (h, ctx) => {
      ctx.skip(!h.capabilities.webhooks || h.driver.webhooks === undefined || h.webhookUrl === undefined, 'the provider sends no webhooks');
      const webhooks = h.driver.webhooks!;
      const customer = await createCanaryCustomer(h);
      await h.kyc.submit(customer.id, canaryApplication(h));
      await webhooks.settled();
      webhooks.hold();
      await h.driver.decide(customer.providerCustomerId, 'approve');
      const genuine = webhooks.deliveries().at(-1);
      expect(genuine, 'the decision is announced by webhook').toBeDefined();
      const errors: unknown[] = [];
      const handle = (headers: Readonly<Record<string, string>>, body: string) =>
        failureOf(() => h.kyc.handleWebhook(h.provider.id, { headers, body }));

      const carrying = withApplicantFields(genuine!.body);
      errors.push(await handle({}, carrying)); // unsigned
      errors.push(await handle(webhooks.sign(carrying, { secret: 'whsec_bm90LXRoZS1zZWNyZXQtYXQtYWxs' }), carrying)); // wrongly signed
      const broken = `${carrying.slice(0, -1)}, "note": "${APPLICANT_TEXT}"`; // signed, but not JSON
      errors.push(await handle(webhooks.sign(broken), broken));
      expect(errors.filter((error) => error !== undefined), 'refusals of unsigned and unparseable deliveries').toHaveLength(3);
      // Signed and well-formed: accepted, the extra personal fields go nowhere.
      errors.push(await handle(webhooks.sign(carrying), carrying));
      expect(errors[3], 'a genuine delivery with extra fields is accepted').toBeUndefined();
      expect((await h.kyc.getCustomer(customer.id)).status).not.toBe('pending');
      expectNoCanary(h, errors.filter((error) => error !== undefined));
    });
  });
}

const TIMEOUT_MS = 500;

/** Free text a provider may put in a rejection: the applicant's data quoted back, in several forms. */
const APPLICANT_TEXT =
  `Applicant '${PII_CANARY.firstName} ${PII_CANARY.lastName}' (${PII_CANARY.email}), born ${PII_CANARY.dateOfBirth} (the fourteenth of March 1987), ` +
  `document ${PII_CANARY.documentNumber}, SSN ${PII_CANARY.nationalId.replaceAll('-', '')}`;
const QUOTING_REASON = `Identity could not be verified: ${APPLICANT_TEXT} does not match the records`;

let references = 0;

function createCanaryCustomer<TSimulator>(h: Harness<TSimulator>): Promise<Customer> {
  return h.kyc.createCustomer(piiCanaryCustomer(`privacy-${Date.now().toString(36)}-${++references}`));
}

function canaryApplication<TSimulator>(h: Harness<TSimulator>): Application {
  return withPiiCanary(h.driver.application());
}

/** The driver's calls of the operations this adapter has (activate only with explicit activation). */
function applicableCalls<TSimulator>(h: Harness<TSimulator>): readonly ConformanceProviderCall[] {
  return (h.driver.privacy?.calls ?? []).filter((call) => call.operation !== 'activate' || h.capabilities.activation === 'explicit');
}

function firstCallPerOperation(calls: readonly ConformanceProviderCall[]): ConformanceProviderCall[] {
  const first = new Map<ConformanceOperation, ConformanceProviderCall>();
  for (const call of calls) if (!first.has(call.operation)) first.set(call.operation, call);
  return [...first.values()];
}

/**
 * Brings a fresh canary customer to where `call`'s operation runs, faults the
 * call, runs the operation and returns what it threw (`undefined` when a retry
 * completed it). Fails when the fault was never hit: the driver's call table
 * must match what the adapter does.
 */
async function runFaulted<TSimulator>(h: Harness<TSimulator>, call: ConformanceProviderCall, fault: ConformanceCallFault): Promise<unknown> {
  const operation = await prepare(h, call.operation);
  const injected = h.driver.privacy!.inject(call, fault);
  let error: unknown;
  try {
    error = await failureOf(operation);
    // A reconcile hitting the same fault logs what failed instead of throwing.
    if (call.operation === 'refresh') await h.kyc.reconcile({ all: true });
  } finally {
    injected.cancel();
  }
  expect(injected.hits, `${describeCall(call)} was never requested (${fault.kind}): the driver's privacy.calls do not match the adapter`).toBeGreaterThan(0);
  return error;
}

async function prepare<TSimulator>(h: Harness<TSimulator>, operation: ConformanceOperation): Promise<() => Promise<unknown>> {
  if (operation === 'createCustomer') return () => createCanaryCustomer(h);
  const customer = await createCanaryCustomer(h);
  if (operation === 'submit') return () => h.kyc.submit(customer.id, canaryApplication(h));
  const submitted = await h.kyc.submit(customer.id, canaryApplication(h));
  switch (operation) {
    case 'refresh':
      return () => h.kyc.refresh(customer.id);
    case 'activate': {
      const verified = submitted.status === 'pending' ? await h.decide(submitted, 'approve') : submitted;
      expect(verified.status, 'activation needs a verified customer').toBe('verified');
      return () => h.kyc.activate(customer.id);
    }
    case 'retry': {
      expect((await h.decide(submitted, 'reject')).status).toBe('rejected');
      return () => h.kyc.submit(customer.id, canaryApplication(h));
    }
  }
}

/** Fails with every canary form found in the logs, the events, `errors` and `values`, and where. */
function expectNoCanary<TSimulator>(h: Harness<TSimulator>, errors: readonly unknown[], values: readonly unknown[] = []): void {
  const leaks = piiLeaksIn({ errors, logs: [...h.logs, ...values], events: h.events });
  const listed = leaks.map((leak) => `'${leak.form}' in …${leak.text}…`);
  expect(listed, `personal data reached a log record, an error or an event:\n${listed.join('\n')}`).toEqual([]);
}

/** A delivery body with the applicant's data added where a provider might put it: at the top and in every object below. */
function withApplicantFields(body: string): string {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  const applicant = {
    first_name: PII_CANARY.firstName,
    last_name: PII_CANARY.lastName,
    email: PII_CANARY.email,
    birth: PII_CANARY.dateOfBirth,
    passport: PII_CANARY.documentNumber,
    ssn_number: PII_CANARY.nationalId,
    remark: APPLICANT_TEXT,
  };
  for (const value of Object.values(parsed)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) Object.assign(value, { applicant_details: applicant });
  }
  return JSON.stringify({ ...parsed, applicant });
}

function describeCall(call: ConformanceProviderCall): string {
  return `${call.operation}: ${call.method} ${call.path}`;
}
