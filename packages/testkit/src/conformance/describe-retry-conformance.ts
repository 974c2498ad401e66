import { KycError, type Customer, type KycEventType, type ProviderCapabilities } from '@openkyc/core';
import { describe, expect } from 'vitest';
import type { RecordedRequest } from '../simulators/shared/request-log.js';
import { matchPath } from '../simulators/shared/simulator-server.js';
import type { ConformanceRequestStep, ConformanceSetup, ConformanceStepFault } from './conformance-driver.js';
import { createHarness, type Harness } from './conformance-harness.js';
import type { ConformanceScenario } from './describe-input-format-conformance.js';

/**
 * The "retries and idempotency" group: every request of every operation
 * (create, each submit step, fetch, activate, retry) is faulted in turn — a
 * 5xx and a connection reset before the provider handles it, and a lost
 * response after (the provider did the work, the answer never came). Each
 * faulted operation runs in a fresh world and is compared with the same
 * operation run without a fault:
 *
 * - the operation completes with the same customer status and the same events
 *   (exactly once), and the provider holds exactly as many new records;
 * - a request the contract makes safe to repeat is repeated within the call
 *   (exactly one more attempt after a 5xx or reset; at most one after a lost
 *   response, where looking first may show it landed), with the same
 *   idempotency key where the contract has one;
 * - a request that is not safe to repeat is never blindly repeated: the call
 *   ends with a retryable error, and the platform's repeat completes it.
 *
 * What is safe comes from the driver's table (`ConformanceDriver.retries`),
 * written from the provider's contract.
 */
export function describeRetryConformance<TSimulator>(scenario: ConformanceScenario<TSimulator>, setup: ConformanceSetup<TSimulator>): void {
  describe('retries and idempotency', () => {
    // The clean runs are the same for every kind of fault: made once, by the first scenario that needs them.
    let baselines: Promise<Baselines> | undefined;
    for (const fault of STEP_FAULTS) {
      scenario(
        SCENARIO_TITLES[fault],
        async (h, ctx) => {
          ctx.skip(h.driver.retries === undefined, 'the driver declares no retries table (ConformanceDriver.retries)');
          const steps = h.driver.retries!.steps;
          baselines ??= runBaselines(setup, steps, operationsFor(h.capabilities));
          await faultEveryRequest(setup, steps, await baselines, fault);
        },
        120_000,
      );
    }
  });
}

const STEP_FAULTS: readonly ConformanceStepFault[] = ['server_error', 'reset', 'lost_response'];

const SCENARIO_TITLES: Readonly<Record<ConformanceStepFault, string>> = {
  server_error:
    'a 5xx on any request of any operation is repeated when the contract makes it safe, never blindly otherwise; one record, operation done',
  reset:
    'a connection reset on any request of any operation is repeated when the contract makes it safe, never blindly otherwise; one record, operation done',
  lost_response:
    'a lost response (processed, then the connection dropped) on any request of any operation ends with one record and the operation done',
};

type Operation = 'createCustomer' | 'submit' | 'fetch' | 'activate' | 'retry';

/** The operation run without a fault: what a faulted run must end in too. */
interface Baseline {
  /** The requests the operation made. */
  readonly requests: readonly RecordedRequest[];
  readonly status: Customer['status'];
  /** Every event of the customer, in order (preparation included). */
  readonly events: readonly KycEventType[];
  /** How many records the provider gained during the operation. */
  readonly newRecords: number;
}

/** Where the operation starts from: the customer prepared for it, or the input of a create. */
interface Prepared {
  readonly customer?: Customer;
  readonly reference: string;
}

type Baselines = ReadonlyMap<Operation, Baseline>;

/** Each operation run once without a fault, each in a world of its own. */
async function runBaselines<TSimulator>(
  setup: ConformanceSetup<TSimulator>,
  steps: readonly ConformanceRequestStep[],
  operations: readonly Operation[],
): Promise<Baselines> {
  const runs = operations.map((operation) => async () => [operation, await inFreshHarness(setup, (h) => runBaseline(h, operation, steps))] as const);
  return new Map(await allOrFirstFailure(runs));
}

async function faultEveryRequest<TSimulator>(
  setup: ConformanceSetup<TSimulator>,
  steps: readonly ConformanceRequestStep[],
  baselines: Baselines,
  fault: ConformanceStepFault,
): Promise<void> {
  const hitBy = (operation: Operation) => [...new Set(baselines.get(operation)?.requests.map((request) => stepOf(steps, request)!) ?? [])];
  // A retry's submission repeats the submit steps, which the submit operation already covers.
  const submitSteps = new Set(hitBy('submit'));
  const runs = [...baselines].flatMap(([operation, baseline]) =>
    hitBy(operation)
      .filter((step) => operation !== 'retry' || !submitSteps.has(step))
      .map((step) => () => inFreshHarness(setup, (h) => runFaulted(h, operation, step, fault, baseline))),
  );
  expect(runs.length, 'requests faulted across all operations').toBeGreaterThan(0);
  // Every run has a world of its own, so they run side by side: much of their time is the adapters' backoff.
  await allOrFirstFailure(runs);
}

/** Runs the tasks, at most `PARALLEL_RUNS` at a time; fails with every failure's message once all have ended. */
async function allOrFirstFailure<T>(tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const results: PromiseSettledResult<T>[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!().then(
        (value) => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_RUNS, tasks.length) }, worker));
  const failures = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected').map((result) => result.reason as unknown);
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    const first = failures[0];
    const message = failures.map((failure) => (failure instanceof Error ? failure.message : String(failure))).join('\n\n');
    throw Object.assign(new Error(`${failures.length} faulted runs failed:\n\n${message}`), first instanceof Error && first.stack !== undefined ? { stack: first.stack } : {});
  }
  return results.map((result) => (result as PromiseFulfilledResult<T>).value);
}

/** Faulted runs at a time (each has its own simulator and adapter). */
const PARALLEL_RUNS = 6;

function operationsFor(capabilities: ProviderCapabilities): Operation[] {
  return ['createCustomer', 'submit', 'fetch', ...(capabilities.activation === 'explicit' ? (['activate'] as const) : []), 'retry'];
}

async function runBaseline<TSimulator>(h: Harness<TSimulator>, operation: Operation, steps: readonly ConformanceRequestStep[]): Promise<Baseline> {
  const prepared = await prepare(h, operation);
  const before = h.driver.requests().length;
  const recordsBefore = new Set(h.driver.retries!.records());
  const customer = await run(h, operation, prepared);
  const requests = h.driver.requests().slice(before);
  for (const request of requests) {
    const step = stepOf(steps, request);
    expect(step, `${operation}: the driver's retries table covers no step for ${describeRequest(request)}; add one with the contract's rule for repeating it`).toBeDefined();
    const header = step!.idempotencyKeyHeader;
    if (header !== undefined) {
      expect(request.headers[header.toLowerCase()] ?? '', `${operation}: ${describeRequest(request)} carries the contract's ${header} header`).not.toBe('');
    }
  }
  return {
    requests,
    status: customer.status,
    events: h.eventsOf(customer.id).map((event) => event.type),
    newRecords: h.driver.retries!.records().filter((id) => !recordsBefore.has(id)).length,
  };
}

async function runFaulted<TSimulator>(
  h: Harness<TSimulator>,
  operation: Operation,
  step: ConformanceRequestStep,
  fault: ConformanceStepFault,
  baseline: Baseline,
): Promise<void> {
  const where = `${operation}, ${FAULT_NAMES[fault]} on ${describeStep(step)}`;
  const prepared = await prepare(h, operation);
  const before = h.driver.requests().length;
  const recordsBefore = new Set(h.driver.retries!.records());
  const injected = h.driver.retries!.inject(step, fault);

  let customer: Customer | undefined;
  let failure: unknown;
  try {
    customer = await run(h, operation, prepared);
  } catch (error) {
    failure = error;
  }
  const call = h.driver.requests().slice(before);
  expect(injected.hits, `${where}: the faulted request was never made (the operation took another path than without the fault)`).toBe(1);
  const attempts = call.filter((request) => matchesStep(step, request));
  const expected = baseline.requests.filter((request) => matchesStep(step, request)).length;

  if (step.repeat === 'safe') {
    expect(failure, `${where}: the contract makes this request safe to repeat, so the adapter repeats it (or looks first) and the operation completes within the call`).toBeUndefined();
    if (fault === 'lost_response') {
      expect(attempts.length, `${where}: attempts (the lost one, then at most one repeat)`).toBeGreaterThanOrEqual(expected);
      expect(attempts.length, `${where}: attempts (the lost one, then at most one repeat)`).toBeLessThanOrEqual(expected + 1);
    } else {
      expect(attempts.length, `${where}: attempts (the failed one, then exactly one repeat)`).toBe(expected + 1);
    }
    expectSameIdempotencyKey(step, attempts, where);
  } else {
    expect(blindRepeats(call, attempts[0]!), `${where}: the contract gives no safe way to repeat this request, so it is never sent again as it was`).toEqual([]);
    if (failure !== undefined) {
      expect(KycError.isInstance(failure) && failure.isRetryable, `${where}: the call ends with a retryable KycError (got ${String(failure)})`).toBe(true);
      // The platform repeats the operation, as a retryable error tells it to.
      customer = await run(h, operation, prepared);
    }
  }

  expect(customer!.status, `${where}: the operation ends where it ends without the fault`).toBe(baseline.status);
  expect(h.eventsOf(customer!.id).map((event) => event.type), `${where}: the same events, each exactly once`).toEqual(baseline.events);
  const newRecords = h.driver.retries!.records().filter((id) => !recordsBefore.has(id));
  expect(newRecords.length, `${where}: records the provider gained (a second one means a repeated create)`).toBe(baseline.newRecords);
  if (newRecords.length > 0) expect(newRecords, `${where}: the customer is the provider's record`).toContain(customer!.providerCustomerId);
}

/** Gets a fresh customer to where `operation` starts. */
async function prepare<TSimulator>(h: Harness<TSimulator>, operation: Operation): Promise<Prepared> {
  const reference = `retries-${operation}-${Math.random().toString(36).slice(2, 10)}`;
  if (operation === 'createCustomer') return { reference };
  const customer = await h.createCustomer(reference);
  if (operation === 'submit') return { customer, reference };
  const submitted = await h.kyc.submit(customer.id, h.application());
  if (operation === 'fetch') return { customer: submitted, reference };
  if (operation === 'activate') {
    const decided = submitted.status === 'pending' ? await h.decide(submitted, 'approve') : submitted;
    expect(decided.status, 'activate starts from verified').toBe('verified');
    return { customer: decided, reference };
  }
  const rejected = await h.decide(submitted, 'reject');
  expect(rejected.status, 'a retry starts from rejected').toBe('rejected');
  return { customer: rejected, reference };
}

/** Runs the operation through openkyc, as a platform calls it. */
function run<TSimulator>(h: Harness<TSimulator>, operation: Operation, prepared: Prepared): Promise<Customer> {
  const id = prepared.customer?.id ?? '';
  switch (operation) {
    case 'createCustomer':
      // A fixed input, so that the platform's repeat is the same request.
      return h.kyc.createCustomer({
        reference: prepared.reference,
        type: 'individual',
        email: `${prepared.reference}@example.com`,
        firstName: 'Jane',
        lastName: 'Smith',
      });
    case 'submit':
    case 'retry':
      return h.kyc.submit(id, h.application());
    case 'fetch':
      return h.kyc.refresh(id);
    case 'activate':
      return h.kyc.activate(id);
  }
}

/** Runs `body` in a world of its own (fresh simulator, adapter and caches), checking it stays within the contract. */
async function inFreshHarness<TSimulator, T>(setup: ConformanceSetup<TSimulator>, body: (h: Harness<TSimulator>) => Promise<T>): Promise<T> {
  const h = await createHarness(setup);
  try {
    const result = await body(h);
    const violations = (h.driver.contractViolations?.() ?? []).map((violation) => `${violation.route} — ${violation.reason}`);
    expect(violations, "requests the provider's contract does not document").toEqual([]);
    return result;
  } finally {
    await h.close();
  }
}

const FAULT_NAMES: Readonly<Record<ConformanceStepFault, string>> = {
  server_error: 'a 5xx',
  reset: 'a connection reset',
  lost_response: 'a lost response',
};

function stepOf(steps: readonly ConformanceRequestStep[], request: RecordedRequest): ConformanceRequestStep | undefined {
  return steps.find((step) => matchesStep(step, request));
}

function matchesStep(step: ConformanceRequestStep, request: RecordedRequest): boolean {
  if (step.method.toUpperCase() !== request.method) return false;
  if (step.server !== undefined && step.server !== request.server) return false;
  if (matchPath(step.path, request.path) === undefined) return false;
  return Object.entries(step.query ?? {}).every(([name, value]) => request.query[name] === value);
}

/** Later requests identical to the faulted one (same method, path, query and body): a blind repeat. */
function blindRepeats(call: readonly RecordedRequest[], faulted: RecordedRequest): string[] {
  return call
    .filter(
      (request) =>
        request.id > faulted.id &&
        request.method === faulted.method &&
        request.path === faulted.path &&
        JSON.stringify(request.query) === JSON.stringify(faulted.query) &&
        request.body.equals(faulted.body),
    )
    .map(describeRequest);
}

function expectSameIdempotencyKey(step: ConformanceRequestStep, attempts: readonly RecordedRequest[], where: string): void {
  const header = step.idempotencyKeyHeader?.toLowerCase();
  if (header === undefined) return;
  const keys = attempts.map((request) => request.headers[header] ?? '');
  expect(keys.every((key) => key !== ''), `${where}: every attempt carries the contract's ${step.idempotencyKeyHeader} header`).toBe(true);
  if (keys.length > 1) expect(keys[1], `${where}: the repeat carries the same ${step.idempotencyKeyHeader} as the faulted attempt`).toBe(keys[0]);
}

function describeStep(step: ConformanceRequestStep): string {
  const query = Object.entries(step.query ?? {}).map(([name, value]) => `${name}=${value}`);
  return `${step.method} ${step.path}${query.length > 0 ? `?${query.join('&')}` : ''}${step.server === undefined ? '' : ` (${step.server})`}`;
}

function describeRequest(request: RecordedRequest): string {
  const query = Object.entries(request.query).map(([name, value]) => `${name}=${name.toLowerCase().includes('signature') ? '…' : value}`);
  return `${request.method} ${request.path}${query.length > 0 ? `?${query.join('&')}` : ''} (${request.server})`;
}
