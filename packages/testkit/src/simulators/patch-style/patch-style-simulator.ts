import { createHash } from 'node:crypto';
import { createAfterProcessingFaults } from '../shared/after-processing-faults.js';
import { createFaultInjector, type FaultSpec, type InjectedFault } from '../shared/fault-injection.js';
import { createHeaderMismatchLog, type HeaderMismatch } from '../shared/header-mismatches.js';
import { createRequestLog, type ContractViolation, type RecordedRequest, type RequestLog } from '../shared/request-log.js';
import { createSimulatorClock, type SimulatorClock } from '../shared/simulator-clock.js';
import { startSimulatorServer } from '../shared/simulator-server.js';
import { createWebhookDispatcher, type WebhookDispatcher } from '../shared/webhook-dispatcher.js';
import { createPatchStyleApiHandler } from './patch-style-api.js';
import { createApiKeyStore } from './patch-style-auth.js';
import { createDocumentFetcher, type PatchStyleDocumentCheck } from './patch-style-document-check.js';
import { patchStyleErrorBody } from './patch-style-errors.js';
import { createIdempotencyStore, IDEMPOTENCY_TTL_MS, type IdempotencyRecord } from './patch-style-idempotency.js';
import { createReviewRunner } from './patch-style-review.js';
import {
  createPatchStyleState,
  PATCH_STYLE_CUSTOMER_STATUSES,
  snapshotCustomer,
  type PatchStyleCustomerRecord,
  type PatchStyleCustomerSnapshot,
  type PatchStyleCustomerStatus,
  type PatchStyleOutcome,
  type PatchStyleStatusChange,
} from './patch-style-state.js';
import {
  buildPatchStyleWebhookEvent,
  generatePatchStyleWebhookSecret,
  patchStyleWebhookKey,
  signPatchStyleWebhook,
  type PatchStyleWebhookEvent,
} from './patch-style-webhooks.js';

/** Options of {@link createPatchStyleSimulator}. */
export interface CreatePatchStyleSimulatorOptions {
  /** The valid bearer token (default: a random `ps_test_…`). */
  readonly apiKey?: string;
  /** `whsec_<base64>` (default: random). */
  readonly webhookSecret?: string;
  /** Where `customer.state_changed` webhooks go; without one they are queued. */
  readonly webhookTarget?: string;
  /** Share a clock with other simulators; default: a new one starting now. */
  readonly clock?: SimulatorClock;
  /** Review duration for every e-mail but test-delay (default 30 s). */
  readonly reviewDelayMs?: number;
  /** Review duration for test-delay (default 5 min). */
  readonly delayedReviewMs?: number;
  /** Fetch document URLs during review (default true). Off = every document passes. */
  readonly checkDocuments?: boolean;
  /** Per document fetch (default 5 s, real time). */
  readonly documentFetchTimeoutMs?: number;
  /** `Idempotency-Key` lifetime by the simulator clock (default 24 h). */
  readonly idempotencyTtlMs?: number;
  /**
   * Which clock stamps `webhook-timestamp` (default `'simulator'`): the
   * simulated time, so a receiver must verify against the same clock. Use
   * `'wall'` when the receiver checks tolerance against `Date.now()` while
   * tests advance the simulator clock by minutes.
   */
  readonly webhookTimestamps?: 'simulator' | 'wall';
  /** `verificationLink` prefix (default `https://app.patch-style.test/verify-customer`). */
  readonly verificationLinkBaseUrl?: string;
  /**
   * Whether a `REJECTED` webhook carries the rejection code in `payload.reason`
   * (default `'included'`). The contract marks `reason` optional: with
   * `'omitted'` the webhook says only "REJECTED" and a GET tells why.
   */
  readonly webhookRejectionReason?: PatchStyleWebhookRejectionReason;
}

/** Whether `REJECTED` webhooks carry `payload.reason`. */
export type PatchStyleWebhookRejectionReason = 'included' | 'omitted';

export interface PatchStyleForceStatusInput {
  readonly status: PatchStyleCustomerStatus;
  readonly requiredDocuments?: readonly string[];
  readonly requiredFields?: readonly string[];
  readonly rejectionReason?: string;
  /** Webhook `reason` for statuses other than REJECTED. */
  readonly reason?: string;
}

export interface PatchStyleRateLimitFaultOptions {
  /** `Retry-After` in seconds (default 1). */
  readonly retryAfterSeconds?: number;
  readonly times?: number;
  readonly method?: string;
  /** Default: every `/api/v1` path. */
  readonly path?: string | RegExp;
}

export interface PatchStyleInternalErrorFaultOptions {
  /** Any 5xx (default 500). */
  readonly status?: number;
  readonly times?: number;
  readonly method?: string;
  readonly path?: string | RegExp;
  readonly message?: string;
}

/** A running patch-style simulator: the HTTP API plus controls for tests. */
export interface PatchStyleSimulator {
  /** Origin, `http://127.0.0.1:<port>`: the contract's paths (`/api/v1/customers`) are below it. */
  readonly url: string;
  /** `<url>/api/v1` (the guide's "base URL" style). */
  readonly apiBaseUrl: string;
  /** The currently issued API key (also after `expireApiKey()`). */
  readonly apiKey: string;
  /** The primary webhook secret (the newest during a rotation). */
  readonly webhookSecret: string;
  /** The simulator's clock: reviews and idempotency expiry follow it. */
  readonly clock: SimulatorClock;
  /** Every request received. */
  readonly requestLog: RequestLog;
  /** Hold / release (fifo, reverse, shuffle, duplicate) / deliverAgain / deliveries. */
  readonly webhooks: WebhookDispatcher;

  // Auth
  /** The current key stops working (401) until `rotateApiKey()`. */
  expireApiKey(): void;
  /** Issues a new key (random unless given), revoking the old one; returns it. */
  rotateApiKey(next?: string): string;

  // Webhooks
  /** Where webhooks go; `undefined` queues them. */
  setWebhookTarget(url: string | undefined): void;
  /** Every secret signing now, primary first. */
  webhookSecrets(): string[];
  /** Adds a new primary secret; both old and new sign (two `v1,` entries) until `finishWebhookSecretRotation()`. */
  rotateWebhookSecret(next?: string): string;
  /** Drops every secret but the primary. */
  finishWebhookSecretRotation(): void;
  /** Every event emitted so far (parsed), oldest first. */
  webhookEvents(): PatchStyleWebhookEvent[];
  /** Whether `REJECTED` webhooks carry `payload.reason`; writable at any time. */
  webhookRejectionReason: PatchStyleWebhookRejectionReason;

  // Customers and outcomes
  /** A snapshot of one customer. */
  customer(customerId: string): PatchStyleCustomerSnapshot | undefined;
  /** Snapshots of every customer, in creation order. */
  customers(): PatchStyleCustomerSnapshot[];
  /**
   * Scripts the next review(s) of a customer, whatever its e-mail: one outcome
   * per finished review (a list plays in order), then the e-mail rule again.
   * A failed document check does not consume an outcome.
   */
  setOutcome(customerId: string, outcome: PatchStyleOutcome | readonly PatchStyleOutcome[]): void;
  /** Forgets a scripted outcome: the customer's e-mail decides again. */
  clearOutcome(customerId: string): void;
  /** When the customer's current review finishes (undefined when not under review or never). */
  reviewDueAt(customerId: string): Date | undefined;
  /** ACTIVE → DEACTIVATED with a webhook; throws unless ACTIVE. Resolves after the webhook was sent or queued. */
  deactivate(customerId: string, options?: { readonly reason?: string }): Promise<void>;
  /** Moves a customer to any status (e.g. ACTIVE → REJECTED for fraud found later) with a webhook; UNDER_REVIEW starts a review now. */
  forceStatus(customerId: string, input: PatchStyleForceStatusInput): Promise<void>;
  /** Runs reviews due at the current simulated time (the clock does this on every move). */
  runDueReviews(): Promise<void>;
  /** Every document URL fetched by reviews, oldest first. */
  documentChecks(customerId?: string): PatchStyleDocumentCheck[];
  /** The remembered `Idempotency-Key`s. */
  idempotencyRecords(): IdempotencyRecord[];
  /**
   * Ids of the customers created without an `Idempotency-Key`, oldest first.
   * The contract allows it, but a client that repeats such a create (after a
   * 5xx, a reset or a lost response) makes a second customer: the only safe
   * create carries a key.
   */
  keylessCreates(): string[];
  /** Requests refused because `Authorization` was not `Bearer <the configured key>` (an expired key is not counted). */
  headerMismatches(): HeaderMismatch[];

  // Faults and log
  /**
   * A fault applied before the request is handled (nothing happens at the
   * provider), or with `afterProcessing: true` after it (the work is done; the
   * answer is replaced, or with `reset` lost).
   */
  injectFault(spec: FaultSpec): InjectedFault;
  /** A fault applied after the request was handled: it took effect, but the client sees this answer. `reset` is not supported. */
  injectFaultAfterProcessing(spec: FaultSpec): InjectedFault;
  /** 429 `RATE_LIMITED` with `Retry-After`. */
  injectRateLimit(options?: PatchStyleRateLimitFaultOptions): InjectedFault;
  /** 5xx `INTERNAL_ERROR`. */
  injectInternalError(options?: PatchStyleInternalErrorFaultOptions): InjectedFault;
  /** Removes every injected fault. */
  clearFaults(): void;
  /** Every request received, oldest first. */
  requests(): RecordedRequest[];
  /**
   * Requests the contract does not document (an unknown path, an undocumented
   * method), oldest first. A real server answers them 404: an adapter must make none.
   */
  contractViolations(): ContractViolation[];

  /** Resolves when pending reviews and webhook sends have finished. */
  settled(): Promise<void>;
  /** Stops the server and aborts in-flight webhooks. */
  close(): Promise<void>;
}

const API_PATHS = /^\/api\/v1\//;

/**
 * Starts a patch-style provider on 127.0.0.1 (ephemeral port) that follows
 * `providers/patch-style.md`: bearer API key, `Idempotency-Key` creates,
 * `PATCH {kycData}` with merge semantics and validation, reviews that fetch
 * every document URL, sandbox e-mails, signed Standard Webhooks. Exactly the
 * contract's routes: any other request answers 404 and is recorded
 * (`contractViolations()`).
 */
export async function createPatchStyleSimulator(options: CreatePatchStyleSimulatorOptions = {}): Promise<PatchStyleSimulator> {
  const clock = options.clock ?? createSimulatorClock();
  const state = createPatchStyleState({
    reviewDelayMs: options.reviewDelayMs ?? 30_000,
    delayedReviewMs: options.delayedReviewMs ?? 5 * 60_000,
  });
  const apiKeys = createApiKeyStore(options.apiKey);
  const idempotency = createIdempotencyStore(options.idempotencyTtlMs ?? IDEMPOTENCY_TTL_MS);
  const requestLog = createRequestLog({ now: () => clock.now() });
  const faults = createFaultInjector();
  const afterFaults = createAfterProcessingFaults();
  const headerMismatches = createHeaderMismatchLog();
  const keylessCreates: string[] = [];
  const checks: PatchStyleDocumentCheck[] = [];
  const events: PatchStyleWebhookEvent[] = [];
  const pending = new Set<Promise<unknown>>();
  let closed = false;

  let webhookSecrets = [options.webhookSecret ?? generatePatchStyleWebhookSecret()];
  webhookSecrets.forEach(assertWebhookSecret);
  const signingNow = options.webhookTimestamps === 'wall' ? () => new Date() : () => clock.now();
  const webhooks = createWebhookDispatcher({
    now: signingNow,
    userAgent: 'patch-style-simulator/1.0',
    sign: (rawBody, timestampSeconds) => ({ ...signPatchStyleWebhook({ id: webhookIdOf(rawBody), timestamp: timestampSeconds, body: rawBody, secrets: webhookSecrets }) }),
  });
  if (options.webhookTarget !== undefined) webhooks.setWebhookTarget(options.webhookTarget);

  const fetcher = options.checkDocuments === false ? undefined : createDocumentFetcher({ timeoutMs: options.documentFetchTimeoutMs ?? 5_000 });

  function track<T>(promise: Promise<T>): Promise<T> {
    pending.add(promise);
    void promise.finally(() => pending.delete(promise)).catch(() => undefined);
    return promise;
  }

  let webhookRejectionReason: PatchStyleWebhookRejectionReason = options.webhookRejectionReason ?? 'included';

  function emit(change: PatchStyleStatusChange): Promise<void> {
    const { reason: _omitted, ...withoutReason } = change;
    const announced = webhookRejectionReason === 'omitted' && change.newStatus === 'REJECTED' ? withoutReason : change;
    const event = buildPatchStyleWebhookEvent(announced, state.newId('evt'));
    events.push(event);
    return track(webhooks.dispatch(event).then(() => undefined));
  }

  const reviews = createReviewRunner({ state, clock, fetcher, checks, emit, isClosed: () => closed });
  const unsubscribe = clock.onChange((now) => reviews.runDue(now.getTime()));

  const apiHandler = createPatchStyleApiHandler({
    state,
    clock,
    apiKeys,
    idempotency,
    headerMismatches,
    onKeylessCreate: (customerId) => void keylessCreates.push(customerId),
    verificationLinkBaseUrl: options.verificationLinkBaseUrl ?? 'https://app.patch-style.test/verify-customer',
    onStatusChange: (change) => void emit(change),
    onReviewStarted: () => void track(reviews.runDue()),
  });

  const server = await startSimulatorServer({
    name: 'api',
    requestLog,
    faults,
    handler: afterFaults.wrap(apiHandler.handler),
    contract: apiHandler.routes,
  });

  function requireCustomer(customerId: string): PatchStyleCustomerRecord {
    const customer = state.customers.get(customerId);
    if (!customer) throw new Error(`unknown patch-style customer ${customerId}`);
    return customer;
  }

  function changeStatus(customer: PatchStyleCustomerRecord, input: PatchStyleForceStatusInput): Promise<void> {
    const change = state.applyStatus(customer, input.status, clock.now(), input);
    const sent = change.oldStatus !== change.newStatus ? emit(change) : Promise.resolve();
    if (input.status === 'UNDER_REVIEW') void track(reviews.runDue());
    return sent;
  }

  return {
    url: server.url,
    apiBaseUrl: `${server.url}/api/v1`,
    get apiKey() {
      return apiKeys.current();
    },
    get webhookSecret() {
      return webhookSecrets[0] as string;
    },
    clock,
    requestLog,
    webhooks,

    expireApiKey: () => apiKeys.expire(),
    rotateApiKey: (next) => apiKeys.rotate(next),

    setWebhookTarget: (url) => webhooks.setWebhookTarget(url),
    webhookSecrets: () => [...webhookSecrets],
    rotateWebhookSecret(next = generatePatchStyleWebhookSecret()) {
      assertWebhookSecret(next);
      webhookSecrets = [next, ...webhookSecrets.filter((secret) => secret !== next)];
      return next;
    },
    finishWebhookSecretRotation() {
      webhookSecrets = webhookSecrets.slice(0, 1);
    },
    webhookEvents: () => structuredClone(events),
    get webhookRejectionReason() {
      return webhookRejectionReason;
    },
    set webhookRejectionReason(setting: PatchStyleWebhookRejectionReason) {
      webhookRejectionReason = setting;
    },

    customer(customerId) {
      const customer = state.customers.get(customerId);
      return customer ? snapshotCustomer(customer) : undefined;
    },
    customers: () => [...state.customers.values()].map(snapshotCustomer),
    setOutcome(customerId, outcome) {
      requireCustomer(customerId);
      const list = (Array.isArray(outcome) ? outcome : [outcome]) as readonly PatchStyleOutcome[];
      for (const entry of list) {
        if (!['ACTIVE', 'REJECTED', 'NEEDS_ADDITIONAL_INFORMATION'].includes(entry.status)) {
          throw new Error(`setOutcome: status must be ACTIVE, REJECTED or NEEDS_ADDITIONAL_INFORMATION, got ${String(entry.status)}`);
        }
        if (entry.afterMs !== undefined && !(entry.afterMs >= 0)) throw new Error(`setOutcome: afterMs must be >= 0, got ${entry.afterMs}`);
      }
      if (list.length === 0) state.outcomes.delete(customerId);
      else state.outcomes.set(customerId, list.map((entry) => ({ ...entry })));
    },
    clearOutcome(customerId) {
      state.outcomes.delete(customerId);
    },
    reviewDueAt(customerId) {
      const customer = state.customers.get(customerId);
      const dueAtMs = customer ? state.reviewDueAtMs(customer) : Infinity;
      return Number.isFinite(dueAtMs) ? new Date(dueAtMs) : undefined;
    },
    deactivate(customerId, deactivateOptions = {}) {
      const customer = requireCustomer(customerId);
      if (customer.status !== 'ACTIVE') return Promise.reject(new Error(`deactivate: customer ${customerId} is ${customer.status}, not ACTIVE`));
      return changeStatus(customer, { status: 'DEACTIVATED', ...(deactivateOptions.reason === undefined ? {} : { reason: deactivateOptions.reason }) });
    },
    forceStatus(customerId, input) {
      const customer = requireCustomer(customerId);
      if (!(PATCH_STYLE_CUSTOMER_STATUSES as readonly string[]).includes(input.status)) {
        return Promise.reject(new Error(`forceStatus: unknown status ${String(input.status)}`));
      }
      return changeStatus(customer, input);
    },
    runDueReviews: () => reviews.runDue(),
    documentChecks: (customerId) => checks.filter((check) => customerId === undefined || check.customerId === customerId).map((check) => ({ ...check })),
    idempotencyRecords: () => idempotency.records(),
    keylessCreates: () => [...keylessCreates],
    headerMismatches: () => headerMismatches.mismatches(),

    injectFault: (spec) => faults.injectFault(spec),
    injectFaultAfterProcessing(spec) {
      if (spec.reset) throw new Error('injectFaultAfterProcessing: reset is not supported (the response is already decided); use a status');
      return afterFaults.injector.injectFault(spec);
    },
    injectRateLimit(rateOptions = {}) {
      const retryAfterSeconds = rateOptions.retryAfterSeconds ?? 1;
      return faults.injectFault({
        path: rateOptions.path ?? API_PATHS,
        ...(rateOptions.method === undefined ? {} : { method: rateOptions.method }),
        status: 429,
        headers: { 'Retry-After': String(retryAfterSeconds) },
        body: { ...patchStyleErrorBody('RATE_LIMITED', `Rate limit exceeded; retry after ${retryAfterSeconds} s`) },
        times: rateOptions.times ?? 1,
      });
    },
    injectInternalError(errorOptions = {}) {
      const status = errorOptions.status ?? 500;
      if (status < 500 || status > 599) throw new Error(`injectInternalError: status must be 5xx, got ${status}`);
      return faults.injectFault({
        path: errorOptions.path ?? API_PATHS,
        ...(errorOptions.method === undefined ? {} : { method: errorOptions.method }),
        status,
        body: { ...patchStyleErrorBody('INTERNAL_ERROR', errorOptions.message ?? 'Internal server error; please retry', { statusCode: status }) },
        times: errorOptions.times ?? 1,
      });
    },
    clearFaults() {
      faults.clearFaults();
      afterFaults.injector.clearFaults();
    },
    requests: () => requestLog.requests(),
    contractViolations: () => requestLog.violations(),

    async settled() {
      // Reviews emit webhooks and PATCHes start reviews: loop until nothing new was started.
      while (pending.size > 0) await Promise.allSettled([...pending]);
      await reviews.settled();
      await webhooks.settled();
    },
    async close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      webhooks.close();
      afterFaults.releaseDelays();
      await fetcher?.close();
      await reviews.settled();
      await server.close();
    },
  };
}

/** `webhook-id` = the event id in the body (stable across redeliveries); a hash for foreign bodies. */
function webhookIdOf(rawBody: string): string {
  try {
    const parsed = JSON.parse(rawBody) as { id?: unknown };
    if (typeof parsed.id === 'string' && parsed.id !== '') return parsed.id;
  } catch {
    // not JSON: fall through
  }
  return `msg_${createHash('sha256').update(rawBody).digest('hex').slice(0, 24)}`;
}

function assertWebhookSecret(secret: string): void {
  patchStyleWebhookKey(secret);
}
