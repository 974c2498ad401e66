import type { ValidationIssue } from '../errors.js';
import type { KycLogger } from '../logging/logger.js';
import type { KycTelemetryOptions } from '../telemetry/kyc-telemetry.js';
import type { Application } from '../models/application.js';
import type { Customer, CustomerType } from '../models/customer.js';
import type { KycEvent, KycEventOf, KycEventType } from '../models/events.js';
import type { KycProvider } from '../provider/kyc-provider.js';
import type { CustomerStore } from '../store/customer-store.js';
import type { WebhookDelivery, WebhookResult } from '../webhooks/webhook-delivery.js';
import type { CountCustomersOptions, CustomerCounts } from './count-customers.js';
import type { ConsumerStatus, DeadLetter } from '../store/event-log.js';
import type { Consumer } from './consumer.js';
import type { ConsumeOptions, ConsumerHandler } from './consumer-options.js';
import type { KycEventHandler } from './event-bus.js';
import type { CustomerPage, ListCustomersQuery } from './list-customers.js';
import type { ReconcileSchedule } from './reconcile-schedule.js';
import type { ListParkedWebhooksOptions, ParkedWebhook, ParkedWebhooksPass } from './use-cases/parked-webhooks.js';
import type { ParkedWebhookReplay } from './use-cases/apply-parked-webhook.js';
import type { AuditEntryInput } from './audit-entries.js';
import type { AuditEntry, AuditQuery } from '../store/audit-trail.js';
import type { ProcessedDelivery } from '../store/customer-store.js';
import type { ReconcileOptions, ReconcileResult } from './use-cases/reconcile.js';
import type { Reconciler, ReconcilerOptions } from './use-cases/start-reconciler.js';

/*
 * The client's public shape: what `createKyc` takes and what it returns. The
 * behaviour lives in one module per use case under `use-cases/`.
 */

/** What `createKyc` takes. `fromConfig` builds these options from JSON configuration. */
export interface KycOptions {
  /** Adapter instances; each has a unique `id`. */
  readonly providers: readonly KycProvider[];
  /** Where new customers go. Existing customers stay with the provider they were created at. Defaults to the first provider. */
  readonly defaultProvider?: string;
  /** Defaults to `memoryStore()`. */
  readonly store?: CustomerStore;
  /** pino-compatible (`info/warn/error/debug(obj, msg)`, optional `child(bindings)`); everything logged goes through redaction first. Silent when absent. */
  readonly logger?: KycLogger;
  /** OpenTelemetry tracer and meter providers; default: the global ones of `@opentelemetry/api` (no-ops until the app registers an SDK). */
  readonly telemetry?: KycTelemetryOptions;
  /** Injectable clock (tests, simulations). */
  readonly now?: () => Date;
  /** How often `reconcile` re-checks customers, per status. */
  readonly reconcile?: Partial<ReconcileSchedule>;
  /** The webhook inbox: deliveries for provider records no customer has yet wait there for it. */
  readonly webhookInbox?: {
    /**
     * A parked delivery older than this is stale: `reconcile` logs a warning for it and
     * `listParkedWebhooks` marks it (default 86 400 000 ms, one day).
     */
    readonly staleAfterMs?: number;
  };
}

/** What `kyc.createCustomer` takes. */
export interface CreateCustomerInput {
  /** Your own id for this end-customer; creating twice with one reference returns the same customer. */
  readonly reference: string;
  /**
   * `'individual'` or `'business'`; refused before any request when the provider does not verify that type.
   */
  readonly type: CustomerType;
  /** The end-customer's e-mail address. */
  readonly email: string;
  /** The end-customer's first name. */
  readonly firstName: string;
  /** The end-customer's last name. */
  readonly lastName: string;
  /** Overrides `defaultProvider` for this customer. */
  readonly provider?: string;
}

/** What `kyc.validate` returns. */
export interface ValidationResult {
  /** True when there is no issue. */
  readonly valid: boolean;
  /** Every issue found, each with a path into the application, a stable code and a message. */
  readonly issues: readonly ValidationIssue[];
}

/**
 * The openkyc client, from `createKyc`: one customer lifecycle and one event stream over every configured
 * provider.
 */
export interface Kyc {
  /**
   * Creates the customer at `input.provider` (else `defaultProvider`); status `created`. Creating again with
   * the same `reference` returns the existing customer.
   */
  createCustomer(input: CreateCustomerInput): Promise<Customer>;
  /** Uploads, data and the verification trigger. Valid in `created`, `needs_info` and `rejected` (retry). */
  submit(customerId: string, application: Application): Promise<Customer>;
  /** From the store; throws `NotFoundError` for an unknown id. */
  getCustomer(customerId: string): Promise<Customer>;
  /** The customer with your `reference`, from the store. */
  findCustomerByReference(reference: string): Promise<Customer | undefined>;
  /** The customer whose current or earlier provider record has this id at `provider`, from the store. */
  findCustomerByProviderCustomerId(provider: string, providerCustomerId: string): Promise<Customer | undefined>;
  /** One page of customers, optionally by status and provider; pass `next` as `after` for the next page. */
  listCustomers(query?: ListCustomersQuery): Promise<CustomerPage>;
  /** Customers per status and provider, and overdue reviews; reads every customer (operator pages, not hot paths). */
  countCustomers(options?: CountCustomersOptions): Promise<CustomerCounts>;
  /** Every event of a customer, oldest first. */
  listEvents(customerId: string): Promise<readonly KycEvent[]>;
  /**
   * Erases the customer's personal data in the store (names, email, the provider's free text in the customer
   * and its events) and records when (`forgottenAt`); ids, statuses and timestamps stay for audit. Calling
   * it again is harmless. Throws `NotFoundError` for an unknown id.
   */
  forgetCustomer(customerId: string): Promise<Customer>;
  /** Asks the provider now and applies what changed. */
  refresh(customerId: string): Promise<Customer>;
  /** Where the provider's activation is `'explicit'`. */
  activate(customerId: string): Promise<Customer>;
  /** Verifies, dedupes and applies one webhook delivery. Rejects with `WebhookVerificationError` when it is not authentic. */
  handleWebhook(providerId: string, delivery: WebhookDelivery): Promise<WebhookResult>;
  /**
   * Applies parked webhooks whose customer exists by now, refreshes every non-final customer that is due,
   * and emits `customer.review_overdue` past the provider's escalation time. Safe to run on several
   * instances at once: each due customer is polled once (store leases).
   */
  reconcile(options?: ReconcileOptions): Promise<ReconcileResult>;
  /**
   * Runs `reconcile` every `intervalMs` (with jitter) until `stop()`; run one on every instance. Throws
   * `ConfigurationError` for an interval or jitter out of range.
   */
  startReconciler(options: ReconcilerOptions): Reconciler;
  /**
   * The webhook inbox, oldest first: verified deliveries for provider records no stored customer has yet,
   * waiting to be applied when that customer is committed. `stale` ones (older than
   * `webhookInbox.staleAfterMs`) likely belong to customers never created here; an operator decides.
   */
  listParkedWebhooks(options?: ListParkedWebhooksOptions): Promise<readonly ParkedWebhook[]>;
  /**
   * Applies now the parked webhooks whose customer exists by now (what `reconcile` does first, without
   * polling anyone), each exactly once; the others keep waiting. Stale ones are logged as warnings. For
   * operators (the console's "apply parked deliveries"); `reconcile` does it on every run anyway.
   */
  applyParkedWebhooks(): Promise<ParkedWebhooksPass>;
  /**
   * Applies one parked webhook (by provider id and dedupe key) now if its customer exists by now, exactly
   * once, and says what happened: `applied`, `already_applied`, `waiting` (still no customer has its provider
   * record; it stays parked) or `not_parked`. For operators (the console's per-delivery "apply").
   */
  applyParkedWebhook(provider: string, dedupeKey: string): Promise<ParkedWebhookReplay>;
  /**
   * The webhook deliveries committed with a change of this customer (provider, dedupe key, when), oldest
   * first: the deliveries beside the events in the console's timeline.
   */
  listDeliveries(customerId: string): Promise<readonly ProcessedDelivery[]>;
  /**
   * Appends an operator action to the store's audit trail (`at` defaults to now) and answers the stored
   * entry. Throws `ValidationError` for a missing `action`, an `outcome` other than `ok`/`failed` or an
   * over-long field. Ids, codes and times only: never put personal data in an entry.
   */
  recordAuditEntry(entry: AuditEntryInput): Promise<AuditEntry>;
  /** The audit trail, newest first, optionally one customer's (default at most 100). */
  listAuditEntries(query?: AuditQuery): Promise<readonly AuditEntry[]>;
  /** Every issue of an application for a provider, before any network call. */
  validate(application: unknown, providerId?: string): ValidationResult;
  /**
   * Calls `handler` for every event of one type, after it was committed, in this process only; returns a
   * function that unsubscribes. Best effort: an event committed just before a crash, or while the handler
   * fails, is not delivered again. Use `consume` for delivery you can rely on.
   */
  on<T extends KycEventType>(type: T, handler: KycEventHandler<KycEventOf<T>>): () => void;
  /**
   * Calls `handler` for every event, after it was committed, in this process only; returns a function that
   * unsubscribes. Best effort, like `on`; use `consume` for delivery you can rely on.
   */
  subscribe(handler: KycEventHandler<KycEvent>): () => void;
  /**
   * Starts the durable consumer `name`: every committed event, from any instance sharing the store, reaches
   * `handler` at least once, each customer's events in order; the checkpoint lives in the store, so a
   * restart resumes after it. One instance holds a name at a time; another takes over within `leaseMs` when
   * the holder dies. A failing handler is retried with backoff; after `maxAttempts` failures the event
   * becomes a dead letter (`listDeadLetters`) and the consumer goes on. Throws `ValidationError` for a bad
   * name or option. Call `stop()` before the process exits.
   */
  consume(name: string, handler: ConsumerHandler, options?: ConsumeOptions): Consumer;
  /**
   * Every durable consumer the store has seen, by name: holder and lease, checkpoint, lag (committed events
   * after its checkpoint) and dead-letter count. For operators (the console's overview).
   */
  listConsumers(): Promise<readonly ConsumerStatus[]>;
  /** The events whose handler kept failing for consumer `name`, oldest first. */
  listDeadLetters(name: string): Promise<readonly DeadLetter[]>;
  /**
   * Asks the instance holding consumer `name` to hand this dead letter's event to its handler again; it
   * leaves the list when the handler succeeds. Throws `NotFoundError` when there is no such dead letter.
   */
  retryDeadLetter(name: string, eventId: string): Promise<void>;
  /** Closes the adapters' connection pools. */
  close(): Promise<void>;
  /** The store customers and events live in. */
  readonly store: CustomerStore;
  /** The configured adapters, by provider id. */
  readonly providers: ReadonlyMap<string, KycProvider>;
  /** The client's logger behind openkyc's redaction: tools built on the client (the console's audit lines) log through it. */
  readonly logger: KycLogger;
}
