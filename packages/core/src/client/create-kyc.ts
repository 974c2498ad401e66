import { ConfigurationError } from '../errors.js';
import { silentLogger } from '../logging/logger.js';
import { redactingLogger } from '../logging/redact.js';
import { createKycInstruments } from '../telemetry/kyc-telemetry.js';
import { KYC_PROVIDER_SPEC_VERSION, type KycProvider } from '../provider/kyc-provider.js';
import { memoryStore } from '../store/memory-store.js';
import { countCustomers } from './count-customers.js';
import { createConsumers } from './consumer.js';
import { createEventBus } from './event-bus.js';
import { createKeyedMutex } from './keyed-mutex.js';
import type { Kyc, KycOptions } from './kyc.js';
import { mustGetCustomer, type KycContext } from './kyc-context.js';
import { countingTransitions, traceDelivery, traceReconcile, traceSubmit } from './traced-use-cases.js';
import { listCustomers } from './list-customers.js';
import { listAuditEntries, recordAuditEntry } from './audit-entries.js';
import { applyOneParkedWebhook } from './use-cases/apply-parked-webhook.js';
import { activateCustomer } from './use-cases/activate-customer.js';
import { createCustomer } from './use-cases/create-customer.js';
import { forgetCustomer } from './use-cases/forget-customer.js';
import { ingestWebhook } from './use-cases/ingest-webhook.js';
import { applyWaitingParked, listParkedWebhooks } from './use-cases/parked-webhooks.js';
import { reconcileCustomers } from './use-cases/reconcile.js';
import { startReconciler } from './use-cases/start-reconciler.js';
import { refreshCustomer } from './use-cases/refresh-customer.js';
import { submitApplication, validateForProvider } from './use-cases/submit-application.js';

/**
 * Creates the openkyc client: one context (store, adapters, clock, redacting
 * logger, event bus) wired into one module per use case. Throws
 * `ConfigurationError` when no provider is given, two share an id,
 * `defaultProvider` is not one of them, or an adapter implements another
 * version of the adapter contract.
 */
export function createKyc(options: KycOptions): Kyc {
  const ctx = createContext(options);
  const consumers = createConsumers(ctx.store, ctx.logger, ctx.instruments);
  return {
    store: ctx.store,
    providers: ctx.providers,
    logger: ctx.logger,
    createCustomer: (input) => createCustomer(ctx, input),
    submit: (customerId, application) => traceSubmit(ctx, customerId, () => submitApplication(ctx, customerId, application)),
    getCustomer: (customerId) => mustGetCustomer(ctx, customerId),
    findCustomerByReference: (reference) => ctx.store.findByReference(reference),
    findCustomerByProviderCustomerId: (provider, id) => ctx.store.findByProviderCustomerId(provider, id),
    listCustomers: (query) => listCustomers(ctx.store, query),
    countCustomers: (countOptions) => countCustomers(ctx.store, ctx.providers, countOptions?.now ?? ctx.now()),
    listEvents: (customerId) => ctx.store.listEvents(customerId),
    forgetCustomer: (customerId) => forgetCustomer(ctx, customerId),
    refresh: (customerId) => refreshCustomer(ctx, customerId, 'api'),
    activate: (customerId) => activateCustomer(ctx, customerId),
    handleWebhook: (providerId, delivery) => traceDelivery(ctx, providerId, () => ingestWebhook(ctx, providerId, delivery)),
    reconcile: (reconcileOptions) => traceReconcile(ctx, () => reconcileCustomers(ctx, reconcileOptions ?? {})),
    startReconciler: (reconcilerOptions) => startReconciler(ctx, reconcilerOptions),
    listParkedWebhooks: (listOptions) => listParkedWebhooks(ctx, listOptions),
    applyParkedWebhooks: () => applyWaitingParked(ctx, ctx.now()),
    applyParkedWebhook: (provider, dedupeKey) => applyOneParkedWebhook(ctx, provider, dedupeKey),
    listDeliveries: (customerId) => ctx.store.listDeliveries(customerId),
    recordAuditEntry: (entry) => recordAuditEntry(ctx, entry),
    listAuditEntries: (query) => listAuditEntries(ctx, query),
    validate: (application, providerId) => validateForProvider(ctx, application, providerId),
    on: (type, handler) => ctx.bus.on(type, handler),
    subscribe: (handler) => ctx.bus.subscribe(handler),
    consume: (name, handler, consumeOptions) => consumers.consume(name, handler, consumeOptions),
    listConsumers: () => ctx.store.listConsumers(),
    listDeadLetters: (name) => consumers.listDeadLetters(name),
    retryDeadLetter: (name, eventId) => consumers.retryDeadLetter(name, eventId),
    async close() {
      await Promise.all([...ctx.providers.values()].map((provider) => provider.close?.()));
    },
  };
}

// --- helpers ---------------------------------------------------------------

function createContext(options: KycOptions): KycContext {
  const providers = indexProviders(options.providers);
  const defaultProvider = options.defaultProvider ?? options.providers[0]?.id;
  if (defaultProvider === undefined || !providers.has(defaultProvider)) {
    throw new ConfigurationError(
      `defaultProvider '${String(defaultProvider)}' is not one of the configured providers (${[...providers.keys()].join(', ')}).`,
      [{ path: ['defaultProvider'], code: 'unknown_provider', message: 'must be the id of a configured provider' }],
    );
  }
  const logger = redactingLogger(options.logger ?? silentLogger);
  const instruments = createKycInstruments(options.telemetry);
  return {
    store: options.store ?? memoryStore(),
    providers,
    defaultProvider,
    logger,
    instruments,
    bus: countingTransitions(createEventBus(logger), instruments),
    customerLock: createKeyedMutex(),
    reconcileSchedule: options.reconcile,
    parkedStaleAfterMs: parkedStaleAfterMs(options),
    now: options.now ?? (() => new Date()),
  };
}

function parkedStaleAfterMs(options: KycOptions): number {
  const staleAfterMs = options.webhookInbox?.staleAfterMs ?? 86_400_000;
  if (typeof staleAfterMs !== 'number' || !Number.isFinite(staleAfterMs) || staleAfterMs < 0) {
    throw new ConfigurationError('webhookInbox.staleAfterMs is a number of milliseconds, 0 or more (default one day).', [
      { path: ['webhookInbox', 'staleAfterMs'], code: 'invalid', message: 'a number of milliseconds, 0 or more' },
    ]);
  }
  return staleAfterMs;
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
