import type { CustomerStore } from '@openkyc/core';
import { describe, expect, it } from 'vitest';
import { storedCustomer, storedEvent } from '../fixtures/stored-customer.js';
import { withFreshStore } from './with-fresh-store.js';

/**
 * The store contract's operator part, registered by `describeStoreConformance`: a customer's committed
 * webhook deliveries (the console's timeline) and the audit trail of operator actions.
 */
export function describeOperationsConformance(
  createStore: () => CustomerStore | Promise<CustomerStore>,
  teardown: ((store: CustomerStore) => Promise<void>) | undefined,
): void {
  const withStore = withFreshStore(createStore, teardown);

  describe('committed deliveries per customer', () => {
    it(
      'lists the deliveries committed with a customer’s changes, oldest first, and no other customer’s',
      withStore(async (store) => {
        const before = Date.now();
        const ann = storedCustomer('ann');
        const bob = storedCustomer('bob');
        await store.commit({ customer: ann, expectedVersion: 0, events: [storedEvent(ann, 1)] });
        await store.commit({ customer: bob, expectedVersion: 0, events: [storedEvent(bob, 1)] });
        const ann2 = { ...ann, status: 'pending' as const, version: 2, eventCount: 2 };
        await store.commit({ customer: ann2, expectedVersion: 1, events: [storedEvent(ann2, 2)], dedupe: { provider: 'technest', key: 'evt_a1' } });
        await new Promise((resolve) => setTimeout(resolve, 5));
        // A delivery that changed nothing still commits its key with the customer.
        await store.commit({ customer: { ...ann2, version: 3 }, expectedVersion: 2, dedupe: { provider: 'technest', key: 'evt_a2' } });
        await store.commit({ customer: { ...bob, version: 2 }, expectedVersion: 1, dedupe: { provider: 'technest', key: 'evt_b1' } });
        // A delivery no customer took, and a refused duplicate: neither shows.
        await store.commit({ dedupe: { provider: 'technest', key: 'evt_lonely' } });
        await store.commit({ customer: { ...ann2, version: 4 }, expectedVersion: 3, dedupe: { provider: 'technest', key: 'evt_b1' } });

        const deliveries = await store.listDeliveries(ann.id);
        expect(deliveries.map(({ provider, dedupeKey, customerId }) => ({ provider, dedupeKey, customerId }))).toEqual([
          { provider: 'technest', dedupeKey: 'evt_a1', customerId: ann.id },
          { provider: 'technest', dedupeKey: 'evt_a2', customerId: ann.id },
        ]);
        for (const delivery of deliveries) {
          expect(Date.parse(delivery.processedAt)).toBeGreaterThanOrEqual(before - 1000);
          expect(new Date(delivery.processedAt).toISOString()).toBe(delivery.processedAt);
        }
        expect((await store.listDeliveries(bob.id)).map((delivery) => delivery.dedupeKey)).toEqual(['evt_b1']);
        expect(await store.listDeliveries('cus_nobody')).toEqual([]);
      }),
    );
  });

  describe('audit trail', () => {
    it(
      'keeps entries as given and lists them newest first, per customer and limited',
      withStore(async (store) => {
        const refresh = {
          at: '2026-11-22T10:00:00.000Z',
          actor: 'ops-1',
          action: 'refresh',
          customerId: 'cus_1',
          outcome: 'ok' as const,
          detail: 'pending → verified',
        };
        const retry = {
          at: '2026-11-22T10:05:00.000Z',
          action: 'retry_dead_letter',
          customerId: 'cus_2',
          target: 'mailer/evt_9',
          outcome: 'failed' as const,
          errorCode: 'not_found',
        };
        const bare = { at: '2026-11-22T09:00:00.000Z', action: 'apply_parked', outcome: 'ok' as const };
        const sameTimeLater = { ...refresh, detail: 'pending → pending' };
        for (const entry of [refresh, retry, bare, sameTimeLater]) await store.appendAuditEntry(entry);

        expect(await store.listAuditEntries()).toEqual([retry, sameTimeLater, refresh, bare]);
        expect(await store.listAuditEntries({ customerId: 'cus_1' })).toEqual([sameTimeLater, refresh]);
        expect(await store.listAuditEntries({ customerId: 'cus_1', limit: 1 })).toEqual([sameTimeLater]);
        expect(await store.listAuditEntries({ limit: 2 })).toEqual([retry, sameTimeLater]);
        expect(await store.listAuditEntries({ customerId: 'cus_nobody' })).toEqual([]);
      }),
    );

    it(
      'answers at most 100 entries when no limit is given',
      withStore(async (store) => {
        for (let i = 0; i < 105; i++) {
          await store.appendAuditEntry({ at: new Date(Date.UTC(2026, 10, 22, 10, 0, i)).toISOString(), action: 'refresh', customerId: 'cus_1', outcome: 'ok' });
        }
        const listed = await store.listAuditEntries();
        expect(listed).toHaveLength(100);
        expect(listed[0]!.at).toBe('2026-11-22T10:01:44.000Z');
      }),
    );
  });
}
