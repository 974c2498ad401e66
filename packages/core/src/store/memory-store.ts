import type { Customer } from '../models/customer.js';
import type { KycEvent } from '../models/events.js';
import type { CommitResult, CustomerStore, StoreCommit, StoreListQuery } from './customer-store.js';

/**
 * The embedded default store. Every commit runs synchronously between awaits,
 * so checks and writes are atomic within one process without locks.
 * Customers are kept as frozen objects: callers can never mutate stored state.
 */
export function memoryStore(): CustomerStore {
  const customers = new Map<string, Customer>();
  const byReference = new Map<string, string>();
  const byProviderRecord = new Map<string, string>();
  const events = new Map<string, KycEvent[]>();
  const processed = new Set<string>();

  return {
    async get(customerId) {
      return customers.get(customerId);
    },
    async findByReference(reference) {
      const id = byReference.get(reference);
      return id === undefined ? undefined : customers.get(id);
    },
    async findByProviderCustomerId(provider, providerCustomerId) {
      const id = byProviderRecord.get(providerRecordKey(provider, providerCustomerId));
      return id === undefined ? undefined : customers.get(id);
    },
    async hasProcessed(provider, dedupeKey) {
      return processed.has(dedupeRecordKey(provider, dedupeKey));
    },
    async commit(change) {
      return commitChange(change);
    },
    async listEvents(customerId) {
      return events.get(customerId) ?? [];
    },
    async *list(query: StoreListQuery = {}) {
      const statuses = query.statuses === undefined ? undefined : new Set(query.statuses);
      // Snapshot the ids so commits during iteration do not disturb it.
      for (const id of [...customers.keys()]) {
        const customer = customers.get(id);
        if (customer === undefined) continue;
        if (statuses !== undefined && !statuses.has(customer.status)) continue;
        if (query.provider !== undefined && customer.provider !== query.provider) continue;
        yield customer;
      }
    },
  };

  function commitChange(change: StoreCommit): CommitResult {
    const dedupeKey = change.dedupe === undefined ? undefined : dedupeRecordKey(change.dedupe.provider, change.dedupe.key);
    if (dedupeKey !== undefined && processed.has(dedupeKey)) return { ok: false, reason: 'duplicate_delivery' };

    const next = change.customer;
    if (next !== undefined) {
      const current = customers.get(next.id);
      const expected = change.expectedVersion ?? 0;
      if ((current?.version ?? 0) !== expected || next.version !== expected + 1) {
        return { ok: false, reason: 'version_conflict' };
      }
      const owner = byReference.get(next.reference);
      if (owner !== undefined && owner !== next.id) return { ok: false, reason: 'reference_taken' };

      customers.set(next.id, deepFreeze(structuredClone(next)));
      byReference.set(next.reference, next.id);
      for (const attempt of next.attempts) {
        byProviderRecord.set(providerRecordKey(next.provider, attempt.providerCustomerId), next.id);
      }
      byProviderRecord.set(providerRecordKey(next.provider, next.providerCustomerId), next.id);
      if (change.events !== undefined && change.events.length > 0) {
        const history = events.get(next.id) ?? [];
        for (const event of change.events) history.push(deepFreeze(structuredClone(event)));
        events.set(next.id, history);
      }
    }
    if (dedupeKey !== undefined) processed.add(dedupeKey);
    return { ok: true };
  }
}

function providerRecordKey(provider: string, providerCustomerId: string): string {
  return `${provider}\u0000${providerCustomerId}`;
}

function dedupeRecordKey(provider: string, key: string): string {
  return `${provider}\u0000${key}`;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
