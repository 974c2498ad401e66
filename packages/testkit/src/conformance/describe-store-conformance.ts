import type { Customer, CustomerStore, KycEvent } from '@openkyc/core';
import { describe, expect, it } from 'vitest';
import { storedEvent } from '../fixtures/stored-customer.js';
import { withFreshStore } from './with-fresh-store.js';
import { describeInboxAndLeaseConformance } from './describe-inbox-lease-conformance.js';
import { describeEventLogConformance } from './describe-event-log-conformance.js';
import { describeOperationsConformance } from './describe-operations-conformance.js';

/** Options of `describeStoreConformance`. */
export interface StoreConformanceOptions {
  /** Called after each test with the store it made (close it, drop its tables). */
  readonly teardown?: (store: CustomerStore) => Promise<void>;
  /**
   * Another handle on the same data as `store` (durable stores: a second pool or connection, as a second
   * process would have). Closed with `teardown`. Absent: the concurrency tests use `store` for every writer.
   */
  readonly openAnother?: (store: CustomerStore) => Promise<CustomerStore>;
}

/**
 * The store contract every `CustomerStore` must keep (abstract-level style: one
 * function, a factory per test). Registers its tests in the caller's vitest run:
 *
 * ```ts
 * describeStoreConformance('memoryStore', () => memoryStore());
 * ```
 */
export function describeStoreConformance(
  name: string,
  createStore: () => CustomerStore | Promise<CustomerStore>,
  options: StoreConformanceOptions = {},
): void {
  describe(`CustomerStore conformance: ${name}`, () => {
    const withStore = withFreshStore(createStore, options.teardown);

    it(
      'creates a customer at version 1 and reads it by id, reference and provider record',
      withStore(async (store) => {
        const customer = customerWith();
        expect(await store.commit({ customer, expectedVersion: 0, events: [storedEvent(customer, 1)] })).toEqual({ ok: true });
        expect(await store.get(customer.id)).toEqual(customer);
        expect(await store.findByReference(customer.reference)).toEqual(customer);
        expect(await store.findByProviderCustomerId('p', 'rec_1')).toEqual(customer);
        expect(await store.findByProviderCustomerId('other', 'rec_1')).toBeUndefined();
        expect(await store.get('cus_missing')).toBeUndefined();
        expect(await store.listEvents(customer.id)).toEqual([storedEvent(customer, 1)]);
      }),
    );

    it(
      'refuses a second customer with the same reference',
      withStore(async (store) => {
        await store.commit({ customer: customerWith(), expectedVersion: 0 });
        const twin = customerWith({ id: 'cus_twin', providerCustomerId: 'rec_2' });
        expect(await store.commit({ customer: twin, expectedVersion: 0 })).toEqual({ ok: false, reason: 'reference_taken' });
        expect(await store.get('cus_twin')).toBeUndefined();
      }),
    );

    it(
      'accepts only version = expected + 1 against the stored version',
      withStore(async (store) => {
        const v1 = customerWith();
        await store.commit({ customer: v1, expectedVersion: 0 });
        const v2 = { ...v1, status: 'pending' as const, version: 2 };
        expect(await store.commit({ customer: { ...v1, version: 3 }, expectedVersion: 1 })).toMatchObject({ ok: false, reason: 'version_conflict' });
        expect(await store.commit({ customer: v2, expectedVersion: 2 })).toMatchObject({ ok: false, reason: 'version_conflict' });
        expect(await store.commit({ customer: v2, expectedVersion: 1 })).toEqual({ ok: true });
        expect(await store.commit({ customer: { ...v2, status: 'verified' }, expectedVersion: 1 })).toMatchObject({ ok: false, reason: 'version_conflict' });
        expect((await store.get(v1.id))?.status).toBe('pending');
      }),
    );

    it(
      'commits a change, its events and its dedupe key together or not at all',
      withStore(async (store) => {
        const v1 = customerWith();
        await store.commit({ customer: v1, expectedVersion: 0, events: [storedEvent(v1, 1)] });
        const v2 = { ...v1, status: 'pending' as const, version: 2 };
        const dedupe = { provider: 'p', key: 'evt_a' };
        // A stale writer: nothing of its change may land, not even the dedupe key.
        expect(await store.commit({ customer: { ...v2, version: 3 }, expectedVersion: 2, events: [storedEvent(v2, 2)], dedupe })).toMatchObject({ ok: false });
        expect(await store.hasProcessed('p', 'evt_a')).toBe(false);
        expect(await store.listEvents(v1.id)).toHaveLength(1);

        expect(await store.commit({ customer: v2, expectedVersion: 1, events: [storedEvent(v2, 2)], dedupe })).toEqual({ ok: true });
        expect(await store.hasProcessed('p', 'evt_a')).toBe(true);
        expect(await store.hasProcessed('other-provider', 'evt_a')).toBe(false);
        expect((await store.listEvents(v1.id)).map((e) => e.id)).toEqual([storedEvent(v1, 1).id, storedEvent(v2, 2).id]);

        // The same delivery again is refused as a duplicate, whatever it carries.
        const v3 = { ...v2, status: 'verified' as const, version: 3 };
        expect(await store.commit({ customer: v3, expectedVersion: 2, events: [storedEvent(v3, 3)], dedupe })).toEqual({
          ok: false,
          reason: 'duplicate_delivery',
        });
        expect((await store.get(v1.id))?.version).toBe(2);
        expect(await store.listEvents(v1.id)).toHaveLength(2);
      }),
    );

    it(
      'records a dedupe key on its own (deliveries that concern no stored customer)',
      withStore(async (store) => {
        expect(await store.commit({ dedupe: { provider: 'p', key: 'evt_lonely' } })).toEqual({ ok: true });
        expect(await store.hasProcessed('p', 'evt_lonely')).toBe(true);
        expect(await store.commit({ dedupe: { provider: 'p', key: 'evt_lonely' } })).toEqual({ ok: false, reason: 'duplicate_delivery' });
      }),
    );

    it(
      'lets exactly one of many concurrent writers of the same version win',
      withStore(async (store) => {
        const v1 = customerWith();
        await store.commit({ customer: v1, expectedVersion: 0 });
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.commit({
              customer: { ...v1, rawStatus: `writer-${i}`, version: 2 },
              expectedVersion: 1,
              events: [storedEvent(v1, 2)],
              dedupe: { provider: 'p', key: `evt_${i}` },
            }),
          ),
        );
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(await store.listEvents(v1.id)).toHaveLength(1);
        const processed = await Promise.all(Array.from({ length: 20 }, (_, i) => store.hasProcessed('p', `evt_${i}`)));
        expect(processed.filter(Boolean)).toHaveLength(1);
      }),
    );

    it(
      'lets exactly one of many concurrent deliveries of one dedupe key win',
      withStore(async (store) => {
        const customers = Array.from({ length: 10 }, (_, i) => customerWith({ id: `cus_${i}`, reference: `ref-${i}`, providerCustomerId: `rec_${i}` }));
        for (const customer of customers) await store.commit({ customer, expectedVersion: 0 });
        const results = await Promise.all(
          customers.map((customer) =>
            store.commit({ customer: { ...customer, version: 2 }, expectedVersion: 1, dedupe: { provider: 'p', key: 'evt_same' } }),
          ),
        );
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.filter((r) => !r.ok && r.reason === 'duplicate_delivery')).toHaveLength(9);
      }),
    );

    it(
      'finds a customer by any of its attempts\' provider records',
      withStore(async (store) => {
        const v1 = customerWith();
        await store.commit({ customer: v1, expectedVersion: 0 });
        const retried: Customer = {
          ...v1,
          providerCustomerId: 'rec_r2',
          providerReference: 'user-1-r2',
          attempts: [...v1.attempts, { number: 2, providerCustomerId: 'rec_r2', providerReference: 'user-1-r2', status: 'created', rawStatus: 'created', startedAt: v1.createdAt }],
          version: 2,
        };
        await store.commit({ customer: retried, expectedVersion: 1 });
        expect((await store.findByProviderCustomerId('p', 'rec_1'))?.id).toBe(v1.id);
        expect((await store.findByProviderCustomerId('p', 'rec_r2'))?.id).toBe(v1.id);
      }),
    );

    it(
      'looks up a delivery in one read: a committed dedupe key is processed, else the customer by any of its provider records',
      withStore(async (store) => {
        const v1 = customerWith();
        expect(await store.lookupDelivery('p', 'evt_new', 'rec_1')).toEqual({ processed: false, customer: undefined });
        await store.commit({ customer: v1, expectedVersion: 0 });
        const retried: Customer = {
          ...v1,
          providerCustomerId: 'rec_r2',
          attempts: [...v1.attempts, { number: 2, providerCustomerId: 'rec_r2', providerReference: 'user-1-r2', status: 'created', rawStatus: 'created', startedAt: v1.createdAt }],
          version: 2,
        };
        await store.commit({ customer: retried, expectedVersion: 1, dedupe: { provider: 'p', key: 'evt_done' } });
        expect(await store.lookupDelivery('p', 'evt_new', 'rec_r2')).toEqual({ processed: false, customer: retried });
        expect(await store.lookupDelivery('p', 'evt_new', 'rec_1')).toEqual({ processed: false, customer: retried });
        expect(await store.lookupDelivery('p', 'evt_new', 'rec_unknown')).toEqual({ processed: false, customer: undefined });
        expect(await store.lookupDelivery('p', 'evt_done', 'rec_r2')).toEqual({ processed: true });
        // Keys are per provider, records too.
        expect(await store.lookupDelivery('q', 'evt_done', 'rec_r2')).toEqual({ processed: false, customer: undefined });
      }),
    );

    it(
      'lists customers filtered by status and provider',
      withStore(async (store) => {
        const a = customerWith({ id: 'cus_a', reference: 'a', providerCustomerId: 'rec_a', status: 'pending' });
        const b = customerWith({ id: 'cus_b', reference: 'b', providerCustomerId: 'rec_b', status: 'verified' });
        const c = customerWith({ id: 'cus_c', reference: 'c', providerCustomerId: 'rec_c', status: 'pending', provider: 'q' });
        for (const customer of [a, b, c]) await store.commit({ customer, expectedVersion: 0 });
        const ids = async (query?: Parameters<CustomerStore['list']>[0]) => {
          const found: string[] = [];
          for await (const customer of store.list(query)) found.push(customer.id);
          return found.sort();
        };
        expect(await ids()).toEqual(['cus_a', 'cus_b', 'cus_c']);
        expect(await ids({ statuses: ['pending'] })).toEqual(['cus_a', 'cus_c']);
        expect(await ids({ statuses: ['pending'], provider: 'p' })).toEqual(['cus_a']);
        expect(await ids({ statuses: [] })).toEqual([]);
      }),
    );

    it(
      'does not let callers mutate stored state through returned objects',
      withStore(async (store) => {
        const customer = customerWith();
        await store.commit({ customer, expectedVersion: 0 });
        const read = (await store.get(customer.id)) as { status: string } | undefined;
        try {
          if (read) read.status = 'active';
        } catch {
          // frozen objects throw in strict mode: also fine
        }
        expect((await store.get(customer.id))?.status).toBe('created');
      }),
    );

    it(
      'keeps every field of a customer and of each event type exactly as committed',
      withStore(async (store) => {
        const full = fullCustomer();
        const events = everyEventType(full);
        expect(await store.commit({ customer: full, expectedVersion: 0, events })).toEqual({ ok: true });
        expect(await store.get(full.id)).toEqual(full);
        expect(await store.listEvents(full.id)).toEqual(events);
        expect(await store.listEvents('cus_nobody')).toEqual([]);
      }),
    );

    it(
      'refuses a reference change to a reference another customer has, and writes nothing of it',
      withStore(async (store) => {
        const a = customerWith({ id: 'cus_a', reference: 'a', providerCustomerId: 'rec_a' });
        const b = customerWith({ id: 'cus_b', reference: 'b', providerCustomerId: 'rec_b' });
        await store.commit({ customer: a, expectedVersion: 0 });
        await store.commit({ customer: b, expectedVersion: 0 });
        const stolen = { ...b, reference: 'a', version: 2 };
        expect(await store.commit({ customer: stolen, expectedVersion: 1, events: [storedEvent(b, 2)], dedupe: { provider: 'p', key: 'evt_steal' } })).toEqual({
          ok: false,
          reason: 'reference_taken',
        });
        expect(await store.get('cus_b')).toEqual(b);
        expect(await store.hasProcessed('p', 'evt_steal')).toBe(false);
        expect(await store.listEvents('cus_b')).toEqual([]);
        // A duplicate delivery is named first, whatever else is wrong with the commit.
        await store.commit({ dedupe: { provider: 'p', key: 'evt_seen' } });
        expect(await store.commit({ customer: { ...stolen, version: 5 }, expectedVersion: 4, dedupe: { provider: 'p', key: 'evt_seen' } })).toEqual({
          ok: false,
          reason: 'duplicate_delivery',
        });
      }),
    );

    it(
      'applies every read-modify-write of concurrent writers on one customer exactly once (several connections)',
      withStore(async (store) => {
        const other = options.openAnother === undefined ? store : await options.openAnother(store);
        try {
          const v1 = customerWith();
          await store.commit({ customer: v1, expectedVersion: 0 });
          const writers = 6;
          const perWriter = 8;
          const handles = [store, other];
          await Promise.all(
            Array.from({ length: writers }, async (_, writer) => {
              const handle = handles[writer % handles.length]!;
              for (let n = 0; n < perWriter; n++) {
                // The use cases' loop: read, change, commit against the version read; on a conflict read again.
                for (;;) {
                  const latest = (await handle.get(v1.id))!;
                  const next = { ...latest, submissions: latest.submissions + 1, eventCount: latest.eventCount + 1, version: latest.version + 1 };
                  const result = await handle.commit({
                    customer: next,
                    expectedVersion: latest.version,
                    events: [storedEvent(next, next.eventCount)],
                    dedupe: { provider: 'p', key: `evt_w${writer}_${n}` },
                  });
                  if (result.ok) break;
                  expect(result).toEqual({ ok: false, reason: 'version_conflict' });
                }
              }
            }),
          );
          const final = (await other.get(v1.id))!;
          expect(final.version).toBe(1 + writers * perWriter);
          expect(final.submissions).toBe(writers * perWriter);
          const ids = (await store.listEvents(v1.id)).map((event) => event.id);
          expect(ids).toEqual(Array.from({ length: writers * perWriter }, (_, i) => `evt_${v1.id}_${i + 2}`));
        } finally {
          if (other !== store) await options.teardown?.(other);
        }
      }),
    );

    it(
      'lists in one stable order, unchanged by updates and by commits during iteration',
      withStore(async (store) => {
        const customers = Array.from({ length: 450 }, (_, i) =>
          customerWith({ id: `cus_${String(i).padStart(3, '0')}x${(i * 7919) % 450}`, reference: `ref-${i}`, providerCustomerId: `rec_${i}`, status: i % 3 === 0 ? 'pending' : 'created' }),
        );
        for (const customer of customers) await store.commit({ customer, expectedVersion: 0 });
        const ids = async (query?: Parameters<CustomerStore['list']>[0]) => {
          const found: string[] = [];
          for await (const customer of store.list(query)) found.push(customer.id);
          return found;
        };
        const first = await ids();
        expect([...first].sort()).toEqual(customers.map((c) => c.id).sort());
        // Updates (in reverse order) do not move anyone.
        for (const customer of [...customers].reverse().slice(0, 50)) {
          await store.commit({ customer: { ...customer, rawStatus: 'touched', version: 2 }, expectedVersion: 1 });
        }
        expect(await ids()).toEqual(first);
        // A commit during iteration neither repeats nor skips the customers that were there.
        const seen: string[] = [];
        let added = 0;
        for await (const customer of store.list()) {
          seen.push(customer.id);
          if (seen.length % 100 === 0) {
            added++;
            await store.commit({ customer: customerWith({ id: `cus_new_${added}`, reference: `new-${added}`, providerCustomerId: `rec_new_${added}` }), expectedVersion: 0 });
          }
        }
        expect(seen.filter((id) => !id.startsWith('cus_new_'))).toEqual(first);
        expect(new Set(seen).size).toBe(seen.length);
        const pending = await ids({ statuses: ['pending'] });
        expect(pending).toEqual(first.filter((id) => customers.find((c) => c.id === id)!.status === 'pending'));
      }),
    );

    it(
      'keeps a large history whole and in order',
      withStore(async (store) => {
        let customer = customerWith();
        await store.commit({ customer, expectedVersion: 0, events: [storedEvent(customer, 1)] });
        let seq = 1;
        for (let batch = 0; batch < 20; batch++) {
          const attempts = [
            ...customer.attempts,
            { number: customer.attempts.length + 1, providerCustomerId: `rec_r${batch}`, providerReference: `user-1-r${batch}`, status: 'created' as const, rawStatus: 'created', startedAt: customer.createdAt },
          ];
          const next = { ...customer, attempts, providerCustomerId: `rec_r${batch}`, version: customer.version + 1 };
          const events = Array.from({ length: 30 }, () => storedEvent(next, ++seq));
          expect(await store.commit({ customer: next, expectedVersion: customer.version, events })).toEqual({ ok: true });
          customer = next;
        }
        const history = await store.listEvents(customer.id);
        expect(history).toHaveLength(1 + 20 * 30);
        expect(history.map((event) => event.id)).toEqual(Array.from({ length: seq }, (_, i) => `evt_${customer.id}_${i + 1}`));
        expect(await store.get(customer.id)).toEqual(customer);
        expect((await store.findByProviderCustomerId('p', 'rec_r7'))?.id).toBe(customer.id);
        expect((await store.findByProviderCustomerId('p', 'rec_1'))?.id).toBe(customer.id);
      }),
    );

    it(
      'forgets personal data: names, email and provider free text go, ids, statuses and timestamps stay',
      withStore(async (store) => {
        const full = fullCustomer();
        const events = everyEventType(full);
        await store.commit({ customer: full, expectedVersion: 0, events });
        const other = customerWith({ id: 'cus_other', reference: 'other', providerCustomerId: 'rec_other' });
        await store.commit({ customer: other, expectedVersion: 0 });

        const at = '2026-12-01T09:00:00.000Z';
        const forgotten = await store.forget(full.id, at);
        const { providerReason: _erased, ...rejection } = full.rejection!;
        const expected: Customer = { ...full, email: '', firstName: '', lastName: '', rejection, forgottenAt: at, version: full.version + 1 };
        expect(forgotten).toEqual(expected);
        expect(await store.get(full.id)).toEqual(expected);
        const after = await store.listEvents(full.id);
        expect(after.map((event) => event.id)).toEqual(events.map((event) => event.id));
        expect(JSON.stringify(after)).not.toContain('Jane');
        expect(JSON.stringify(after)).not.toContain('expired in 2019');
        expect(after.find((event) => event.type === 'customer.rejected')).toMatchObject({ rejection: { code: 'document_expired', retryable: true } });
        // The provider's raw status is not personal data: erasure keeps it, as it keeps the normalized one.
        expect(after.map((event) => event.providerStatus)).toEqual(events.map((event) => event.providerStatus));
        // A writer that read before the erasure cannot bring the data back.
        expect(await store.commit({ customer: { ...full, version: full.version + 1 }, expectedVersion: full.version })).toEqual({
          ok: false,
          reason: 'version_conflict',
        });
        expect(await store.get('cus_other')).toEqual(other);
        expect(await store.forget('cus_nobody', at)).toBeUndefined();
      }),
    );

    describeInboxAndLeaseConformance(createStore, options);
    // The event log, consumer leases and dead letters (kyc.consume's store side).
    describeEventLogConformance(createStore, options);
    // A customer's committed deliveries and the audit trail (the operator console's store side).
    describeOperationsConformance(createStore, options.teardown);
  });
}

function customerWith(overrides: Partial<Customer> = {}): Customer {
  const at = '2026-11-22T10:00:00.000Z';
  const providerCustomerId = overrides.providerCustomerId ?? 'rec_1';
  const reference = overrides.reference ?? 'user-1';
  return {
    id: 'cus_1',
    reference,
    type: 'individual',
    email: 'jane@example.com',
    firstName: 'Jane',
    lastName: 'Smith',
    provider: 'p',
    providerCustomerId,
    providerReference: reference,
    attempts: [{ number: 1, providerCustomerId, providerReference: reference, status: 'created', rawStatus: 'created', startedAt: at }],
    status: 'created',
    rawStatus: 'created',
    requirements: [],
    submissions: 0,
    machineVersion: 1,
    createdAt: at,
    updatedAt: at,
    ignored: [],
    eventCount: 1,
    version: 1,
    ...overrides,
  };
}

/** A customer with every optional field set. */
function fullCustomer(): Customer {
  const base = customerWith();
  return {
    ...base,
    id: 'cus_full',
    reference: 'user-full',
    providerReference: 'user-full-r2',
    providerCustomerId: 'rec_full_2',
    attempts: [
      { number: 1, providerCustomerId: 'rec_full_1', providerReference: 'user-full', status: 'rejected', rawStatus: 'DECLINED', startedAt: '2026-11-20T08:00:00.000Z' },
      { number: 2, providerCustomerId: 'rec_full_2', providerReference: 'user-full-r2', status: 'pending', rawStatus: 'IN_REVIEW', startedAt: '2026-11-21T08:00:00.123Z' },
    ],
    status: 'pending',
    rawStatus: 'IN_REVIEW',
    requirements: [{ kind: 'document', name: 'passport', message: 'Upload a passport photo.', providerCode: 'DOC_MISSING' }],
    rejection: { code: 'document_expired', message: 'The document has expired.', providerReason: 'Passport expired in 2019, Jane Smith', retryable: true },
    verificationLevel: 'FULL',
    submissions: 2,
    machineVersion: 3,
    lastReportAt: '2026-11-22T10:00:01.000Z',
    lastReceivedAt: '2026-11-22T10:00:02.000Z',
    lastCheckedAt: '2026-11-22T10:00:03.000Z',
    pendingSince: '2026-11-22T10:00:04.000Z',
    reviewOverdueAt: '2026-11-23T10:00:00.000Z',
    reviewOverdueLevel: 2,
    createdAt: '2026-11-20T08:00:00.000Z',
    updatedAt: '2026-11-23T10:00:00.000Z',
    submittedAt: '2026-11-21T08:00:00.000Z',
    verifiedAt: '2026-11-21T09:00:00.000Z',
    activatedAt: '2026-11-21T10:00:00.000Z',
    rejectedAt: '2026-11-20T09:00:00.000Z',
    deactivatedAt: '2026-11-21T11:00:00.000Z',
    ignored: [{ at: '2026-11-22T11:00:00.000Z', source: 'webhook', status: 'verified', rawStatus: 'APPROVED', occurredAt: '2026-11-22T09:00:00.000Z', reason: 'stale' }],
    eventCount: 8,
    version: 1,
  };
}

/**
 * One event of every type, with every optional field of each. `providerStatus` varies (upper case, quotes and
 * non-ASCII, equal to the normalized `to`) and is absent where core leaves it off (`review_overdue`).
 */
function everyEventType(customer: Customer): KycEvent[] {
  const base = { customerId: customer.id, reference: customer.reference, provider: customer.provider, providerCustomerId: customer.providerCustomerId, source: 'webhook' as const };
  const at = (n: number) => `2026-11-2${n}T10:00:00.000Z`;
  return [
    { ...base, id: `evt_${customer.id}_1`, type: 'customer.created', from: null, to: 'created', at: at(0), source: 'api', providerStatus: 'NEW' },
    { ...base, id: `evt_${customer.id}_2`, type: 'customer.submitted', from: 'created', to: 'pending', at: at(0), providerStatus: 'IN_REVIEW' },
    { ...base, id: `evt_${customer.id}_3`, type: 'customer.needs_info', from: 'pending', to: 'needs_info', at: at(1), occurredAt: at(0), providerStatus: 'MISSING_DOCS', requirements: customer.requirements },
    { ...base, id: `evt_${customer.id}_4`, type: 'customer.rejected', from: 'needs_info', to: 'rejected', at: at(1), providerStatus: 'DECLINED', rejection: customer.rejection! },
    { ...base, id: `evt_${customer.id}_5`, type: 'customer.verified', from: 'pending', to: 'verified', at: at(2), providerStatus: 'APPROVED', verificationLevel: 'FULL' },
    { ...base, id: `evt_${customer.id}_6`, type: 'customer.activated', from: 'verified', to: 'active', at: at(2), source: 'poll', providerStatus: 'Aktiv "ü"' },
    { ...base, id: `evt_${customer.id}_7`, type: 'customer.review_overdue', from: 'pending', to: 'pending', at: at(3), pendingSince: at(2), escalateAfterMs: 86_400_000, level: 2, action: 'contact_support' },
    { ...base, id: `evt_${customer.id}_8`, type: 'customer.deactivated', from: 'active', to: 'deactivated', at: at(3), providerStatus: 'deactivated' },
  ];
}

