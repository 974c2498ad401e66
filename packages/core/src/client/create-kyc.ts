import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { validateApplication } from '../application/validate-application.js';
import {
  ConfigurationError,
  InvalidStateError,
  KycError,
  NotFoundError,
  NotRetryableError,
  ValidationError,
  WebhookVerificationError,
  type ValidationIssue,
} from '../errors.js';
import { LIFECYCLE_MACHINE_VERSION } from '../lifecycle/lifecycle-machine.js';
import type { KycLogger } from '../logging/logger.js';
import { silentLogger } from '../logging/logger.js';
import { redactingLogger } from '../logging/redact.js';
import type { Application } from '../models/application.js';
import type { Customer, CustomerAttempt, CustomerType, EventSource } from '../models/customer.js';
import type { CustomerStatus } from '../models/customer-status.js';
import type { KycEvent, KycEventOf, KycEventType } from '../models/events.js';
import {
  KYC_PROVIDER_SPEC_VERSION,
  type KycProvider,
  type ProviderCallContext,
  type ProviderReport,
  type WebhookRequest,
} from '../provider/kyc-provider.js';
import type { CustomerStore } from '../store/customer-store.js';
import { memoryStore } from '../store/memory-store.js';
import { normalizeHeaders, toRawBytes } from '../webhooks/webhook-request.js';
import { applyProviderReport, eventFor } from './apply-provider-report.js';
import { createEventBus, type KycEventHandler } from './event-bus.js';
import { createKeyedMutex } from './keyed-mutex.js';
import { reconcileCustomers, type ReconcileOptions, type ReconcileResult, type ReconcileSchedule } from './reconcile.js';
import { reviewOverdue } from './review-overdue.js';

/** What `createKyc` takes. `fromConfig` builds these options from JSON configuration. */
export interface KycOptions {
  /** Adapter instances; each has a unique `id`. */
  readonly providers: readonly KycProvider[];
  /** Where new customers go. Existing customers stay with the provider they were created at. Defaults to the first provider. */
  readonly defaultProvider?: string;
  /** Defaults to `memoryStore()`. */
  readonly store?: CustomerStore;
  /** pino-compatible; everything logged goes through redaction first. */
  readonly logger?: KycLogger;
  /** Injectable clock (tests, simulations). */
  readonly now?: () => Date;
  /** How often `reconcile` re-checks customers, per status. */
  readonly reconcile?: Partial<ReconcileSchedule>;
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

/** One webhook request, as your HTTP framework hands it over, for `kyc.handleWebhook`. */
export interface WebhookDelivery {
  /** As received: a `Headers` object or a plain object (Node's `req.headers`). */
  readonly headers: Headers | Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The raw body exactly as received: never a re-serialised JSON object. */
  readonly body: string | Uint8Array | ArrayBuffer;
}

/** What `kyc.handleWebhook` resolves to: answer the provider 200. */
export interface WebhookResult {
  /** What this delivery caused; empty for a duplicate or a report that changed nothing. */
  readonly events: readonly KycEvent[];
  /** True when this delivery was already processed (by its dedupe key): nothing changed. */
  readonly duplicate: boolean;
  /**
   * Why the delivery changed nothing, when it did not: `unchanged` (the customer
   * already had that status), `stale`, `invalid_transition`, `final_state`,
   * `superseded_attempt`, `unknown_customer`, or the adapter's reason for an
   * event that does not concern the lifecycle.
   */
  readonly ignored?: string;
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
  /** Every event of a customer, oldest first. */
  listEvents(customerId: string): Promise<readonly KycEvent[]>;
  /** Asks the provider now and applies what changed. */
  refresh(customerId: string): Promise<Customer>;
  /** Where the provider's activation is `'explicit'`. */
  activate(customerId: string): Promise<Customer>;
  /** Verifies, dedupes and applies one webhook delivery. Rejects with `WebhookVerificationError` when it is not authentic. */
  handleWebhook(providerId: string, delivery: WebhookDelivery): Promise<WebhookResult>;
  /** Refreshes every non-final customer that is due; emits `customer.review_overdue` past the provider's escalation time. */
  reconcile(options?: ReconcileOptions): Promise<ReconcileResult>;
  /** Every issue of an application for a provider, before any network call. */
  validate(application: unknown, providerId?: string): ValidationResult;
  /**
   * Calls `handler` for every event of one type, after it was committed; returns a function that
   * unsubscribes.
   */
  on<T extends KycEventType>(type: T, handler: KycEventHandler<KycEventOf<T>>): () => void;
  /** Calls `handler` for every event, after it was committed; returns a function that unsubscribes. */
  subscribe(handler: KycEventHandler<KycEvent>): () => void;
  /** Closes the adapters' connection pools. */
  close(): Promise<void>;
  /** The store customers and events live in. */
  readonly store: CustomerStore;
  /** The configured adapters, by provider id. */
  readonly providers: ReadonlyMap<string, KycProvider>;
}

/** Statuses `submit` accepts, and what to do instead elsewhere. */
const SUBMIT_HINTS: Readonly<Record<CustomerStatus, string | undefined>> = {
  created: undefined,
  needs_info: undefined,
  rejected: undefined,
  pending: 'the provider is reviewing the last submission; wait for its decision (webhook, refresh or reconcile)',
  verified: 'the customer is already verified',
  active: 'the customer is already verified and active',
  deactivated: 'the customer was deactivated; create a new customer to start over',
};

/** A lost optimistic-concurrency race is re-read and re-applied at most this often. */
const MAX_COMMIT_ATTEMPTS = 64;

const createCustomerInputSchema = z.object({
  reference: z.string().trim().min(1).max(128),
  type: z.enum(['individual', 'business']),
  email: z.email(),
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
  provider: z.string().min(1).optional(),
});

/**
 * Creates the openkyc client. Throws `ConfigurationError` when no provider is given, two share an id,
 * `defaultProvider` is not one of them, or an adapter implements another version of the adapter contract.
 */
export function createKyc(options: KycOptions): Kyc {
  const providers = indexProviders(options.providers);
  const defaultProvider = options.defaultProvider ?? options.providers[0]?.id;
  if (defaultProvider === undefined || !providers.has(defaultProvider)) {
    throw new ConfigurationError(
      `defaultProvider '${String(defaultProvider)}' is not one of the configured providers (${[...providers.keys()].join(', ')}).`,
      [{ path: ['defaultProvider'], code: 'unknown_provider', message: 'must be the id of a configured provider' }],
    );
  }
  const store = options.store ?? memoryStore();
  const logger = redactingLogger(options.logger ?? silentLogger);
  const clock = options.now ?? (() => new Date());
  const bus = createEventBus(logger);
  const customerLock = createKeyedMutex();

  const kyc: Kyc = {
    store,
    providers,
    createCustomer,
    submit,
    getCustomer: mustGet,
    findCustomerByReference: (reference) => store.findByReference(reference),
    listEvents: (customerId) => store.listEvents(customerId),
    refresh: (customerId) => refreshCustomer(customerId, 'api'),
    activate,
    handleWebhook,
    reconcile: (reconcileOptions) =>
      reconcileCustomers(reconcileOptions ?? {}, {
        store,
        providers,
        schedule: options.reconcile,
        clock,
        logger,
        refresh: (customerId, now) => refreshCustomer(customerId, 'poll', now),
        commitOverdue,
      }),
    validate,
    on: (type, handler) => bus.on(type, handler),
    subscribe: (handler) => bus.subscribe(handler),
    async close() {
      await Promise.all([...providers.values()].map((provider) => provider.close?.()));
    },
  };
  return kyc;

  async function createCustomer(input: CreateCustomerInput): Promise<Customer> {
    const parsed = createCustomerInputSchema.safeParse(input);
    if (!parsed.success) throw new ValidationError(zodIssues(parsed.error));
    const data = parsed.data;

    const existing = await store.findByReference(data.reference);
    if (existing !== undefined) return existing;

    const provider = providerById(data.provider ?? defaultProvider!);
    if (!provider.capabilities.customerTypes.includes(data.type)) {
      throw new ValidationError([
        {
          path: ['type'],
          code: 'unsupported_customer_type',
          message: `${provider.id} verifies ${provider.capabilities.customerTypes.join(' and ')} customers only; onboard ${data.type} customers through the provider's separate flow or another provider`,
        },
      ]);
    }

    const id = `cus_${randomUUID().replaceAll('-', '')}`;
    const askedAt = clock();
    const report = await provider.createCustomer(
      {
        customerId: id,
        reference: data.reference,
        providerReference: data.reference,
        type: data.type,
        email: data.email,
        firstName: data.firstName,
        lastName: data.lastName,
      },
      callContext(`create:${provider.id}:${data.reference}`),
    );

    const at = clock().toISOString();
    const fresh: Customer = {
      id,
      reference: data.reference,
      type: data.type,
      email: data.email,
      firstName: data.firstName,
      lastName: data.lastName,
      provider: provider.id,
      providerCustomerId: report.providerCustomerId,
      providerReference: report.providerReference ?? data.reference,
      attempts: [
        {
          number: 1,
          providerCustomerId: report.providerCustomerId,
          providerReference: report.providerReference ?? data.reference,
          status: 'created',
          rawStatus: report.rawStatus,
          startedAt: at,
        },
      ],
      status: 'created',
      rawStatus: report.rawStatus,
      requirements: [],
      submissions: 0,
      machineVersion: LIFECYCLE_MACHINE_VERSION,
      lastCheckedAt: at,
      createdAt: at,
      updatedAt: at,
      ignored: [],
      eventCount: 1,
      version: 1,
    };
    const created = eventFor(fresh, null, 'created', { at, occurredAt: report.occurredAt, source: 'api', seq: 1 });
    const result = await store.commit({ customer: fresh, expectedVersion: 0, events: [created] });
    if (!result.ok) {
      // Someone created the same reference concurrently: theirs wins, ours is the same provider record.
      const winner = await store.findByReference(data.reference);
      if (winner !== undefined) return winner;
      throw new KycError('store_conflict', `Could not store the new customer (${result.reason}); try again.`, { retryable: true });
    }
    bus.publish([created]);
    logger.info({ customerId: id, provider: provider.id }, 'customer created');

    // A provider that already knew this reference may report a later status.
    if (report.status !== 'created') return applyWithRetry(id, report, 'api', askedAt);
    return fresh;
  }

  async function submit(customerId: string, application: Application): Promise<Customer> {
    return customerLock.run(customerId, async () => {
      let customer = await mustGet(customerId);
      const provider = providerById(customer.provider);
      const hint = SUBMIT_HINTS[customer.status];
      if (hint !== undefined) throw new InvalidStateError('submit', customer.status, hint);

      const checked = validateApplication(application, provider.capabilities, {
        now: clock,
        customerType: customer.type,
        providerValidate: provider.validate?.bind(provider),
      });
      if (!checked.success) throw new ValidationError(checked.issues);

      if (customer.status === 'rejected') customer = await prepareRetry(customer, provider);

      const askedAt = clock();
      const submitted = await provider.submit(
        {
          customerId: customer.id,
          providerCustomerId: customer.providerCustomerId,
          providerReference: customer.providerReference,
          application: checked.application,
          type: customer.type,
          submission: customer.submissions + 1,
        },
        callContext(`submit:${customer.id}:${customer.submissions + 1}`),
      );
      // A retry's submission goes through pending (DESIGN: rejected ──retry──▶ pending) even when the
      // provider answers with its verdict at once (clients-command verifies synchronously).
      const report =
        customer.status === 'rejected' && submitted.previousStatus === undefined && submitted.status !== 'pending'
          ? { ...submitted, previousStatus: 'pending' as const }
          : submitted;
      return applyWithRetry(customerId, report, 'api', askedAt, (next) => ({
        ...next,
        submissions: next.submissions + 1,
        lastCheckedAt: clock().toISOString(),
      }));
    });
  }

  /** After a rejection, gets a provider record ready for the next submission, per the provider's retry mode. */
  async function prepareRetry(customer: Customer, provider: KycProvider): Promise<Customer> {
    if (customer.rejection !== undefined && !customer.rejection.retryable) {
      throw new NotRetryableError(
        `The provider's rejection (${customer.rejection.code}) cannot be retried; contact the provider's support or create a new customer after review.`,
      );
    }
    const mode = provider.capabilities.retryAfterRejection;
    const current = customer.attempts.at(-1);
    // Resubmit-on-the-same-record providers need nothing; an attempt already prepared by an
    // earlier submit that failed later must not be prepared twice (no `-r3` for one retry).
    if (mode === 'resubmit' || current === undefined || current.status !== 'rejected') return customer;
    if (provider.retry === undefined) {
      throw new ConfigurationError(`Adapter '${provider.id}' declares retryAfterRejection '${mode}' but has no retry().`);
    }
    const attemptNumber = customer.attempts.length + 1;
    const report = await provider.retry(
      {
        customerId: customer.id,
        providerCustomerId: customer.providerCustomerId,
        providerReference: customer.providerReference,
        reference: customer.reference,
        type: customer.type,
        email: customer.email,
        firstName: customer.firstName,
        lastName: customer.lastName,
        attempt: attemptNumber,
      },
      callContext(`retry:${customer.id}:${attemptNumber}`),
    );
    return commitWithRetry(customer.id, (latest) => {
      const at = clock().toISOString();
      const attempts: CustomerAttempt[] =
        mode === 'new-customer'
          ? [
              ...latest.attempts,
              {
                number: attemptNumber,
                providerCustomerId: report.providerCustomerId,
                providerReference: report.providerReference ?? `${latest.reference}-r${attemptNumber}`,
                status: report.status,
                rawStatus: report.rawStatus,
                startedAt: at,
              },
            ]
          : latest.attempts.map((attempt, index, all) =>
              index === all.length - 1 ? { ...attempt, status: report.status, rawStatus: report.rawStatus } : attempt,
            );
      const current = attempts.at(-1)!;
      return {
        customer: {
          ...latest,
          attempts,
          providerCustomerId: current.providerCustomerId,
          providerReference: current.providerReference,
          rawStatus: report.rawStatus,
          updatedAt: at,
          version: latest.version + 1,
        },
        events: [],
      };
    });
  }

  async function activate(customerId: string): Promise<Customer> {
    return customerLock.run(customerId, async () => {
      const customer = await mustGet(customerId);
      const provider = providerById(customer.provider);
      if (provider.capabilities.activation !== 'explicit' || provider.activate === undefined) {
        throw new InvalidStateError(
          'activate',
          customer.status,
          `${provider.id} has activation '${provider.capabilities.activation}': there is nothing to call`,
        );
      }
      if (customer.status === 'active') return customer;
      if (customer.status !== 'verified') {
        throw new InvalidStateError('activate', customer.status, 'only verified customers can be activated');
      }
      const askedAt = clock();
      const report = await provider.activate(
        {
          customerId: customer.id,
          providerCustomerId: customer.providerCustomerId,
          providerReference: customer.providerReference,
        },
        callContext(`activate:${customer.id}`),
      );
      return applyWithRetry(customerId, report, 'api', askedAt);
    });
  }

  async function refreshCustomer(customerId: string, source: EventSource, now?: Date): Promise<Customer> {
    const customer = await mustGet(customerId);
    const provider = providerById(customer.provider);
    const askedAt = clock();
    const report = await provider.fetch(
      {
        customerId: customer.id,
        providerCustomerId: customer.providerCustomerId,
        providerReference: customer.providerReference,
      },
      callContext(`fetch:${customer.id}`),
    );
    const checkedAt = (now ?? clock()).toISOString();
    // The customer read before the call is the first `latest`: if anything changed it
    // meanwhile, the versioned commit fails and the change is re-read and re-applied.
    return applyWithRetry(
      customerId,
      report,
      source === 'api' ? 'poll' : source,
      askedAt,
      (next) => ({ ...next, lastCheckedAt: checkedAt }),
      customer,
    );
  }

  async function handleWebhook(providerId: string, delivery: WebhookDelivery): Promise<WebhookResult> {
    const provider = providers.get(providerId);
    if (provider === undefined) {
      throw new WebhookVerificationError('unknown_provider', `No provider '${providerId}' is configured; check the webhook URL.`);
    }
    if (provider.webhooks === undefined || !provider.capabilities.webhooks) {
      throw new WebhookVerificationError(
        'not_supported',
        `Provider '${providerId}' does not send webhooks; run reconcile() on a schedule instead.`,
      );
    }
    const request: WebhookRequest = {
      headers: normalizeHeaders(delivery.headers),
      rawBody: toRawBytes(delivery.body),
      now: clock(),
    };
    provider.webhooks.verify(request);
    const parsed = parseWebhook(provider, request);
    const dedupe = { provider: provider.id, key: parsed.dedupeKey };

    if (await store.hasProcessed(dedupe.provider, dedupe.key)) return { events: [], duplicate: true };
    if (parsed.kind === 'ignored') {
      const result = await store.commit({ dedupe });
      return { events: [], duplicate: !result.ok, ignored: parsed.reason };
    }

    for (let attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
      const customer = await store.findByProviderCustomerId(provider.id, parsed.report.providerCustomerId);
      if (customer === undefined) {
        // Not recorded as processed: if the customer is being created right now, a redelivery must still apply.
        logger.warn({ provider: provider.id, dedupeKey: dedupe.key }, 'webhook for an unknown provider customer ignored');
        return { events: [], duplicate: false, ignored: 'unknown_customer' };
      }
      const outcome = applyProviderReport(customer, parsed.report, 'webhook', clock(), request.now);
      const result = await store.commit({
        customer: outcome.customer,
        expectedVersion: customer.version,
        events: outcome.events,
        dedupe,
      });
      if (result.ok) {
        bus.publish(outcome.events);
        if (outcome.outcome === 'ignored') return { events: [], duplicate: false, ignored: outcome.reason };
        // Already known (e.g. the API answer got there first): say so rather than return silence.
        if (outcome.events.length === 0) return { events: [], duplicate: false, ignored: 'unchanged' };
        return { events: outcome.events, duplicate: false };
      }
      if (result.reason === 'duplicate_delivery') return { events: [], duplicate: true };
    }
    throw contentionError(provider.id);
  }

  function validate(application: unknown, providerId?: string): ValidationResult {
    const provider = providerById(providerId ?? defaultProvider!);
    const result = validateApplication(application, provider.capabilities, {
      now: clock,
      providerValidate: provider.validate?.bind(provider),
    });
    return result.success ? { valid: true, issues: [] } : { valid: false, issues: result.issues };
  }

  /** Applies a report with optimistic concurrency: a lost race re-reads and re-applies. */
  async function applyWithRetry(
    customerId: string,
    report: ProviderReport,
    source: EventSource,
    receivedAt: Date,
    decorate: (next: Customer) => Customer = (next) => next,
    known?: Customer,
  ): Promise<Customer> {
    return commitWithRetry(
      customerId,
      (latest) => {
        const outcome = applyProviderReport(latest, report, source, clock(), receivedAt);
        if (outcome.outcome === 'ignored') {
          logger.info({ customerId, provider: latest.provider, reason: outcome.reason, source }, 'provider report ignored');
        }
        return { customer: decorate(outcome.customer), events: outcome.events };
      },
      known,
    );
  }

  async function commitOverdue(customerId: string, now: Date, known?: Customer): Promise<readonly KycEvent[]> {
    let emitted: readonly KycEvent[] = [];
    await commitWithRetry(customerId, (latest) => {
      const change = reviewOverdue(latest, providerById(latest.provider).capabilities, now);
      emitted = change.events;
      return change;
    }, known);
    return emitted;
  }

  /**
   * Runs `change` on the latest stored customer and commits it; on a version conflict
   * re-reads and runs it again. `change` may return no customer to commit nothing.
   */
  async function commitWithRetry(
    customerId: string,
    change: (latest: Customer) => { customer: Customer | undefined; events: readonly KycEvent[] },
    known?: Customer,
  ): Promise<Customer> {
    for (let attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
      // `known`: a version the caller just read or committed, tried first instead of reading it
      // again (a read is a decode in memoryStore, a query in a durable store); a stale one
      // loses the versioned commit and the loop re-reads.
      const latest = attempt === 0 && known !== undefined ? known : await mustGet(customerId);
      const next = change(latest);
      if (next.customer === undefined) return latest;
      const result = await store.commit({ customer: next.customer, expectedVersion: latest.version, events: next.events });
      if (result.ok) {
        bus.publish(next.events);
        return next.customer;
      }
    }
    throw contentionError(customerId);
  }

  async function mustGet(customerId: string): Promise<Customer> {
    const customer = await store.get(customerId);
    if (customer === undefined) {
      throw new NotFoundError(`No customer '${customerId}' in the store; check the id (createCustomer returns it).`);
    }
    return customer;
  }

  function providerById(id: string): KycProvider {
    const provider = providers.get(id);
    if (provider === undefined) {
      throw new ConfigurationError(
        `Provider '${id}' is not configured; add its adapter to createKyc({ providers }) (configured: ${[...providers.keys()].join(', ')}).`,
      );
    }
    return provider;
  }

  function callContext(idempotencyKey: string): ProviderCallContext {
    return { logger, now: clock, idempotencyKey };
  }
}

function parseWebhook(provider: KycProvider, request: WebhookRequest) {
  try {
    return provider.webhooks!.parse(request);
  } catch (error) {
    if (WebhookVerificationError.isInstance(error)) throw error;
    throw new WebhookVerificationError('malformed_body', `The ${provider.id} webhook body could not be parsed; answer 400.`, {
      cause: error,
    });
  }
}

function indexProviders(list: readonly KycProvider[]): ReadonlyMap<string, KycProvider> {
  if (list.length === 0) throw new ConfigurationError('createKyc needs at least one provider adapter in `providers`.');
  const map = new Map<string, KycProvider>();
  for (const provider of list) {
    if (provider.specificationVersion !== KYC_PROVIDER_SPEC_VERSION) {
      throw new ConfigurationError(
        `Adapter '${provider.id}' implements provider spec '${String(provider.specificationVersion)}', this core needs '${KYC_PROVIDER_SPEC_VERSION}': upgrade the adapter or core so they match.`,
      );
    }
    if (map.has(provider.id)) throw new ConfigurationError(`Two adapters have the id '${provider.id}'; ids must be unique.`);
    map.set(provider.id, provider);
  }
  return map;
}

function contentionError(subject: string): KycError {
  return new KycError('store_conflict', `Too many concurrent changes to '${subject}'; try again.`, { retryable: true });
}

function zodIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.filter((part): part is string | number => typeof part !== 'symbol'),
    code: issue.code,
    message: issue.message,
  }));
}
