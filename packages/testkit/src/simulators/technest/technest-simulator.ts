import { randomBytes } from 'node:crypto';
import { createFaultInjector, type FaultSpec, type InjectedFault } from '../shared/fault-injection.js';
import { createHeaderMismatchLog, type HeaderMismatch } from '../shared/header-mismatches.js';
import { createRequestLog, type ContractViolation, type RecordedRequest, type RecordedRequestPredicate } from '../shared/request-log.js';
import { createSimulatorClock, type SimulatorClock } from '../shared/simulator-clock.js';
import { startSimulatorServer } from '../shared/simulator-server.js';
import { createWebhookDispatcher, type WebhookDelivery, type WebhookDispatcher } from '../shared/webhook-dispatcher.js';
import { createTechnestApiHandler, type TechnestKycAcknowledgement } from './technest-api-routes.js';
import { technestRateLimitFault, technestServerErrorFault, type TechnestFaultTarget } from './technest-faults.js';
import {
  cloneCustomer,
  createTechnestState,
  type TechnestCustomerRecord,
  type TechnestCustomerStatus,
  type TechnestFileRecord,
  type TechnestOutcome,
  type TechnestStatusChange,
} from './technest-state.js';
import { createTechnestStorageHandler, createUploadUrlSigner } from './technest-storage.js';
import {
  TECHNEST_SIGNATURE_HEADER,
  buildTechnestWebhookPayload,
  shapesForStatusChange,
  signTechnestWebhook,
  type TechnestWebhookShape,
  type TechnestWebhookShapeSetting,
} from './technest-webhooks.js';

/** Options of {@link createTechnestSimulator}. */
export interface TechnestSimulatorOptions {
  /** Default `tn_client`. */
  readonly clientId?: string;
  /** Default: random. */
  readonly clientSecret?: string;
  /** Default: random `whsec_…`. Ignored when `webhookSecrets` is given. */
  readonly webhookSecret?: string;
  /** Sign with several secrets at once (one `v1=` entry each), e.g. mid-rotation. */
  readonly webhookSecrets?: readonly string[];
  /** Access token lifetime by the simulator clock (default 3600, the contract's `expires_in`). */
  readonly tokenTtlSeconds?: number;
  /** Review duration from `id_file` attach when the outcome sets no `afterMs` (default 60 000). */
  readonly reviewDelayMs?: number;
  /** Upload URL lifetime (default 300 000 = 5 minutes). */
  readonly uploadUrlTtlMs?: number;
  /** Shape(s) emitted on status changes (default `'current'`). */
  readonly webhookShape?: TechnestWebhookShapeSetting;
  /**
   * Whether a current-shape rejection webhook carries `rejection_reason`
   * (default `'included'`). The contract does not promise it there: with
   * `'omitted'` the webhook says only "rejected" and a GET tells why.
   */
  readonly webhookRejectionReason?: TechnestWebhookRejectionReason;
  /** Initial webhook target; without one, webhooks are queued until `setWebhookTarget` + `webhooks.release()`. */
  readonly webhookTarget?: string;
  /** Per-delivery timeout (default 10 000 ms, the contract's limit). */
  readonly webhookTimeoutMs?: number;
  /** Simulator clock start (default: real now). */
  readonly clockStart?: Date | number | string;
  /** Share a clock with other simulators (and openkyc's `now`), like the other simulators allow. */
  readonly clock?: SimulatorClock;
  /**
   * Time used for the signature's `t=` (default `'simulator'`). Use `'wall'` when the receiver checks the
   * 300 s tolerance against real time while the test moves the simulator clock by hours.
   */
  readonly webhookTimestamps?: 'simulator' | 'wall';
  /**
   * Also announce the move to `pending` (id_file attached) with a `customer.status_changed` webhook
   * (current shape, `previous_status: "created"`), as Technest does (default `false`, so tests about the
   * decision webhooks see only those). The conformance driver turns it on: a late `pending` announcement
   * arriving after the decision is the classic out-of-order delivery.
   */
  readonly announceReviewStart?: boolean;
  /**
   * The optional `POST /v1/customers/{id}/kyc` acknowledgement (default
   * `'enabled'`): `'disabled'` answers 404 as on a deployment without it,
   * `'method-not-allowed'` 405. Writable later as `sim.kycAcknowledgement`.
   */
  readonly kycAcknowledgement?: TechnestKycAcknowledgement;
}

/** Whether current-shape rejection webhooks carry `rejection_reason`. */
export type TechnestWebhookRejectionReason = 'included' | 'omitted';

/** Options of `TechnestSimulator.emitWebhook`. */
export interface EmitWebhookOptions {
  /** Default `'current'`. */
  readonly shape?: TechnestWebhookShape;
}

/** A running Technest: API host + storage host on 127.0.0.1, plus test controls. */
export interface TechnestSimulator {
  /** API base URL (`/oauth/token`, `/v1/…`). */
  readonly url: string;
  /** Storage host base URL; upload URLs point here (a different port than `url`). */
  readonly storageUrl: string;
  /** OAuth client id to configure the adapter with. */
  readonly clientId: string;
  /** OAuth client secret to configure the adapter with. */
  readonly clientSecret: string;
  /** The newest signing secret (after `rotateWebhookSecret`, the new one). */
  readonly webhookSecret: string;
  /** Every secret currently signing, oldest first. */
  readonly webhookSecrets: readonly string[];
  /** `expires_in` of issued tokens. */
  readonly tokenTtlSeconds: number;
  /** How long a review takes by default (simulator clock). */
  readonly reviewDelayMs: number;
  /** How long an upload URL stays valid (simulator clock). */
  readonly uploadUrlTtlMs: number;
  /** The simulator's clock: reviews, token and upload-URL expiry follow it. */
  readonly clock: SimulatorClock;

  /** Every request to either host, tagged `server: 'api' | 'storage'`. */
  requests(): RecordedRequest[];
  /** Forgets the requests received so far. */
  clearRequests(): void;
  /** The first request matching `predicate`. */
  findRequest(predicate: RecordedRequestPredicate): RecordedRequest | undefined;
  /**
   * Requests to either host that the contract does not document (an unknown
   * path, an undocumented method), oldest first. A real Technest may answer
   * them 404: an adapter must make none.
   */
  contractViolations(): ContractViolation[];
  /**
   * Requests refused over a header the contract requires (a token request not
   * form-encoded, a missing or unknown bearer token, an `Authorization` header
   * or a Content-Type other than the signed one on a pre-signed upload), oldest first.
   */
  headerMismatches(): HeaderMismatch[];
  /** Whether the optional `/kyc` acknowledgement is served; writable at any time. */
  kycAcknowledgement: TechnestKycAcknowledgement;

  /**
   * A fault on matching requests (status, latency, connection reset); with
   * `afterProcessing: true` the request is handled first and its answer lost or replaced.
   */
  injectFault(spec: FaultSpec): InjectedFault;
  /** 429 `rate_limited` + `Retry-After` on API calls (all paths unless `path` is given). */
  injectRateLimit(options?: TechnestFaultTarget & { readonly retryAfterSeconds?: number }): InjectedFault;
  /** 500 `internal_error` / 503 `upstream_unavailable` on API calls. */
  injectServerError(options?: TechnestFaultTarget & { readonly code?: 'internal_error' | 'upstream_unavailable' }): InjectedFault;
  /** Removes every injected fault. */
  clearFaults(): void;

  /** Where webhooks go; `undefined` queues them. */
  setWebhookTarget(url: string | undefined): void;
  /** hold / release / deliverAgain / deliveries / settled. */
  readonly webhooks: WebhookDispatcher;
  /** Shape(s) sent on status changes; writable at any time. */
  webhookShape: TechnestWebhookShapeSetting;
  /** Whether current-shape rejection webhooks carry `rejection_reason`; writable at any time. */
  webhookRejectionReason: TechnestWebhookRejectionReason;
  /** Sends one webhook of the given shape for the customer's current state (new event id each call). */
  emitWebhook(customerId: string, options?: EmitWebhookOptions): Promise<WebhookDelivery>;
  /** Adds a secret: from now on webhooks carry a `v1=` for the old and the new secret. */
  rotateWebhookSecret(newSecret: string): void;
  /** Replaces the signing secrets (e.g. `[newSecret]` to finish a rotation). */
  setWebhookSecrets(secrets: readonly string[]): void;

  /** Scripts the review result for a customer id or a customer_reference (also before the customer exists). */
  setOutcome(customerIdOrReference: string, outcome: TechnestOutcome): void;
  /** Advances the clock past every pending review (finite ones) and resolves after their webhooks. */
  completeReviews(): Promise<void>;

  /** A valid token without the HTTP round trip (default scope `customer:write`). */
  issueAccessToken(scopes?: readonly string[]): string;
  /** Every token issued so far becomes expired (calls get 401 `token_expired`). */
  expireTokens(): void;
  /** Returns false when the token is unknown. */
  revokeToken(token: string): boolean;

  /** Snapshot of the internal record (no review refresh, no side effects). */
  getCustomer(customerId: string): TechnestCustomerRecord | undefined;
  /** The customer with this `customer_reference`, if any. */
  findCustomerByReference(customerReference: string): TechnestCustomerRecord | undefined;
  /** Every customer, in creation order. */
  listCustomers(): TechnestCustomerRecord[];
  /** Upload intent plus the uploaded bytes, if any. */
  getFile(fileId: string): TechnestFileRecord | undefined;

  /** Stops both servers (open sockets destroyed) and aborts in-flight webhooks. */
  close(): Promise<void>;
}

/** Starts a Technest simulator that follows `shared/providers/technest.md`. */
export async function createTechnestSimulator(options: TechnestSimulatorOptions = {}): Promise<TechnestSimulator> {
  const clientId = options.clientId ?? 'tn_client';
  const clientSecret = options.clientSecret ?? `tn_secret_${randomBytes(16).toString('hex')}`;
  let webhookSecrets: readonly string[] = options.webhookSecrets?.length
    ? [...options.webhookSecrets]
    : [options.webhookSecret ?? `whsec_${randomBytes(24).toString('hex')}`];
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 3600;
  const reviewDelayMs = options.reviewDelayMs ?? 60_000;
  const uploadUrlTtlMs = options.uploadUrlTtlMs ?? 300_000;
  let webhookShape: TechnestWebhookShapeSetting = options.webhookShape ?? 'current';
  let webhookRejectionReason: TechnestWebhookRejectionReason = options.webhookRejectionReason ?? 'included';
  let kycAcknowledgement: TechnestKycAcknowledgement = options.kycAcknowledgement ?? 'enabled';
  let statusChangeCount = 0;

  const clock = options.clock ?? createSimulatorClock(options.clockStart === undefined ? {} : { start: options.clockStart });
  const state = createTechnestState({ reviewDelayMs });
  const requestLog = createRequestLog({ now: clock.now });
  const faults = createFaultInjector();
  const headerMismatches = createHeaderMismatchLog();
  const signer = createUploadUrlSigner();
  const webhooks = createWebhookDispatcher({
    now: clock.now,
    ...(options.webhookTimestamps === 'wall' ? { signingNow: () => new Date() } : {}),
    timeoutMs: options.webhookTimeoutMs ?? 10_000,
    userAgent: 'Technest-Webhooks/1.0 (openkyc simulator)',
    // Reads the current secrets at signing time so rotation affects later signatures only.
    sign: (rawBody, timestampSeconds) => ({ [TECHNEST_SIGNATURE_HEADER]: signTechnestWebhook(webhookSecrets, rawBody, timestampSeconds) }),
  });
  if (options.webhookTarget !== undefined) webhooks.setWebhookTarget(options.webhookTarget);

  /** Emits the configured shape(s) for each change; dispatch order = change order. */
  function emitStatusChanges(changes: readonly TechnestStatusChange[]): Promise<unknown> {
    const sent: Promise<WebhookDelivery>[] = [];
    for (const change of changes) {
      for (const shape of shapesForStatusChange(webhookShape, statusChangeCount)) {
        const payload = buildTechnestWebhookPayload(shape, change.customer, {
          eventId: state.newId('evt'),
          createdAt: change.at,
          previousStatus: change.previousStatus,
          omitRejectionReason: webhookRejectionReason === 'omitted',
        });
        sent.push(webhooks.dispatch(payload));
      }
      statusChangeCount += 1;
    }
    return Promise.all(sent);
  }

  const applyDueReviews = (): Promise<unknown> => emitStatusChanges(state.applyDueReviews(clock.nowMs()));
  // Clock moves wait for the resulting webhooks; on-read refreshes do not (see webhooks.settled()).
  const unsubscribeClock = clock.onChange(async () => {
    await applyDueReviews();
  });

  const storageHandler = createTechnestStorageHandler({ state, clock, signer, headerMismatches });
  const storage = await startSimulatorServer({
    name: 'storage',
    requestLog,
    faults,
    handler: storageHandler.handler,
    contract: storageHandler.routes,
  });
  const apiHandler = createTechnestApiHandler({
    state,
    clock,
    clientId,
    clientSecret,
    tokenTtlSeconds,
    uploadUrlTtlMs,
    storageUrl: storage.url,
    signer,
    headerMismatches,
    kycAcknowledgement: () => kycAcknowledgement,
    refreshReviews: () => void applyDueReviews(),
    // Only the current shape (seed 000) reports every status change; the older shapes exist for
    // verified and rejected alone. Sent after the answer, as a real provider's queue would.
    reviewStarted: (change) => {
      if (options.announceReviewStart !== true || webhookShape === 'dotted' || webhookShape === 'legacy') return;
      const payload = buildTechnestWebhookPayload('current', change.customer, {
        eventId: state.newId('evt'),
        createdAt: change.at,
        previousStatus: change.previousStatus,
      });
      void webhooks.dispatch(payload);
    },
  });
  const api = await startSimulatorServer({
    name: 'api',
    requestLog,
    faults,
    handler: apiHandler.handler,
    contract: apiHandler.routes,
  });

  const requireCustomer = (customerId: string): TechnestCustomerRecord => {
    const customer = state.customers.get(customerId);
    if (!customer) throw new Error(`Technest simulator: no customer ${customerId}`);
    return customer;
  };

  return {
    url: api.url,
    storageUrl: storage.url,
    clientId,
    clientSecret,
    get webhookSecret() {
      return webhookSecrets[webhookSecrets.length - 1] ?? '';
    },
    get webhookSecrets() {
      return [...webhookSecrets];
    },
    tokenTtlSeconds,
    reviewDelayMs,
    uploadUrlTtlMs,
    clock,

    requests: requestLog.requests,
    clearRequests: requestLog.clearRequests,
    findRequest: requestLog.find,
    contractViolations: requestLog.violations,
    headerMismatches: headerMismatches.mismatches,
    get kycAcknowledgement() {
      return kycAcknowledgement;
    },
    set kycAcknowledgement(setting: TechnestKycAcknowledgement) {
      kycAcknowledgement = setting;
    },

    injectFault: faults.injectFault,
    injectRateLimit: (faultOptions) => faults.injectFault(technestRateLimitFault(faultOptions)),
    injectServerError: (faultOptions) => faults.injectFault(technestServerErrorFault(faultOptions)),
    clearFaults: faults.clearFaults,

    setWebhookTarget: webhooks.setWebhookTarget,
    webhooks,
    get webhookShape() {
      return webhookShape;
    },
    set webhookShape(shape: TechnestWebhookShapeSetting) {
      webhookShape = shape;
    },
    get webhookRejectionReason() {
      return webhookRejectionReason;
    },
    set webhookRejectionReason(setting: TechnestWebhookRejectionReason) {
      webhookRejectionReason = setting;
    },
    emitWebhook(customerId, emitOptions = {}) {
      const customer = requireCustomer(customerId);
      const payload = buildTechnestWebhookPayload(emitOptions.shape ?? 'current', customer, {
        eventId: state.newId('evt'),
        createdAt: clock.now(),
        previousStatus: previousStatusOf(customer.status),
      });
      return webhooks.dispatch(payload);
    },
    rotateWebhookSecret(newSecret) {
      webhookSecrets = [...webhookSecrets, newSecret];
    },
    setWebhookSecrets(secrets) {
      if (secrets.length === 0) throw new Error('at least one webhook secret is needed');
      webhookSecrets = [...secrets];
    },

    setOutcome(customerIdOrReference, outcome) {
      state.outcomes.set(customerIdOrReference, { ...outcome });
    },
    async completeReviews() {
      const dueTimes = [...state.customers.values()].map(state.reviewDueAtMs).filter(Number.isFinite);
      const latest = Math.max(clock.nowMs(), ...dueTimes);
      await clock.advance(latest - clock.nowMs());
    },

    issueAccessToken(scopes = ['customer:write']) {
      const token = `tn_at_${randomBytes(24).toString('hex')}`;
      const issuedAt = clock.now();
      state.tokens.set(token, {
        token,
        scopes: [...scopes],
        issuedAt,
        expiresAt: new Date(issuedAt.getTime() + tokenTtlSeconds * 1000),
        revoked: false,
      });
      return token;
    },
    expireTokens() {
      const now = clock.now();
      for (const record of state.tokens.values()) {
        if (record.expiresAt > now) record.expiresAt = now;
      }
    },
    revokeToken(token) {
      const record = state.tokens.get(token);
      if (!record) return false;
      record.revoked = true;
      return true;
    },

    getCustomer(customerId) {
      const customer = state.customers.get(customerId);
      return customer && cloneCustomer(customer);
    },
    findCustomerByReference(customerReference) {
      const id = state.customerIdsByReference.get(customerReference);
      const customer = id === undefined ? undefined : state.customers.get(id);
      return customer && cloneCustomer(customer);
    },
    listCustomers: () => [...state.customers.values()].map(cloneCustomer),
    getFile(fileId) {
      const file = state.files.get(fileId);
      if (!file) return undefined;
      // structuredClone would turn the Buffer into a plain Uint8Array.
      return { ...file, upload: file.upload && { ...file.upload, bytes: Buffer.from(file.upload.bytes) } };
    },

    async close() {
      unsubscribeClock();
      webhooks.close();
      faults.clearFaults();
      await Promise.all([api.close(), storage.close()]);
    },
  };
}

function previousStatusOf(status: TechnestCustomerStatus): TechnestCustomerStatus {
  return status === 'verified' || status === 'rejected' ? 'pending' : 'created';
}
