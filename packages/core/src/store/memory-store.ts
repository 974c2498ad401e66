import type { Customer } from '../models/customer.js';
import type { CommitResult, CustomerStore, DeliveryLookup, ProcessedDelivery, StoreCommit, StoreListQuery } from './customer-store.js';
import { decideCommit, forgetEventFreeText, forgetPersonalData, providerRecordIds } from './commit-rules.js';
import { datePrefixOf, decodeCustomer, decodeEvents, encodeCustomer, encodeEvent, Entry, flatText } from './memory-store-codec.js';
import { memoryReconcileLeases } from './memory-reconcile-leases.js';
import { memoryWebhookInbox } from './memory-webhook-inbox.js';
import { memoryEventLog } from './memory-event-log.js';
import { memoryAuditTrail } from './memory-audit-trail.js';

/**
 * The embedded default store: maps and indexes. Every commit runs synchronously
 * between awaits, so checks and writes are atomic within one process without
 * locks; the checks themselves are the contract's (`commit-rules.ts`).
 *
 * Compact (`memory-store-codec.ts`): about 0.9 KiB per customer with five
 * events, against 4.4 KiB for frozen `structuredClone`s (see bench/, figure 4);
 * a read parses the text (JSON.parse, a few µs) and returns a fresh object, so
 * callers can never mutate stored state. Values must be JSON data, as for any
 * durable store.
 */
export function memoryStore(): CustomerStore {
  const entries = new Map<string, Entry>();
  const byReference = new Map<string, string>();
  /**
   * provider → provider customer id → the customer's entry (not its id: a webhook's lookup is one probe
   * fewer on a large store, where each probe is a cache miss). Entries are never replaced, only updated.
   */
  const byProviderRecord = new Map<string, Map<string, Entry>>();
  /** provider → processed dedupe keys */
  const processed = new Map<string, Set<string>>();
  /** Every committed event in commit order, with the consumers' checkpoints and dead letters. */
  const log = memoryEventLog((customerId) => {
    const entry = entries.get(customerId);
    return entry === undefined ? [] : decodeEvents(customerId, entry);
  });

  const read = (id: string | undefined): Customer | undefined => (id === undefined ? undefined : decoded(entries.get(id)));

  return {
    ...memoryWebhookInbox(),
    ...memoryAuditTrail(),
    ...memoryReconcileLeases({
      forEachInStatuses(statuses, visit) {
        for (const [id, entry] of entries) if (statuses.has(entry.status)) visit(id, entry.reconcileDueAt);
      },
      find: (id) => entries.get(id),
      decode: (entry) => decodeCustomer(entry.id, entry),
    }),
    readEventLog: log.readEventLog,
    claimConsumer: log.claimConsumer,
    renewConsumer: log.renewConsumer,
    releaseConsumer: log.releaseConsumer,
    saveCheckpoint: log.saveCheckpoint,
    addDeadLetter: log.addDeadLetter,
    removeDeadLetter: log.removeDeadLetter,
    listDeadLetters: log.listDeadLetters,
    listConsumers: log.listConsumers,
    requestDeadLetterRetry: log.requestDeadLetterRetry,
    watchEventLog: log.watchEventLog,
    async get(customerId) {
      return read(customerId);
    },
    async findByReference(reference) {
      return read(byReference.get(reference));
    },
    async findByProviderCustomerId(provider, providerCustomerId) {
      return decoded(byProviderRecord.get(provider)?.get(providerCustomerId));
    },
    async hasProcessed(provider, dedupeKey) {
      return processed.get(provider)?.has(dedupeKey) === true;
    },
    async lookupDelivery(provider, dedupeKey, providerCustomerId) {
      if (processed.get(provider)?.has(dedupeKey) === true) return PROCESSED;
      return { processed: false, customer: decoded(byProviderRecord.get(provider)?.get(providerCustomerId)) };
    },
    commit(change) {
      // Not `async`: a successful commit answers one shared, already settled promise (reconcile and
      // webhooks commit once per customer; an async wrapper allocated a promise for the same answer).
      try {
        const result = commitChange(change);
        return result === COMMITTED ? COMMITTED_PROMISE : Promise.resolve(result);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    async listEvents(customerId) {
      const entry = entries.get(customerId);
      return entry === undefined ? [] : decodeEvents(customerId, entry);
    },
    async listDeliveries(customerId) {
      const flat = entries.get(customerId)?.deliveries;
      const rows: ProcessedDelivery[] = [];
      if (flat === undefined) return rows;
      for (let index = 0; index < flat.length; index += 3) {
        const processedAt = new Date(flat[index + 2] as number).toISOString();
        rows.push({ provider: flat[index] as string, dedupeKey: flat[index + 1] as string, customerId, processedAt });
      }
      return rows;
    },
    async forget(customerId, forgottenAt) {
      const entry = entries.get(customerId);
      if (entry === undefined) return undefined;
      const forgotten = forgetPersonalData(decodeCustomer(customerId, entry), forgottenAt);
      const events = decodeEvents(customerId, entry).map(forgetEventFreeText);
      // Encode everything first: nothing is written unless all of it can be.
      const data = encodeCustomer(forgotten);
      const encodedEvents = events.map((event) => encodeEvent(event, forgotten, entry.datePrefix)).join(',');
      entry.data = data;
      entry.events = flatText(encodedEvents);
      entry.version = forgotten.version;
      return read(customerId);
    },
    async *list(query: StoreListQuery = {}) {
      const statuses = query.statuses === undefined ? undefined : new Set<string>(query.statuses);
      // Snapshot the ids so commits during iteration do not disturb it.
      for (const id of [...entries.keys()]) {
        const entry = entries.get(id);
        if (entry === undefined) continue;
        if (statuses !== undefined && !statuses.has(entry.status)) continue;
        if (query.provider !== undefined && entry.provider !== query.provider) continue;
        yield decodeCustomer(id, entry);
      }
    },
  };

  function commitChange(change: StoreCommit): CommitResult {
    const dedupe = change.dedupe;
    const processedKeys = dedupe === undefined ? undefined : processed.get(dedupe.provider);
    const next = change.customer;
    const current = next === undefined ? undefined : entries.get(next.id);
    // The index already says so when the reference is the stored one (it was claimed at creation).
    const sameReference = next !== undefined && current !== undefined && current.reference === next.reference;
    const decision = decideCommit(change, {
      storedVersion: current?.version ?? 0,
      referenceOwner: next === undefined || sameReference ? undefined : byReference.get(next.reference),
      alreadyProcessed: dedupe !== undefined && processedKeys?.has(dedupe.key) === true,
    });
    if (!decision.ok) return decision;

    if (next !== undefined) {
      // Encode everything first: nothing is written unless all of it can be.
      const datePrefix = datePrefixOf(next.createdAt);
      const data = encodeCustomer(next);
      let events = current?.events ?? '';
      const addedCount = change.events?.length ?? 0;
      if (
        current !== undefined &&
        events !== '' &&
        (current.reference !== next.reference ||
          current.provider !== next.provider ||
          current.providerCustomerId !== next.providerCustomerId ||
          current.datePrefix !== datePrefix)
      ) {
        // Events are written relative to the customer's identity: re-base them on the new one.
        events = decodeEvents(next.id, current).map((event) => encodeEvent(event, next, datePrefix)).join(',');
      }
      if (change.events !== undefined && change.events.length > 0) {
        const added = change.events.map((event) => encodeEvent(event, next, datePrefix));
        events = events === '' ? added.join(',') : [events, ...added].join(',');
      }

      const sameRecords =
        current !== undefined &&
        current.provider === next.provider &&
        current.providerCustomerId === next.providerCustomerId &&
        attemptsShareRecord(next);
      let entry = current;
      if (entry === undefined) {
        entry = new Entry(next.id, data, flatText(events), next.version, next.status, next.reference, next.provider, next.providerCustomerId, datePrefix);
        entries.set(next.id, entry);
      } else {
        entry.data = data;
        // Unchanged events are the stored (flat) text already: most commits of a poll add none.
        if (events !== entry.events) entry.events = flatText(events);
        entry.version = next.version;
        entry.status = next.status;
        entry.reference = next.reference;
        entry.provider = next.provider;
        entry.providerCustomerId = next.providerCustomerId;
        entry.datePrefix = datePrefix;
      }
      if (!sameReference) byReference.set(next.reference, next.id);
      // Index lookups are most of a commit's cost on a large store (cache misses): the provider
      // records are indexed again only when they may have changed.
      if (!sameRecords) {
        let records = byProviderRecord.get(next.provider);
        if (records === undefined) {
          records = new Map();
          byProviderRecord.set(next.provider, records);
        }
        for (const recordId of providerRecordIds(next)) records.set(recordId, entry);
      }
      entry.reconcileDueAt = change.reconcileDueAt;
      if (addedCount > 0) {
        if (entry.logSlot < 0) entry.logSlot = log.register(next.id);
        log.appended(entry.logSlot, addedCount);
      }
    }
    if (dedupe !== undefined) {
      let keys = processedKeys;
      if (keys === undefined) {
        keys = new Set();
        processed.set(dedupe.provider, keys);
      }
      keys.add(dedupe.key);
      if (next !== undefined) {
        // A number, formatted when listed: an ISO string per delivery cost more than the rest of this step.
        const entry = current ?? entries.get(next.id)!;
        const processedAt = Date.now();
        if (entry.deliveries === undefined) entry.deliveries = [dedupe.provider, dedupe.key, processedAt];
        else entry.deliveries.push(dedupe.provider, dedupe.key, processedAt);
      }
    }
    return COMMITTED;
  }
}

/** Every successful commit's answer (frozen: one object serves all of them). */
const COMMITTED: CommitResult = Object.freeze({ ok: true });
/** `COMMITTED`, settled: what `commit` answers for every successful commit. */
const COMMITTED_PROMISE: Promise<CommitResult> = Promise.resolve(COMMITTED);

function decoded(entry: Entry | undefined): Customer | undefined {
  return entry === undefined ? undefined : decodeCustomer(entry.id, entry);
}

/** Every attempt is on the customer's current provider record (a loop: no closure per commit). */
function attemptsShareRecord(customer: Customer): boolean {
  const attempts = customer.attempts;
  for (let index = 0; index < attempts.length; index++) {
    if (attempts[index]!.providerCustomerId !== customer.providerCustomerId) return false;
  }
  return true;
}

/** The answer for every duplicate: nothing in it to mutate (frozen), so one object serves all of them. */
const PROCESSED: DeliveryLookup = Object.freeze({ processed: true });
