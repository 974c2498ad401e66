import { NotRetryableError, type Application, type Customer, type EventSource } from '@openkyc/core';
import { describe, expect } from 'vitest';
import type { TestContext } from 'vitest';
import type { ConformanceRejectionReason } from './conformance-driver.js';
import type { Harness } from './conformance-harness.js';
import type { ConformanceScenario } from './describe-input-format-conformance.js';

/**
 * The "rejection reasons" group of the conformance suite: every rejection
 * reason the provider's contract documents (the driver's `rejectionReasons`,
 * declared from the contract) is driven through the simulator — by poll, and
 * by webhook (every reason in the provider's first body shape, one reason per
 * classification in each further shape) — and must reach the
 * customer with the contract's classification: `retryable: false` for final
 * reasons (fraud, sanctions, duplicate identity, age), `true` for ones the
 * end-user can fix. After a final rejection `submit` throws
 * `NotRetryableError` without a request; after a retryable one it proceeds in
 * the provider's retry mode. The end-user's message is never the raw reason.
 * Where the contract lets a rejection webhook leave the reason out, such a
 * webhook must not make the customer retryable on a guess.
 */
export function describeRejectionConformance<TSimulator>(scenario: ConformanceScenario<TSimulator>): void {
  describe('rejection reasons', () => {
    scenario(
      "every documented rejection reason, seen by polling, has the contract's retryability; a final one refuses submit without a request, a retryable one retries in the provider's mode",
      async (h, ctx) => {
        const table = rejectionTable(h, ctx);
        const application = h.application(); // built once: document bytes are costly to make, and never change
        h.driver.webhooks?.setTarget(undefined); // webhooks lost: only the poll can tell
        const outcomes: RejectionOutcome[] = [];
        for (const reason of table) {
          const customer = await submittedCustomer(h, application);
          await h.driver.rejectWith!(customer.providerCustomerId, reason.providerReason);
          outcomes.push({ reason, customer: await h.kyc.refresh(customer.id) });
        }
        expectClassification(outcomes, 'by poll');
        for (const { reason, customer } of outcomes) {
          const label = `'${reason.providerReason}' by poll`;
          expectRejection(h, customer, reason, 'poll', label);
          await expectSubmitAfterRejection(h, customer, reason, application, label);
        }
      },
      60_000,
    );

    scenario(
      "every documented rejection reason, delivered by webhook in every shape the provider sends, has the contract's retryability",
      async (h, ctx) => {
        ctx.skip(!h.capabilities.webhooks || h.driver.webhooks === undefined, 'the provider sends no webhooks (the poll scenario covers it)');
        const table = rejectionTable(h, ctx);
        const application = h.application(); // built once: document bytes are costly to make, and never change
        const shapes: readonly (string | undefined)[] = h.driver.rejectionWebhookShapes ?? [undefined];
        for (const [index, shape] of shapes.entries()) {
          const channel = `by webhook${shape === undefined ? '' : ` (${shape} shape)`}`;
          const outcomes: RejectionOutcome[] = [];
          // Every reason in the first shape; in each further one, one reason per classification (the body
          // shape decides whether the reason is read at all, not how a wording is classified).
          for (const reason of index === 0 ? table : onePerClassification(table)) {
            const customer = await submittedCustomer(h, application);
            await h.driver.rejectWith!(customer.providerCustomerId, reason.providerReason, shape === undefined ? {} : { webhookShape: shape });
            await h.driver.webhooks!.settled();
            outcomes.push({ reason, customer: await h.kyc.getCustomer(customer.id) });
          }
          expectClassification(outcomes, channel);
          for (const { reason, customer } of outcomes) {
            const label = `'${reason.providerReason}' ${channel}`;
            expectRejection(h, customer, reason, 'webhook', label);
            if (!reason.retryable) await expectSubmitAfterRejection(h, customer, reason, application, label);
          }
        }
      },
      60_000,
    );

    scenario(
      "a rejection webhook without its reason is never taken as retryable, and the reason read from the provider then classifies it as the contract says",
      async (h, ctx) => {
        ctx.skip(!h.capabilities.webhooks || h.driver.webhooks === undefined, 'the provider sends no webhooks');
        ctx.skip(h.driver.rejectionWebhookMayOmitReason !== true, "the provider's rejection webhooks always carry the reason");
        const table = rejectionTable(h, ctx);
        const application = h.application();
        const outcomes: RejectionOutcome[] = [];
        for (const reason of onePerClassification(table)) {
          const label = `'${reason.providerReason}' announced without its reason`;
          const customer = await submittedCustomer(h, application);
          await h.driver.rejectWith!(customer.providerCustomerId, reason.providerReason, { withoutReason: true });
          await h.driver.webhooks!.settled();
          const announced = await h.kyc.getCustomer(customer.id);
          expect(announced.status, `${label}: the customer is rejected`).toBe('rejected');
          expect(announced.rejection?.retryable ?? false, `${label}: not retryable on a guess`).toBe(false);
          const [event] = h.eventsOf(customer.id).filter((e) => e.type === 'customer.rejected');
          expect(event, `${label}: the event does not promise a retry`).toMatchObject({ source: 'webhook', rejection: { retryable: false } });
          if (!reason.retryable) await expectNoRetryAtProvider(h, announced, application, label);
          outcomes.push({ reason, customer: await h.kyc.refresh(customer.id) });
        }
        expectClassification(outcomes, 'read after a webhook without the reason');
        for (const { reason, customer } of outcomes) {
          const label = `'${reason.providerReason}' read after a webhook without it`;
          expect(customer.rejection!.providerReason, `${label}: the raw reason is kept for operators`).toBe(reason.providerReason);
          expectEndUserSafe(customer.rejection!.message, reason.providerReason, label);
        }
      },
      60_000,
    );
  });
}

/** One declared reason and the customer it was driven into. */
interface RejectionOutcome {
  readonly reason: ConformanceRejectionReason;
  readonly customer: Customer;
}

/**
 * The whole table at once — status, retryability and (where declared) code per
 * reason — so a failure names every misclassified reason, not just the first.
 */
function expectClassification(outcomes: readonly RejectionOutcome[], channel: string): void {
  const misclassified = outcomes.flatMap(({ reason, customer }) => {
    const rejection = customer.rejection;
    const wrong = [
      customer.status === 'rejected' ? undefined : `status ${customer.status}`,
      rejection?.retryable === reason.retryable
        ? undefined
        : `${reason.retryable ? 'retryable' : 'final'} by the contract, got ${rejection === undefined ? 'no rejection' : rejection.retryable ? 'retryable' : 'final'}`,
      reason.code === undefined || rejection?.code === reason.code ? undefined : `code ${rejection?.code ?? 'none'}, expected ${reason.code}`,
    ].filter((problem) => problem !== undefined);
    return wrong.length === 0 ? [] : [`'${reason.providerReason}': ${wrong.join('; ')}`];
  });
  expect(misclassified, `rejection reasons ${channel} not classified as the contract says: ${misclassified.join(' | ')}`).toEqual([]);
}

/** The first reason of each (retryable, code) pair, in table order. */
function onePerClassification(table: readonly ConformanceRejectionReason[]): ConformanceRejectionReason[] {
  const seen = new Set<string>();
  return table.filter((reason) => {
    const key = `${String(reason.retryable)}:${reason.code ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The driver's table, checked for shape; skips the scenario when the driver declares none. */
function rejectionTable<TSimulator>(h: Harness<TSimulator>, ctx: TestContext): readonly ConformanceRejectionReason[] {
  ctx.skip(
    h.driver.rejectionReasons === undefined || h.driver.rejectWith === undefined,
    'the driver declares no rejection reasons (rejectionReasons and rejectWith)',
  );
  const table = h.driver.rejectionReasons!;
  expect(table.length, 'the driver declares at least one rejection reason').toBeGreaterThan(0);
  const reasons = table.map((reason) => reason.providerReason);
  expect(new Set(reasons).size, 'each rejection reason is declared once').toBe(reasons.length);
  return table;
}

/** A new customer whose application the provider has (pending, or verified where review is synchronous). */
async function submittedCustomer<TSimulator>(h: Harness<TSimulator>, application: Application): Promise<Customer> {
  const customer = await h.createCustomer();
  return h.kyc.submit(customer.id, application);
}

function expectRejection<TSimulator>(
  h: Harness<TSimulator>,
  customer: Customer,
  reason: ConformanceRejectionReason,
  source: EventSource,
  label: string,
): void {
  expect(customer.status, `${label}: the customer is rejected`).toBe('rejected');
  const rejection = customer.rejection;
  expect(rejection, `${label}: the customer carries the rejection`).toBeDefined();
  expect(rejection!.retryable, `${label}: ${reason.retryable ? 'retryable' : 'final (not retryable)'} by the contract`).toBe(reason.retryable);
  if (reason.code !== undefined) expect(rejection!.code, `${label}: normalized code`).toBe(reason.code);
  expect(rejection!.providerReason, `${label}: the raw reason is kept for operators`).toBe(reason.providerReason);
  expectEndUserSafe(rejection!.message, reason.providerReason, label);

  const rejectedEvents = h.eventsOf(customer.id).filter((event) => event.type === 'customer.rejected');
  expect(rejectedEvents, `${label}: one customer.rejected event`).toHaveLength(1);
  expect(rejectedEvents[0], `${label}: the event carries the rejection`).toMatchObject({ source, rejection });
}

/** What an end-user may see: a sentence of the adapter's own, never the provider's raw reason or codes. */
function expectEndUserSafe(message: string, providerReason: string, label: string): void {
  const normalized = (text: string) => text.trim().toLowerCase().replace(/[\s.]+$/, '');
  expect(message.trim().length, `${label}: a message for the end-user`).toBeGreaterThan(10);
  expect(normalized(message), `${label}: the message is not the raw provider reason`).not.toBe(normalized(providerReason));
  // Short raw reasons ("Other") can be ordinary words of a sentence; longer ones must not be quoted.
  if (providerReason.trim().length >= 8) {
    expect(message.toLowerCase(), `${label}: the message does not quote the raw provider reason`).not.toContain(normalized(providerReason));
  }
  expect(message, `${label}: no provider codes in the message`).not.toMatch(/[A-Z]{3,}_[A-Z_]+|error\.msg|validation\.msg/);
}

/**
 * A final rejection whose reason openkyc has not heard yet: `submit` must not
 * act on a guess — no retry reaches the provider (no new record, no
 * resubmission), whatever openkyc reads first to decide.
 */
async function expectNoRetryAtProvider<TSimulator>(
  h: Harness<TSimulator>,
  rejected: Customer,
  application: Application,
  label: string,
): Promise<void> {
  const record = h.driver.inspect(rejected.providerCustomerId);
  const error = await h.kyc.submit(rejected.id, application).catch((e: unknown) => e);
  expect(NotRetryableError.isInstance(error), `${label}: submit throws NotRetryableError`).toBe(true);
  const after = await h.kyc.getCustomer(rejected.id);
  expect(after.status, `${label}: still rejected`).toBe('rejected');
  expect(after.attempts, `${label}: no new attempt`).toEqual(rejected.attempts);
  expect(h.driver.inspect(rejected.providerCustomerId), `${label}: the provider record was not resubmitted`).toEqual(record);
}

/**
 * After a final rejection `submit` throws `NotRetryableError` before any
 * request and changes nothing; after a retryable one it proceeds in the
 * provider's retry mode (a new record, or the same one again).
 */
async function expectSubmitAfterRejection<TSimulator>(
  h: Harness<TSimulator>,
  rejected: Customer,
  reason: ConformanceRejectionReason,
  application: Application,
  label: string,
): Promise<void> {
  const requestsBefore = h.driver.requests().length;
  const eventsBefore = h.eventsOf(rejected.id).length;
  if (!reason.retryable) {
    const error = await h.kyc.submit(rejected.id, application).catch((e: unknown) => e);
    expect(NotRetryableError.isInstance(error), `${label}: submit after a final rejection throws NotRetryableError`).toBe(true);
    expect(h.driver.requests().length, `${label}: requests sent after a final rejection`).toBe(requestsBefore);
    const after = await h.kyc.getCustomer(rejected.id);
    expect(after.status, `${label}: still rejected`).toBe('rejected');
    expect(after.attempts, `${label}: no new attempt`).toEqual(rejected.attempts);
    expect(h.eventsOf(rejected.id).length, `${label}: no event`).toBe(eventsBefore);
    return;
  }
  const retried = await h.kyc.submit(rejected.id, application);
  expect(h.driver.requests().length, `${label}: the retry reached the provider`).toBeGreaterThan(requestsBefore);
  expect(retried.status, `${label}: the retry is under review`).toBe(h.capabilities.reviewTime.synchronous ? 'verified' : 'pending');
  if (h.capabilities.retryAfterRejection === 'new-customer') {
    expect(retried.attempts, `${label}: a new provider record`).toHaveLength(rejected.attempts.length + 1);
    expect(retried.providerCustomerId, `${label}: a new provider record`).not.toBe(rejected.providerCustomerId);
  } else {
    expect(retried.attempts, `${label}: the same provider record`).toHaveLength(rejected.attempts.length);
    expect(retried.providerCustomerId, `${label}: the same provider record`).toBe(rejected.providerCustomerId);
  }
}
