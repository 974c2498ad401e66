import { ConfigurationError, KycError, NotFoundError } from '../errors.js';
import type { KycLogger } from '../logging/logger.js';
import type { Customer, EventSource } from '../models/customer.js';
import type { KycEvent } from '../models/events.js';
import type { KycProvider, ProviderCallContext, ProviderReport } from '../provider/kyc-provider.js';
import type { CustomerStore } from '../store/customer-store.js';
import { withCallScope } from '../telemetry/call-scope.js';
import type { KycInstruments } from '../telemetry/kyc-telemetry.js';
import { applyProviderReport } from './apply-provider-report.js';
import type { EventBus } from './event-bus.js';
import type { KeyedMutex } from './keyed-mutex.js';
import { reconcileDueAt } from './reconcile-due.js';
import type { ReconcileSchedule } from './reconcile-schedule.js';

/**
 * What every use case works with: the store, the adapters, the clock, the
 * (already redacting) logger and the in-process event bus. `createKyc` builds
 * one per client. The helpers below are the few steps every use case shares:
 * read a customer, commit a change with optimistic concurrency, publish after
 * commit.
 */
export interface KycContext {
  readonly store: CustomerStore;
  readonly providers: ReadonlyMap<string, KycProvider>;
  /** Where new customers go. */
  readonly defaultProvider: string;
  /** Redacting; log ids, statuses and codes only. */
  readonly logger: KycLogger;
  /** The client's tracer and metric instruments (no-ops unless the app registers OpenTelemetry). */
  readonly instruments: KycInstruments;
  /** In-process, after-commit notifications (`kyc.on` / `kyc.subscribe`). */
  readonly bus: EventBus;
  /** One provider operation per customer at a time in this process (no double upload). */
  readonly customerLock: KeyedMutex;
  readonly reconcileSchedule: Partial<ReconcileSchedule> | undefined;
  /** A parked webhook older than this is reported as stale (`kyc.listParkedWebhooks`, reconcile's warning). */
  readonly parkedStaleAfterMs: number;
  now(): Date;
}

/** The change a use case wants to commit on top of the latest stored customer (`customer` absent: nothing). */
export interface CustomerChange {
  readonly customer: Customer | undefined;
  readonly events: readonly KycEvent[];
}

/** A lost optimistic-concurrency race is re-read and re-applied at most this often. */
export const MAX_COMMIT_ATTEMPTS = 64;

/** The stored customer, or `NotFoundError`. */
export async function mustGetCustomer(ctx: KycContext, customerId: string): Promise<Customer> {
  const customer = await ctx.store.get(customerId);
  if (customer === undefined) {
    throw new NotFoundError(`No customer '${customerId}' in the store; check the id (createCustomer returns it).`);
  }
  return customer;
}

/** The configured adapter with this id, or `ConfigurationError`. */
export function providerById(ctx: KycContext, id: string): KycProvider {
  const provider = ctx.providers.get(id);
  if (provider === undefined) {
    throw new ConfigurationError(
      `Provider '${id}' is not configured; add its adapter to createKyc({ providers }) (configured: ${[...ctx.providers.keys()].join(', ')}).`,
    );
  }
  return provider;
}

/**
 * What an adapter call gets: the redacting logger (carrying the operation's telemetry scope to the HTTP
 * toolkit), the clock, and a key stable for the logical operation.
 */
export function callContext(ctx: KycContext, provider: KycProvider, operation: string, idempotencyKey: string): ProviderCallContext {
  const scope = operationScope(ctx, provider.id, operation);
  return { logger: scope.logger, now: scope.now, idempotencyKey };
}

/** What every call of one operation shares: its scoped logger and the client's clock. */
interface OperationScope {
  readonly logger: KycLogger;
  readonly now: () => Date;
}

/**
 * The operation's scope, made once per client, provider and operation: it holds no per-call state, and the
 * HTTP toolkit keeps its per-logger call context (redacting wrapper, span scope) by logger identity, so a
 * fresh logger per call (reconcile: one per customer) was a miss there every time; the clock closure is
 * shared the same way.
 */
function operationScope(ctx: KycContext, providerId: string, operation: string): OperationScope {
  let byProvider = operationScopes.get(ctx);
  if (byProvider === undefined) {
    byProvider = new Map();
    operationScopes.set(ctx, byProvider);
  }
  let byOperation = byProvider.get(providerId);
  if (byOperation === undefined) {
    byOperation = new Map();
    byProvider.set(providerId, byOperation);
  }
  let scope = byOperation.get(operation);
  if (scope === undefined) {
    scope = {
      logger: withCallScope(ctx.logger, { instruments: ctx.instruments, provider: providerId, operation }),
      now: () => ctx.now(),
    };
    byOperation.set(operation, scope);
  }
  return scope;
}

/** client context → provider id → operation → scope (a handful per client). */
const operationScopes = new WeakMap<KycContext, Map<string, Map<string, OperationScope>>>();

/**
 * Runs `change` on the latest stored customer and commits it; on a version conflict re-reads and runs it
 * again. Events are published only after their commit.
 */
export async function commitWithRetry(
  ctx: KycContext,
  customerId: string,
  change: (latest: Customer) => CustomerChange,
  known?: Customer,
): Promise<Customer> {
  for (let attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
    // `known`: a version the caller just read or committed, tried first instead of reading it
    // again (a read is a decode in memoryStore, a query in a durable store); a stale one
    // loses the versioned commit and the loop re-reads.
    const latest = attempt === 0 && known !== undefined ? known : await mustGetCustomer(ctx, customerId);
    const next = change(latest);
    if (next.customer === undefined) return latest;
    const result = await ctx.store.commit({
      customer: next.customer,
      expectedVersion: latest.version,
      events: next.events,
      reconcileDueAt: reconcileDueAt(ctx.reconcileSchedule, next.customer),
    });
    if (result.ok) {
      ctx.bus.publish(next.events);
      return next.customer;
    }
  }
  throw contentionError(customerId);
}

/**
 * Applies a provider report (the answer to our call, or a poll) with optimistic concurrency: a lost race
 * re-reads and re-applies. `askedAt` orders it (docs/lifecycle-ordering.md); `decorate` adds what the
 * use case records beside the lifecycle (submission count, last check). It gets the fresh customer object
 * `applyProviderReport` made for this attempt (never the stored or `known` one), so it may set fields on it.
 */
export function applyReportWithRetry(
  ctx: KycContext,
  customerId: string,
  report: ProviderReport,
  source: EventSource,
  askedAt: Date,
  decorate: (next: Customer) => Customer = (next) => next,
  known?: Customer,
): Promise<Customer> {
  return commitWithRetry(
    ctx,
    customerId,
    (latest) => {
      const outcome = applyProviderReport(latest, report, source, ctx.now(), askedAt);
      if (outcome.outcome === 'ignored') {
        ctx.logger.info({ customerId, provider: latest.provider, reason: outcome.reason, source }, 'provider report ignored');
      }
      return { customer: decorate(outcome.customer), events: outcome.events };
    },
    known,
  );
}

/** Too many writers on one subject: retryable. */
export function contentionError(subject: string): KycError {
  return new KycError('store_conflict', `Too many concurrent changes to '${subject}'; try again.`, { retryable: true });
}
