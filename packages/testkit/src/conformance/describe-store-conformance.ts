import type { Customer, CustomerStore, KycEvent } from '@openkyc/core';
import { describe, expect, it } from 'vitest';

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
  options: { teardown?: (store: CustomerStore) => Promise<void> } = {},
): void {
  describe(`CustomerStore conformance: ${name}`, () => {
    const withStore = (test: (store: CustomerStore) => Promise<void>) => async () => {
      const store = await createStore();
      try {
        await test(store);
      } finally {
        await options.teardown?.(store);
      }
    };

    it(
      'creates a customer at version 1 and reads it by id, reference and provider record',
      withStore(async (store) => {
        const customer = storedCustomer();
        expect(await store.commit({ customer, expectedVersion: 0, events: [eventOf(customer, 1)] })).toEqual({ ok: true });
        expect(await store.get(customer.id)).toEqual(customer);
        expect(await store.findByReference(customer.reference)).toEqual(customer);
        expect(await store.findByProviderCustomerId('p', 'rec_1')).toEqual(customer);
        expect(await store.findByProviderCustomerId('other', 'rec_1')).toBeUndefined();
        expect(await store.get('cus_missing')).toBeUndefined();
        expect(await store.listEvents(customer.id)).toEqual([eventOf(customer, 1)]);
      }),
    );

    it(
      'refuses a second customer with the same reference',
      withStore(async (store) => {
        await store.commit({ customer: storedCustomer(), expectedVersion: 0 });
        const twin = storedCustomer({ id: 'cus_twin', providerCustomerId: 'rec_2' });
        expect(await store.commit({ customer: twin, expectedVersion: 0 })).toEqual({ ok: false, reason: 'reference_taken' });
        expect(await store.get('cus_twin')).toBeUndefined();
      }),
    );

    it(
      'accepts only version = expected + 1 against the stored version',
      withStore(async (store) => {
        const v1 = storedCustomer();
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
        const v1 = storedCustomer();
        await store.commit({ customer: v1, expectedVersion: 0, events: [eventOf(v1, 1)] });
        const v2 = { ...v1, status: 'pending' as const, version: 2 };
        const dedupe = { provider: 'p', key: 'evt_a' };
        // A stale writer: nothing of its change may land, not even the dedupe key.
        expect(await store.commit({ customer: { ...v2, version: 3 }, expectedVersion: 2, events: [eventOf(v2, 2)], dedupe })).toMatchObject({ ok: false });
        expect(await store.hasProcessed('p', 'evt_a')).toBe(false);
        expect(await store.listEvents(v1.id)).toHaveLength(1);

        expect(await store.commit({ customer: v2, expectedVersion: 1, events: [eventOf(v2, 2)], dedupe })).toEqual({ ok: true });
        expect(await store.hasProcessed('p', 'evt_a')).toBe(true);
        expect(await store.hasProcessed('other-provider', 'evt_a')).toBe(false);
        expect((await store.listEvents(v1.id)).map((e) => e.id)).toEqual([eventOf(v1, 1).id, eventOf(v2, 2).id]);

        // The same delivery again is refused as a duplicate, whatever it carries.
        const v3 = { ...v2, status: 'verified' as const, version: 3 };
        expect(await store.commit({ customer: v3, expectedVersion: 2, events: [eventOf(v3, 3)], dedupe })).toEqual({
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
        const v1 = storedCustomer();
        await store.commit({ customer: v1, expectedVersion: 0 });
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.commit({
              customer: { ...v1, rawStatus: `writer-${i}`, version: 2 },
              expectedVersion: 1,
              events: [eventOf(v1, 2)],
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
        const customers = Array.from({ length: 10 }, (_, i) => storedCustomer({ id: `cus_${i}`, reference: `ref-${i}`, providerCustomerId: `rec_${i}` }));
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
        const v1 = storedCustomer();
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
      'lists customers filtered by status and provider',
      withStore(async (store) => {
        const a = storedCustomer({ id: 'cus_a', reference: 'a', providerCustomerId: 'rec_a', status: 'pending' });
        const b = storedCustomer({ id: 'cus_b', reference: 'b', providerCustomerId: 'rec_b', status: 'verified' });
        const c = storedCustomer({ id: 'cus_c', reference: 'c', providerCustomerId: 'rec_c', status: 'pending', provider: 'q' });
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
        const customer = storedCustomer();
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
  });
}

function storedCustomer(overrides: Partial<Customer> = {}): Customer {
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

function eventOf(customer: Customer, seq: number): KycEvent {
  return {
    id: `evt_${customer.id}_${seq}`,
    type: seq === 1 ? 'customer.created' : 'customer.submitted',
    customerId: customer.id,
    reference: customer.reference,
    provider: customer.provider,
    providerCustomerId: customer.providerCustomerId,
    from: seq === 1 ? null : 'created',
    to: seq === 1 ? 'created' : 'pending',
    at: customer.updatedAt,
    source: 'api',
  };
}
