import {
  DOCUMENT_TYPES,
  InvalidStateError,
  KycError,
  ValidationError,
  type Customer,
  type CustomerStatus,
  type KycEvent,
  type KycEventType,
} from '@openkyc/core';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import type { ConformanceSetup } from './conformance-driver.js';
import { CONFORMANCE_CANARY, createHarness, type Harness } from './conformance-harness.js';
import { describeHeaderConformance } from './describe-header-conformance.js';
import { describeInputFormatConformance, type ConformanceScenario } from './describe-input-format-conformance.js';
import { describeRejectionConformance } from './describe-rejection-conformance.js';
import { describeDedupeConformance } from './describe-dedupe-conformance.js';
import { describeStatusMappingConformance } from './describe-status-mapping-conformance.js';
import { describeRetryConformance } from './describe-retry-conformance.js';
import { describePrivacyConformance } from './describe-privacy-conformance.js';

/**
 * The shared promises every adapter keeps, registered in the caller's vitest run:
 *
 * ```ts
 * describeConformance({
 *   name: 'technest',
 *   simulator: () => technestConformance(),
 *   provider: (sim, options) => technest({ baseUrl: sim.url, …, ...options }),
 * });
 * ```
 *
 * Each scenario runs against a fresh simulator and asserts three things: what
 * the provider received, the normalized customer, and the events (types, order,
 * exactly once). Every scenario also fails when the adapter made a request the
 * provider's contract does not document (method + path, from the simulator's
 * contract check). Scenarios are grouped by capability; a group the adapter or
 * its simulator cannot do is skipped with the reason in the test output.
 */
export function describeConformance<TSimulator>(setup: ConformanceSetup<TSimulator>): void {
  const scenario: ConformanceScenario<TSimulator> = (title, body, timeoutMs = 30_000) =>
    it(title, async (ctx) => {
      const harness = await createHarness(setup);
      try {
        await body(harness, ctx);
        expectOnlyDocumentedRequests(harness);
      } finally {
        await harness.close();
      }
    }, timeoutMs);

  describe(`openkyc conformance: ${setup.name}`, () => {
    describe('onboarding', () => {
      scenario('happy path reaches the provider\'s final success, every event exactly once', async (h) => {
        const customer = await h.createCustomer();
        const submitted = await h.kyc.submit(customer.id, h.application());
        expect(submitted.status).toBe(h.capabilities.reviewTime.synchronous ? 'verified' : 'pending');
        const done = await h.approve(submitted);

        // The provider received the application, and no credential went where it must not.
        const record = h.driver.inspect(done.providerCustomerId);
        expect(record, 'the provider has the record').toBeDefined();
        expect(record!.documents).toBeGreaterThanOrEqual(1);
        expect(h.driver.credentialLeaks()).toEqual([]);

        // The normalized customer.
        expect(done).toMatchObject({ id: customer.id, status: h.successStatus, requirements: [], submissions: 1 });
        expect(done.rejection).toBeUndefined();
        expect(await h.kyc.getCustomer(customer.id)).toEqual(done);

        // The events: types, order, exactly once, a valid chain.
        expect(typesOf(h.eventsOf(customer.id))).toEqual(successEvents(h.successStatus));
        expectChain(h.eventsOf(customer.id), customer);
        expect(await h.kyc.listEvents(customer.id)).toEqual(h.eventsOf(customer.id));
      });

      scenario('an invalid application is refused with every issue, before any request', async (h) => {
        const customer = await h.createCustomer();
        const before = h.driver.requests().length;
        const application = h.application();
        const error = await h.kyc
          .submit(customer.id, { ...application, person: { ...application.person, phone: '0044 20 7946 0000', dateOfBirth: '1990-02-30' } })
          .catch((e: unknown) => e);
        expect(ValidationError.isInstance(error)).toBe(true);
        const paths = (error as ValidationError).issues.map((issue) => issue.path.join('.'));
        expect(paths).toEqual(expect.arrayContaining(['person.phone', 'person.dateOfBirth']));
        expect(h.driver.requests().length).toBe(before);
        expect((await h.kyc.getCustomer(customer.id)).status).toBe('created');
        expect(typesOf(h.eventsOf(customer.id))).toEqual(['customer.created']);
      });

      scenario('an unsupported document is refused before any request, naming what to send', async (h, ctx) => {
        const unsupported = DOCUMENT_TYPES.find((type) => !h.capabilities.documentTypes.includes(type));
        ctx.skip(unsupported === undefined, 'the provider accepts every document type');
        const customer = await h.createCustomer();
        const before = h.driver.requests().length;
        const application = h.application();
        const [first, ...rest] = application.documents;
        const error = await h.kyc
          .submit(customer.id, { ...application, documents: [{ ...first!, type: unsupported! }, ...rest] })
          .catch((e: unknown) => e);
        expect(ValidationError.isInstance(error)).toBe(true);
        const issue = (error as ValidationError).issues.find((i) => i.code === 'unsupported_document');
        expect(issue?.path).toEqual(['documents', 0, 'type']);
        expect(issue?.message).toMatch(/send|accept/i);
        expect(h.driver.requests().length).toBe(before);
      });

      scenario('a customer under review cannot be submitted again (InvalidStateError, no request)', async (h, ctx) => {
        ctx.skip(h.capabilities.reviewTime.synchronous, 'review is synchronous: a customer is never pending');
        const customer = await h.createCustomer();
        await h.kyc.submit(customer.id, h.application());
        const before = h.driver.requests().length;
        await expect(h.kyc.submit(customer.id, h.application())).rejects.toSatisfy(InvalidStateError.isInstance);
        expect(h.driver.requests().length).toBe(before);
      });
    });

    describe('contract', () => {
      scenario('the adapter makes only requests the provider\'s contract documents, through a whole lifecycle', async (h, ctx) => {
        ctx.skip(h.driver.contractViolations === undefined, 'the simulator does not report contract violations');
        const customer = await h.createCustomer();
        await h.kyc.submit(customer.id, h.application());
        await h.decide(customer, 'reject');
        const retried = await h.kyc.submit(customer.id, h.application());
        const done = await h.approve(retried);
        expect(done.status).toBe(h.successStatus);
        await h.kyc.refresh(customer.id);
        await h.kyc.reconcile({ all: true });
        expect(h.driver.requests().length).toBeGreaterThan(0);
        // The scenario wrapper lists what the adapter called beyond the contract.
      });
    });

    describeInputFormatConformance(scenario);
    describeRejectionConformance(scenario);
    describeStatusMappingConformance(scenario);
    describeDedupeConformance(scenario);
    describeRetryConformance(scenario, setup);
    describeHeaderConformance(scenario);
    describePrivacyConformance(scenario, setup);

    describe('needs info', () => {
      scenario('needs_info with end-user-safe requirements, then a resubmission succeeds', async (h, ctx) => {
        ctx.skip(!h.capabilities.needsInfo, 'the provider never asks for more information (bad documents end in rejection)');
        const customer = await h.createCustomer();
        let current: Customer;
        if (h.driver.incompleteApplication !== undefined) {
          current = await h.kyc.submit(customer.id, withCanaryDob(h.driver.incompleteApplication()));
        } else {
          await h.kyc.submit(customer.id, h.application());
          current = await h.decide(customer, 'needs_info');
        }
        expect(current.status).toBe('needs_info');
        expect(current.requirements.length).toBeGreaterThan(0);
        for (const requirement of current.requirements) {
          expect(['document', 'field', 'contact_verification']).toContain(requirement.kind);
          expect(requirement.message.length).toBeGreaterThan(10);
          expect(requirement.message).not.toMatch(/[A-Z]{3,}_[A-Z_]+|error\.msg|validation\.msg/); // no provider codes
        }
        const needsInfo = h.eventsOf(customer.id).filter((e) => e.type === 'customer.needs_info');
        expect(needsInfo).toHaveLength(1);
        expect(needsInfo[0]).toMatchObject({ requirements: current.requirements });

        const resubmitted = await h.kyc.submit(customer.id, h.application());
        expect(resubmitted.submissions).toBe(2);
        const done = await h.approve(resubmitted);
        expect(done.status).toBe(h.successStatus);
        expect(done.requirements).toEqual([]);
        expectChain(h.eventsOf(customer.id), customer);
        expect(count(h.eventsOf(customer.id), 'customer.verified')).toBe(1);
      });
    });

    describe('rejection and retry', () => {
      scenario('a rejection carries a friendly message; a retry in the provider\'s mode succeeds', async (h) => {
        const customer = await h.createCustomer();
        await h.kyc.submit(customer.id, h.application());
        const rejected = await h.decide(customer, 'reject');
        expect(rejected.status).toBe('rejected');
        expect(rejected.rejection).toMatchObject({ retryable: true });
        expect(rejected.rejection!.message.length).toBeGreaterThan(10);
        const rejectedEvents = h.eventsOf(customer.id).filter((e) => e.type === 'customer.rejected');
        expect(rejectedEvents).toHaveLength(1);
        expect(rejectedEvents[0]).toMatchObject({ rejection: rejected.rejection });

        const retried = await h.kyc.submit(customer.id, h.application());
        expect(retried.id).toBe(customer.id);
        expect(retried.status).toBe(h.capabilities.reviewTime.synchronous ? 'verified' : 'pending');
        if (h.capabilities.retryAfterRejection === 'new-customer') {
          expect(retried.attempts).toHaveLength(2);
          expect(retried.providerCustomerId).not.toBe(rejected.providerCustomerId);
          expect(retried.attempts[0]).toMatchObject({ providerCustomerId: rejected.providerCustomerId, status: 'rejected' });
        } else {
          expect(retried.attempts).toHaveLength(1);
          expect(retried.providerCustomerId).toBe(rejected.providerCustomerId);
        }
        const done = await h.approve(retried);
        expect(done.status).toBe(h.successStatus);
        expectChain(h.eventsOf(customer.id), customer);
        expect(count(h.eventsOf(customer.id), 'customer.rejected')).toBe(1);
      });
    });

    describe('activation', () => {
      scenario('activate is refused before verification, without a request', async (h, ctx) => {
        ctx.skip(h.capabilities.activation !== 'explicit', `activation is '${h.capabilities.activation}': nothing to call`);
        const customer = await h.createCustomer();
        const before = h.driver.requests().length;
        await expect(h.kyc.activate(customer.id)).rejects.toSatisfy(InvalidStateError.isInstance);
        expect(h.driver.requests().length).toBe(before);
      });

      scenario('deactivation by the provider reaches openkyc', async (h, ctx) => {
        ctx.skip(h.driver.deactivate === undefined, 'the provider has no deactivation');
        const customer = await h.createCustomer();
        const done = await h.approve(await h.kyc.submit(customer.id, h.application()));
        await h.driver.deactivate!(done.providerCustomerId);
        const after = h.driver.webhooks !== undefined && h.webhookUrl !== undefined
          ? (await h.driver.webhooks.settled(), await h.kyc.getCustomer(customer.id))
          : await h.kyc.refresh(customer.id);
        expect(after.status).toBe('deactivated');
        expect(count(h.eventsOf(customer.id), 'customer.deactivated')).toBe(1);
      });
    });

    describe('webhooks', () => {
      const webhookScenario = (title: string, body: (h: Harness<TSimulator>) => Promise<void>) =>
        scenario(title, async (h, ctx) => {
          ctx.skip(!h.capabilities.webhooks || h.driver.webhooks === undefined, 'the provider sends no webhooks (reconcile polls instead)');
          await body(h);
        });

      webhookScenario('a delivery repeated 5 times causes one event; the repeats are reported as duplicates', async (h) => {
        const customer = await h.createCustomer();
        await h.kyc.submit(customer.id, h.application());
        await h.driver.webhooks!.settled();
        h.driver.webhooks!.hold();
        const seen = h.webhookOutcomes.length;
        await h.driver.decide(customer.providerCustomerId, 'approve');
        await h.driver.webhooks!.release({ duplicate: 5 });
        await h.driver.webhooks!.settled();
        const approval = h.webhookOutcomes.slice(seen);
        expect(approval.every((o) => o.status === 200)).toBe(true);
        expect(approval.filter((o) => o.events > 0)).toHaveLength(1);
        expect(approval.filter((o) => o.duplicate)).toHaveLength(approval.length - 1);
        expect(approval.length).toBeGreaterThanOrEqual(5);
        expect(count(h.eventsOf(customer.id), 'customer.verified')).toBe(1);
      });

      webhookScenario('concurrent deliveries of one event cause one event', async (h) => {
        const customer = await h.createCustomer();
        await h.kyc.submit(customer.id, h.application());
        h.driver.webhooks!.hold();
        await h.driver.decide(customer.providerCustomerId, 'approve');
        const [delivery] = h.driver.webhooks!.deliveries().slice(-1);
        const seen = h.webhookOutcomes.length;
        const results = await Promise.all(Array.from({ length: 10 }, () => post(h.webhookUrl!, delivery!.headers, delivery!.body)));
        expect(results.every((status) => status === 200)).toBe(true);
        expect(h.webhookOutcomes.slice(seen).filter((o) => o.events > 0)).toHaveLength(1);
        expect(h.webhookOutcomes.slice(seen).filter((o) => o.duplicate)).toHaveLength(9);
        expect(count(h.eventsOf(customer.id), 'customer.verified')).toBe(1);
      });

      webhookScenario('late and reordered deliveries never move a customer backwards', async (h) => {
        const customer = await h.createCustomer();
        await h.kyc.submit(customer.id, h.application());
        h.driver.webhooks!.hold();
        // Reject, notice it by polling (the webhook is held), retry, approve: several deliveries queue up.
        await h.driver.decide(customer.providerCustomerId, 'reject');
        expect((await h.kyc.refresh(customer.id)).status).toBe('rejected');
        const retried = await h.kyc.submit(customer.id, h.application());
        await h.driver.decide(retried.providerCustomerId, 'approve');
        const approved = await h.kyc.refresh(customer.id);
        expect(approved.status).toBe(h.capabilities.activation === 'automatic' ? 'active' : 'verified');
        const eventsBefore = h.eventsOf(customer.id).length;

        await h.driver.webhooks!.release({ order: 'reverse', duplicate: 2 });
        await h.driver.webhooks!.settled();
        expect(h.webhookOutcomes.length).toBeGreaterThanOrEqual(2);
        expect(h.webhookOutcomes.every((o) => o.status === 200)).toBe(true);
        const after = await h.kyc.getCustomer(customer.id);
        expect(after.status).toBe(approved.status);
        expect(h.eventsOf(customer.id).length).toBe(eventsBefore);
        expectChain(h.eventsOf(customer.id), customer);
      });

      webhookScenario('a late report of an earlier status never moves a decided customer back, nor invents a status', async (h) => {
        for (const outcome of ['approve', 'reject'] as const) {
          const customer = await h.createCustomer();
          h.driver.webhooks!.hold();
          const before = h.driver.webhooks!.deliveries().length;
          await h.kyc.submit(customer.id, h.application());
          const atSubmission = h.driver.webhooks!.deliveries().length;
          await h.driver.decide(customer.providerCustomerId, outcome);
          const all = h.driver.webhooks!.deliveries();
          const announcements = all.slice(before, atSubmission); // what the submission made the provider say
          const decision = all.slice(atSubmission);
          expect(decision.length, 'the decision is announced by webhook').toBeGreaterThan(0);

          // The decision arrives first…
          for (const delivery of decision) expect(await post(h.webhookUrl!, delivery.headers, delivery.body)).toBe(200);
          const decided = await h.kyc.getCustomer(customer.id);
          expect(decided.status).toBe(outcome === 'approve' ? h.successStatus : 'rejected');
          const eventsDecided = h.eventsOf(customer.id).map((event) => event.type);

          // …then, a while later, the provider retries its earlier announcements (same events, re-signed).
          await h.driver.advanceClock(2_000);
          for (const delivery of announcements) {
            expect(await post(h.webhookUrl!, h.driver.webhooks!.sign(delivery.body), delivery.body)).toBe(200);
          }
          const after = await h.kyc.getCustomer(customer.id);
          expect(after.status, `a late earlier report moved a ${decided.status} customer`).toBe(decided.status);
          expect(h.eventsOf(customer.id).map((event) => event.type), 'no event from a late earlier report').toEqual(eventsDecided);
          expectChain(h.eventsOf(customer.id), customer);
          // Whatever is still queued goes out as duplicates, changing nothing either.
          await h.driver.webhooks!.release();
          await h.driver.webhooks!.settled();
          expect((await h.kyc.getCustomer(customer.id)).status).toBe(decided.status);
        }
      });

      webhookScenario('a bad signature, a stale or future timestamp and a tampered body are refused and change nothing', async (h) => {
        const customer = await h.createCustomer();
        await h.kyc.submit(customer.id, h.application());
        h.driver.webhooks!.hold();
        await h.driver.decide(customer.providerCustomerId, 'approve');
        const genuine = h.driver.webhooks!.deliveries().at(-1)!;
        const now = h.driver.now();
        const forged = [
          { headers: h.driver.webhooks!.sign(genuine.body, { secret: 'whsec_bm90LXRoZS1zZWNyZXQtYXQtYWxs' }), body: genuine.body },
          { headers: h.driver.webhooks!.sign(genuine.body, { timestamp: new Date(now.getTime() - 10 * 60_000) }), body: genuine.body },
          { headers: h.driver.webhooks!.sign(genuine.body, { timestamp: new Date(now.getTime() + 10 * 60_000) }), body: genuine.body },
          { headers: genuine.headers, body: tamper(genuine.body) },
          { headers: {}, body: genuine.body },
        ];
        for (const delivery of forged) expect(await post(h.webhookUrl!, delivery.headers, delivery.body)).toBe(401);
        const unchanged = await h.kyc.getCustomer(customer.id);
        expect(unchanged.status).toBe('pending');
        expect(count(h.eventsOf(customer.id), 'customer.verified')).toBe(0);
        // The genuine delivery still applies: refused forgeries did not burn its event id.
        expect(await post(h.webhookUrl!, genuine.headers, genuine.body)).toBe(200);
        expect(count(h.eventsOf(customer.id), 'customer.verified')).toBe(1);
      });
    });

    describe('lost updates', () => {
      scenario('a provider decision whose webhook is lost is recovered by refresh', async (h) => {
        const customer = await h.createCustomer();
        const submitted = await h.kyc.submit(customer.id, h.application());
        h.driver.webhooks?.setTarget(undefined);
        const outcome = h.capabilities.reviewTime.synchronous ? 'reject' : 'approve';
        await h.driver.decide(submitted.providerCustomerId, outcome);
        expect((await h.kyc.getCustomer(customer.id)).status).toBe(submitted.status);
        const refreshed = await h.kyc.refresh(customer.id);
        expect(refreshed.status).not.toBe(submitted.status);
        expect(h.eventsOf(customer.id).at(-1)).toMatchObject({ source: 'poll', to: refreshed.status });
      });

      scenario('reconcile recovers it too, and reports what it did', async (h) => {
        const customer = await h.createCustomer();
        const submitted = await h.kyc.submit(customer.id, h.application());
        h.driver.webhooks?.setTarget(undefined);
        const outcome = h.capabilities.reviewTime.synchronous ? 'reject' : 'approve';
        await h.driver.decide(submitted.providerCustomerId, outcome);
        const result = await h.kyc.reconcile({ now: new Date(h.driver.now().getTime() + 25 * 60 * 60_000) });
        expect(result.failed).toEqual([]);
        expect(result.checked).toBeGreaterThanOrEqual(1);
        expect(result.changed).toBe(1);
        expect((await h.kyc.getCustomer(customer.id)).status).not.toBe(submitted.status);
      });

      scenario('customer.review_overdue fires once per documented escalation level, in order', async (h, ctx) => {
        ctx.skip(h.capabilities.reviewTime.synchronous, 'review is synchronous: nothing can be overdue');
        const customer = await h.createCustomer();
        await h.kyc.submit(customer.id, h.application());
        const start = h.driver.now().getTime();
        const levels = h.capabilities.reviewTime.escalations ?? [
          { level: 1, afterMs: h.capabilities.reviewTime.escalateAfterMs, action: 'contact_provider' },
        ];
        expect(levels[0]?.afterMs).toBe(h.capabilities.reviewTime.escalateAfterMs);
        for (const escalation of levels) {
          const early = await h.kyc.reconcile({ now: new Date(start + escalation.afterMs - 60_000), all: true });
          expect(early.overdue, `level ${escalation.level} must not fire early`).toBe(0);
          const late = await h.kyc.reconcile({ now: new Date(start + escalation.afterMs + 60_000), all: true });
          const again = await h.kyc.reconcile({ now: new Date(start + escalation.afterMs + 120_000), all: true });
          expect([late.overdue, again.overdue], `level ${escalation.level} fires once`).toEqual([1, 0]);
        }
        const overdue = h.eventsOf(customer.id).filter((e) => e.type === 'customer.review_overdue');
        expect(overdue).toEqual(
          levels.map((escalation) =>
            expect.objectContaining({ level: escalation.level, action: escalation.action, escalateAfterMs: escalation.afterMs, from: 'pending', to: 'pending' }),
          ),
        );
      });
    });

    describe('transport', () => {
      scenario('a 5xx on a read is retried and succeeds', async (h) => {
        const customer = await h.createCustomer();
        await h.kyc.submit(customer.id, h.application());
        h.driver.injectFetchFault({ status: 503 });
        const before = h.driver.requests().length;
        await expect(h.kyc.refresh(customer.id)).resolves.toMatchObject({ id: customer.id });
        expect(h.driver.requests().length - before).toBeGreaterThanOrEqual(2);
      });

      scenario('a connection reset on a read is retried and succeeds', async (h) => {
        const customer = await h.createCustomer();
        await h.kyc.submit(customer.id, h.application());
        h.driver.injectFetchFault({ reset: true });
        await expect(h.kyc.refresh(customer.id)).resolves.toMatchObject({ id: customer.id });
      });

      scenario('a 429 is retried after the Retry-After the provider asked for', async (h) => {
        const customer = await h.createCustomer();
        await h.kyc.submit(customer.id, h.application());
        h.driver.injectFetchFault({ status: 429, headers: { 'retry-after': '1' } });
        const started = Date.now();
        await expect(h.kyc.refresh(customer.id)).resolves.toMatchObject({ id: customer.id });
        expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      });

      it('a provider that stops answering ends in a typed timeout within the deadline', async () => {
        const h = await createHarness(setup, { timeoutMs: 250 });
        try {
          const customer = await h.createCustomer();
          h.driver.injectFetchFault({ latencyMs: 10_000, times: Number.POSITIVE_INFINITY });
          const started = Date.now();
          const error = await h.kyc.refresh(customer.id).catch((e: unknown) => e);
          expect(KycError.isInstance(error) && error.code).toBe('timeout');
          expect((error as KycError).isRetryable).toBe(true);
          expect(Date.now() - started).toBeLessThan(5_000);
          expect((await h.kyc.getCustomer(customer.id)).status).toBe('created');
          expectOnlyDocumentedRequests(h);
        } finally {
          await h.close();
        }
      }, 20_000);

      scenario('expired credentials are refreshed once and the call repeated', async (h, ctx) => {
        ctx.skip(h.driver.credentials === undefined, 'the provider\'s credentials do not expire');
        const customer = await h.createCustomer();
        const issued = h.driver.credentials!.issued();
        h.driver.credentials!.expire();
        await expect(h.kyc.refresh(customer.id)).resolves.toMatchObject({ id: customer.id });
        expect(h.driver.credentials!.issued()).toBe(issued + 1);
      });
    });
  });
}

/**
 * Fails with every undocumented request the adapter made (method, path template
 * and why): a real server may answer each with 404, and onboarding would break.
 */
function expectOnlyDocumentedRequests<TSimulator>(h: Harness<TSimulator>): void {
  const violations = h.driver.contractViolations?.() ?? [];
  const listed = [...new Set(violations.map((violation) => `${violation.route} — ${violation.reason}`))];
  const message = `the adapter made requests the provider's contract does not document (a real server may answer them 404): ${listed.join('; ')}`;
  expect(listed, message).toEqual([]);
}

function successEvents(success: CustomerStatus): KycEventType[] {
  return success === 'active'
    ? ['customer.created', 'customer.submitted', 'customer.verified', 'customer.activated']
    : ['customer.created', 'customer.submitted', 'customer.verified'];
}

function typesOf(events: readonly KycEvent[]): KycEventType[] {
  return events.map((event) => event.type);
}

function count(events: readonly KycEvent[], type: KycEventType): number {
  return events.filter((event) => event.type === type).length;
}

/** Events of one customer form one chain of transitions with unique ids. */
function expectChain(events: readonly KycEvent[], customer: Customer): void {
  const transitions = events.filter((event) => event.type !== 'customer.review_overdue');
  expect(transitions[0]).toMatchObject({ type: 'customer.created', from: null, to: 'created', customerId: customer.id });
  for (let i = 1; i < transitions.length; i++) {
    expect(transitions[i]!.from, `event ${i} (${transitions[i]!.type}) starts where the previous ended`).toBe(transitions[i - 1]!.to);
    expect(transitions[i]!.from).not.toBe(transitions[i]!.to);
  }
  expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
  for (const event of events) expect(event).toMatchObject({ reference: customer.reference, provider: customer.provider });
}

function withCanaryDob<T extends { person: { dateOfBirth: string } }>(application: T): T {
  return { ...application, person: { ...application.person, dateOfBirth: CONFORMANCE_CANARY.dateOfBirth } };
}

/** Changes one character of the body without breaking its JSON. */
function tamper(body: string): string {
  const index = body.indexOf('"', body.length >> 1);
  return index > 0 ? `${body.slice(0, index)} ${body.slice(index)}` : `${body} `;
}

async function post(url: string, headers: Readonly<Record<string, string>>, body: string): Promise<number> {
  const response = await request(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
  await response.body.dump();
  return response.statusCode;
}
