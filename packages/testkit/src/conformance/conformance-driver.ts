import type { Application, CustomerStatus, KycProvider, RejectionCode } from '@openkyc/core';
import type { Dispatcher } from 'undici';
import type { HeaderMismatch } from '../simulators/shared/header-mismatches.js';
import type { ContractViolation, RecordedRequest } from '../simulators/shared/request-log.js';

/**
 * What the conformance suite needs from a provider simulator, in
 * provider-neutral terms. Each simulator ships a driver
 * (`technestConformance()`, …); a new provider's simulator writes one too.
 * Optional members are capabilities: the suite skips what a driver lacks and
 * says why.
 */
export interface ConformanceDriver<TSimulator = unknown> {
  /** The simulator itself, for the provider factory (URLs, credentials). */
  readonly simulator: TSimulator;
  /** The provider's clock: openkyc runs on it in the suite, so signatures and timestamps agree. */
  now(): Date;
  /** Moves the provider's clock (and so openkyc's) forward, running whatever became due. */
  advanceClock(ms: number): Promise<void>;
  /** A complete application this provider accepts (uses `sampleDocument` bytes). */
  application(): Application;
  /**
   * For providers that decide `needs_info` from the data itself (synchronous
   * review): an application that is valid for openkyc but incomplete for the provider.
   */
  incompleteApplication?(): Application;
  /**
   * Makes the provider decide this record's review. Resolves once the provider
   * changed state and any webhook it sends was handed to the target (or queued
   * while held). For synchronous providers approval already happened at submit,
   * and `reject` is a back-office rejection.
   */
  decide(providerCustomerId: string, outcome: ConformanceOutcome): Promise<void>;
  /** Back-office deactivation / closure of an approved customer, where the provider has it. */
  deactivate?(providerCustomerId: string): Promise<void>;
  /** Every request the simulator received, oldest first. */
  requests(): readonly RecordedRequest[];
  /** Requests that carried API credentials to a host that must never see them (pre-signed storage). */
  credentialLeaks(): readonly RecordedRequest[];
  /**
   * Requests the provider's contract does not document (unknown path,
   * undocumented method or operation), as the simulator recorded them: every
   * scenario fails when there is one. Leave it out only when the simulator
   * cannot tell; the contract scenario is then skipped.
   */
  contractViolations?(): readonly ContractViolation[];
  /** What the provider holds for a record, provider-neutrally. */
  inspect(providerCustomerId: string): ProviderRecordView | undefined;
  /** Faults on the request that reads a customer (safe to retry): status, latency, connection reset. */
  injectFetchFault(fault: ConformanceFault): void;
  /** Present when the provider sends webhooks. */
  readonly webhooks?: ConformanceWebhooks;
  /** Present when the provider's credentials expire and are refreshed by the adapter. */
  readonly credentials?: {
    /** Expires every credential issued so far. */
    expire(): void;
    /** How many credentials (tokens) the provider issued so far. */
    issued(): number;
  };
  // --- Retries and idempotency, contract headers (issue #12, group B) -----------------
  /**
   * The contract's rule for repeating each request an adapter may make, and a
   * way to fault any of them. The "retries and idempotency" group faults every
   * request of every operation with a 5xx, a connection reset and a lost
   * response; it is skipped when this is left out.
   */
  readonly retries?: ConformanceRetries;
  /**
   * Requests the simulator refused because a header the contract requires was
   * missing or did not carry the configured value (tenant, credentials, a
   * content type the contract fixes), oldest first. The "contract headers"
   * group is skipped when this is left out. Configure the simulator with values
   * no adapter could guess (a random tenant, random credentials), so a
   * hard-coded one is refused.
   */
  headerMismatches?(): readonly HeaderMismatch[];
  // --- end of group B -----------------------------------------------------------------

  /** Stops the simulator (servers, webhook deliveries). */
  close(): Promise<void>;

  // ── Rejection reasons (issue #12, group 'rejection reasons'): the table is data, declared from the contract. ──
  /**
   * Every rejection reason the provider's contract and docs name, each with the
   * classification they imply: final (fraud, sanctions, duplicate identity,
   * age) or retryable (an unreadable or expired document, mismatched data).
   * The suite drives each one through the simulator, by poll and by webhook.
   */
  readonly rejectionReasons?: readonly ConformanceRejectionReason[];
  /**
   * The webhook body shapes a rejection can arrive in, when the provider's docs
   * describe several (docs that drifted over time), the current one first:
   * every reason is delivered in the first, one reason per classification in
   * each of the others. Leave it out for a provider with one shape.
   */
  readonly rejectionWebhookShapes?: readonly string[];
  /**
   * True when the provider's contract lets a rejection webhook leave the reason
   * out (it says "rejected"; a read of the record says why). The suite then also
   * announces rejections that way: openkyc must not guess they are retryable.
   */
  readonly rejectionWebhookMayOmitReason?: boolean;
  /**
   * Makes the provider reject the record with exactly `providerReason` (its own
   * text or code, as in `rejectionReasons`), announced in `webhookShape` when
   * given. Resolves like `decide`: once the provider changed state and its
   * webhook was handed to the target (or queued while held).
   */
  rejectWith?(providerCustomerId: string, providerReason: string, options?: ConformanceRejectOptions): Promise<void>;

  // --- The "dedupe keys" and "status mapping" groups (issue #12) -------------------------------
  /**
   * The headers the provider sends when it delivers an event it already sent once more, later, as a
   * new delivery: signed at `at` and, where its signature scheme carries a delivery id (Standard
   * Webhooks' `webhook-id`), under a new one. The "dedupe keys" group checks that such a redelivery is
   * a duplicate. Without it the group re-signs with `webhooks.sign` (a new timestamp only).
   */
  redeliver?(delivery: ConformanceDelivery, at: Date): Record<string, string>;
  /**
   * The webhook body shapes the provider's contract documents (Technest: `current`, `dotted`,
   * `legacy`) and a switch that makes the provider send one of them from now on. The dedupe and
   * status-mapping groups run their webhook checks once per shape. Leave it out for a single shape.
   */
  readonly webhookShapes?: ConformanceWebhookShapes;
  /**
   * Every status the provider's contract documents, what openkyc must make of each, and how to put a
   * record into it: the "status mapping" group walks them all, by poll and by webhook.
   */
  readonly statuses?: ConformanceStatuses;

  // ── Personal data (issue #12, group 'privacy'): every provider call faulted while canary data goes through. ──
  /**
   * The provider's calls, by openkyc operation, and a way to fault each one
   * with what the simulator can send: value-echoing error bodies, the
   * contract's error envelopes, connection resets and answers too slow to
   * wait for. The privacy group submits canary personal data and faults every
   * call in turn; left out, it runs the canary through unfaulted operations only.
   */
  readonly privacy?: ConformancePrivacy;
}

/** What the privacy group needs to fault each provider call (see `ConformanceDriver.privacy`). */
export interface ConformancePrivacy {
  /**
   * Every request each operation makes, from the contract. Each must be made
   * by its operation for a fresh customer: the group fails a fault that was never hit.
   */
  readonly calls: readonly ConformanceProviderCall[];
  /** Faults every request matching `call` (or the next `fault.times`) until cancelled. */
  inject(call: ConformanceProviderCall, fault: ConformanceCallFault): ConformanceInjectedFault;
}

/** An openkyc operation the privacy group runs with canary data: `retry` is a submission after a rejection. */
export type ConformanceOperation = 'createCustomer' | 'submit' | 'refresh' | 'activate' | 'retry';

/** One request of the provider's contract, made by `operation`. */
export interface ConformanceProviderCall {
  /** The openkyc operation that makes the request. */
  readonly operation: ConformanceOperation;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Path pattern, `:name` for a segment (`/v1/customers/:id`). */
  readonly path: string;
}

/**
 * A fault the privacy group injects on a call: `echo` answers `status` with a
 * body that echoes every value the request sent (in messages, codes and
 * parameters, dates also in words), `envelope` with the contract's own error
 * body for `status`, `reset` drops the connection, `latency` answers after `ms`
 * (the group's adapter times out first). Each applies `times` times (default: until cancelled).
 */
export type ConformanceCallFault = (
  | {
      /** Answer with a body echoing what was sent. */
      readonly kind: 'echo';
      /** The HTTP status of the answer. */
      readonly status: number;
    }
  | {
      /** Answer with the contract's error body. */
      readonly kind: 'envelope';
      /** The HTTP status of the answer. */
      readonly status: number;
    }
  | {
      /** Drop the connection without an answer. */
      readonly kind: 'reset';
    }
  | {
      /** Answer late. */
      readonly kind: 'latency';
      /** How late, in milliseconds. */
      readonly ms: number;
    }
) & {
  /** How many matching requests it applies to (default: until cancelled). */
  readonly times?: number;
};

/** An injected fault: how many requests it hit, and a way to remove it. */
export interface ConformanceInjectedFault {
  /** How many requests the fault answered so far. */
  readonly hits: number;
  /** Removes the fault. */
  cancel(): void;
}

/** One documented rejection reason and what it means for the customer (see `ConformanceDriver.rejectionReasons`). */
export interface ConformanceRejectionReason {
  /** The provider's reason exactly as it sends it (free text or a code). */
  readonly providerReason: string;
  /** Whether a new submission can succeed; `false` for final rejections (fraud, sanctions, duplicate identity, age). */
  readonly retryable: boolean;
  /** The normalized code the contract implies, when it implies one (checked when given). */
  readonly code?: RejectionCode;
}

/** Options of `ConformanceDriver.rejectWith`. */
export interface ConformanceRejectOptions {
  /** One of the driver's `rejectionWebhookShapes`; default: the provider's current shape. */
  readonly webhookShape?: string;
  /** Announce the rejection without its reason (the record keeps it); see `rejectionWebhookMayOmitReason`. */
  readonly withoutReason?: boolean;
}

/** What the "retries and idempotency" group needs from a driver. */
export interface ConformanceRetries {
  /**
   * Every request the contract documents, with whether repeating it is safe.
   * Each request an operation makes must match one step (first match wins):
   * the group fails on a request no step covers.
   */
  readonly steps: readonly ConformanceRequestStep[];
  /** Faults the next request matching `step` (see {@link ConformanceStepFault}). */
  inject(step: ConformanceRequestStep, fault: ConformanceStepFault): {
    /** How many requests the fault hit so far (the suite expects 1). */
    readonly hits: number;
  };
  /** Ids of every customer record the provider holds (the group counts them: one per customer, one more per new-customer retry). */
  records(): readonly string[];
}

/**
 * A fault on one request: `server_error` and `reset` happen before the
 * provider handles it (nothing changed there); `lost_response` after (the
 * provider did the work, then the connection dropped before the answer).
 */
export type ConformanceStepFault = 'server_error' | 'reset' | 'lost_response';

/** One kind of request of the provider's contract, and whether it is safe to repeat. */
export interface ConformanceRequestStep {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Path pattern, `:name` for a segment (`/v1/customers/:id`). */
  readonly path: string;
  /** The simulator server that receives it (`'api'`, `'storage'`); any when absent. */
  readonly server?: string;
  /** Query parameters that select the operation (`{ command: 'verify' }`). */
  readonly query?: Readonly<Record<string, string>>;
  /**
   * What the contract makes of a repeat:
   * - `'safe'`: it cannot do anything twice (an idempotent method or merge,
   *   an idempotency key, or a duplicate the provider reports and the adapter
   *   adopts). After a 5xx, a reset or a lost response the adapter repeats it
   *   (or looks first) within the same call, and the operation completes.
   * - `'never'`: a repeat would do it twice and the contract offers no way to
   *   tell. The adapter sends it once per call; a failure ends the call with
   *   a retryable error, and the platform's repeat of the operation completes it.
   */
  readonly repeat: 'safe' | 'never';
  /** The contract's idempotency-key header: every attempt carries one, and a repeat the same one. */
  readonly idempotencyKeyHeader?: string;
}

/** One webhook delivery as the provider sent it. */
export interface ConformanceDelivery {
  /** The raw body, exactly as sent. */
  readonly body: string;
  /** The headers as sent, signature included. */
  readonly headers: Readonly<Record<string, string>>;
}

/** The webhook body shapes a provider documents (see `ConformanceDriver.webhookShapes`). */
export interface ConformanceWebhookShapes {
  /** Every documented shape, e.g. `['current', 'dotted', 'legacy']`. */
  readonly names: readonly string[];
  /** From now on the provider sends status changes in this shape. */
  use(name: string): void;
}

/**
 * The provider's status table, from its contract, and the walks through it
 * (see `ConformanceDriver.statuses`).
 */
export interface ConformanceStatuses {
  /** Every status the contract documents, as the provider names it, → the normalized status openkyc must report. */
  readonly table: Readonly<Record<string, CustomerStatus>>;
  /** The provider status of a record right after it was created. */
  readonly created: string;
  /**
   * Paths through the provider's lifecycle that together visit every status of `table`, each in an
   * order the provider and openkyc's lifecycle allow (docs/lifecycle-ordering.md: a move down the
   * status rank must be one direct edge). A walk starts either at `created` (nothing is submitted) or
   * at the status a complete submission of `application()` leaves the record in; every later status is
   * reached with `moveTo`.
   */
  readonly walks: readonly (readonly string[])[];
  /**
   * Puts the record into `status` the way the provider itself does (a review outcome, the back
   * office, the end-user at the provider), with the webhook the provider sends for it. Resolves once
   * that webhook was handed over (or queued while held). The suite advances the clock between moves.
   */
  moveTo(providerCustomerId: string, status: string): Promise<void>;
}

/** A review decision the suite asks the provider to make. */
export type ConformanceOutcome = 'approve' | 'reject' | 'needs_info';

/** A fault on the simulator's customer read, for the transport scenarios. */
export interface ConformanceFault {
  /** Answer with this HTTP status instead of the normal response. */
  readonly status?: number;
  /** Headers of that answer (e.g. `retry-after`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Wait this long before answering. */
  readonly latencyMs?: number;
  /** Drop the connection without an answer. */
  readonly reset?: boolean;
  /** How many requests it applies to (default 1; `Infinity` for all). */
  readonly times?: number;
}

/** What the provider holds for one record, provider-neutrally. */
export interface ProviderRecordView {
  /** The provider's own status string. */
  readonly status: string;
  /** How many document files the provider holds for the record. */
  readonly documents: number;
}

/** Webhook controls of a driver whose provider sends webhooks. */
export interface ConformanceWebhooks {
  /** Where deliveries go; `undefined` loses them (the "lost webhook" scenarios). */
  setTarget(url: string | undefined): void;
  /** Queue deliveries instead of sending them. */
  hold(): void;
  /** Sends what was held, in the given order, each `duplicate` times. */
  release(options?: { order?: 'fifo' | 'reverse' | 'shuffle'; duplicate?: number }): Promise<void>;
  /** Resolves when every delivery started so far has finished. */
  settled(): Promise<void>;
  /** Every delivery emitted so far (raw body and headers as sent). */
  deliveries(): readonly {
    /** The raw body, exactly as sent. */
    readonly body: string;
    /** The headers as sent, signature included. */
    readonly headers: Readonly<Record<string, string>>;
  }[];
  /** Signs a raw body as the provider would, optionally at another time or with another secret. */
  sign(body: string, options?: { timestamp?: Date; secret?: string }): Record<string, string>;
}

/** Options the suite passes to the provider factory for particular scenarios. */
export interface ConformanceProviderOptions {
  /** Per-attempt HTTP timeout (the timeout scenario sets a short one). */
  readonly timeoutMs?: number;
  /** An undici dispatcher, when a scenario needs one. */
  readonly dispatcher?: Dispatcher;
}

/** What `describeConformance` takes. */
export interface ConformanceSetup<TSimulator> {
  /** Shown in the suite's title. */
  readonly name: string;
  /** Starts a fresh simulator (one per scenario, so scenarios never share state). */
  simulator(): Promise<ConformanceDriver<TSimulator>>;
  /** The adapter under test, pointed at the simulator. */
  provider(simulator: TSimulator, options: ConformanceProviderOptions): KycProvider;
}
