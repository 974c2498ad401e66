import type { Customer, CustomerStore, ParkedDelivery } from '@openkyc/core';
import { describe, expect, it } from 'vitest';
import { withFreshStore } from './with-fresh-store.js';

/** What the multi-instance group needs of `describeStoreConformance`'s options. */
interface Handles {
  readonly teardown?: (store: CustomerStore) => Promise<void>;
  readonly openAnother?: (store: CustomerStore) => Promise<CustomerStore>;
}

/**
 * The store contract's multi-instance part, registered by `describeStoreConformance`: the webhook inbox
 * (parked deliveries kept, listed in provider-time order, removed once) and the reconcile leases (due
 * customers handed out once across handles, leases expiring).
 */
export function describeInboxAndLeaseConformance(createStore: () => CustomerStore | Promise<CustomerStore>, options: Handles): void {
  const withStore = withFreshStore(createStore, options.teardown);

  describe('webhook inbox', () => {
    it(
      'parks a delivery once by provider and dedupe key and gives it back as it was',
      withStore(async (store) => {
        const delivery = parked('evt_1', 'rec_9', '2026-11-22T10:00:01.000Z', '2026-11-22T10:00:05.000Z', {
          requirements: [{ kind: 'document', name: 'passport', message: 'Upload a passport photo.', providerCode: 'DOC' }],
          rejection: { code: 'document_expired', message: 'Expired.', retryable: true },
          previousStatus: 'created',
          verificationLevel: 'FULL',
          providerReference: 'user-9',
        });
        expect(await store.park(delivery)).toBe(true);
        expect(await store.park({ ...delivery, receivedAt: '2026-11-22T11:00:00.000Z' })).toBe(false);
        expect(await store.park({ ...delivery, provider: 'q' })).toBe(true);
        expect(await store.listParked('p', 'rec_9')).toEqual([delivery]);
        expect(await store.listParked('p', 'rec_other')).toEqual([]);
        expect(await store.listParked('q', 'rec_9')).toEqual([{ ...delivery, provider: 'q' }]);
      }),
    );

    it(
      'lists a record’s deliveries in provider-time order, and all of them oldest receipt first',
      withStore(async (store) => {
        const late = parked('evt_late', 'rec_1', '2026-11-22T10:00:03.000Z', '2026-11-22T10:00:04.000Z');
        const early = parked('evt_early', 'rec_1', '2026-11-22T10:00:01.000Z', '2026-11-22T10:00:06.000Z');
        const tieB = parked('evt_b', 'rec_1', '2026-11-22T10:00:02.000Z', '2026-11-22T10:00:07.000Z');
        const tieA = parked('evt_a', 'rec_1', '2026-11-22T10:00:02.000Z', '2026-11-22T10:00:07.000Z');
        const other = parked('evt_other', 'rec_2', '2026-11-22T09:00:00.000Z', '2026-11-22T10:00:05.000Z');
        for (const delivery of [late, early, tieB, other, tieA]) await store.park(delivery);
        expect((await store.listParked('p', 'rec_1')).map((d) => d.dedupeKey)).toEqual(['evt_early', 'evt_a', 'evt_b', 'evt_late']);
        expect((await store.listAllParked()).map((d) => d.dedupeKey).slice(0, 3)).toEqual(['evt_late', 'evt_other', 'evt_early']);
        expect((await store.listAllParked({ receivedBefore: '2026-11-22T10:00:06.000Z' })).map((d) => d.dedupeKey)).toEqual(['evt_late', 'evt_other']);
        expect(await store.listAllParked({ limit: 1 })).toEqual([late]);
        expect(await store.listAllParked({ limit: 0 })).toEqual([]);
      }),
    );

    it(
      'reads one parked delivery by provider and dedupe key, and nothing once it is unparked',
      withStore(async (store) => {
        const delivery = parked('evt_1', 'rec_1', '2026-11-22T10:00:01.000Z', '2026-11-22T10:00:05.000Z', { providerReference: 'user-1' });
        await store.park(delivery);
        await store.park(parked('evt_2', 'rec_1'));
        expect(await store.getParked('p', 'evt_1')).toEqual(delivery);
        expect(await store.getParked('q', 'evt_1')).toBeUndefined();
        expect(await store.getParked('p', 'evt_never')).toBeUndefined();
        await store.unpark('p', 'evt_1');
        expect(await store.getParked('p', 'evt_1')).toBeUndefined();
        expect((await store.getParked('p', 'evt_2'))?.dedupeKey).toBe('evt_2');
      }),
    );

    it(
      'removes a delivery with unpark, harmlessly when it is gone',
      withStore(async (store) => {
        await store.park(parked('evt_1', 'rec_1'));
        await store.park(parked('evt_2', 'rec_1'));
        await store.unpark('p', 'evt_1');
        await store.unpark('p', 'evt_1');
        await store.unpark('p', 'evt_never');
        await store.unpark('q', 'evt_2');
        expect((await store.listParked('p', 'rec_1')).map((d) => d.dedupeKey)).toEqual(['evt_2']);
        // Parked again after removal (a redelivery before its customer exists): kept again.
        expect(await store.park(parked('evt_1', 'rec_1'))).toBe(true);
      }),
    );

    it(
      'parks one delivery once when several handles park it at the same moment',
      withStore(async (store) => {
        const other = options.openAnother === undefined ? store : await options.openAnother(store);
        try {
          const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? store : other).park(parked('evt_same', 'rec_1'))));
          expect(results.filter(Boolean)).toHaveLength(1);
          expect(await other.listParked('p', 'rec_1')).toHaveLength(1);
        } finally {
          if (other !== store) await options.teardown?.(other);
        }
      }),
    );
  });

  describe('reconcile leases', () => {
    it(
      'claims due customers in the given statuses, longest due first, and leases them',
      withStore(async (store) => {
        await commitDue(store, customer(1, 'pending'), '2026-11-22T10:05:00.000Z');
        await commitDue(store, customer(2, 'pending'), '2026-11-22T10:01:00.000Z');
        await commitDue(store, customer(3, 'pending'), '2026-11-22T11:00:00.000Z');
        await commitDue(store, customer(4, 'verified'), '2026-11-22T10:00:00.000Z');
        await commitDue(store, customer(5, 'needs_info'), undefined);
        const claim = { statuses: ['pending', 'needs_info'] as const, dueAt: '2026-11-22T10:10:00.000Z', leaseMs: 60_000 };
        const first = await store.claimDue({ ...claim, limit: 2 });
        // No due time counts as due since ever.
        expect(first.map((c) => c.id)).toEqual(['cus_5', 'cus_2']);
        expect(first[0]).toEqual(customer(5, 'needs_info'));
        expect((await store.claimDue({ ...claim, limit: 10 })).map((c) => c.id)).toEqual(['cus_1']);
        expect(await store.claimDue({ ...claim, limit: 10 })).toEqual([]);
        expect((await store.claimDue({ ...claim, all: true, limit: 10 })).map((c) => c.id)).toEqual(['cus_3']);
        expect(await store.claimDue({ ...claim, limit: 0, statuses: ['verified'] })).toEqual([]);
        expect(await store.claimDue({ ...claim, limit: 5, statuses: [] })).toEqual([]);
      }),
    );

    it(
      'hands a customer out again once its lease is released or has expired',
      withStore(async (store) => {
        await commitDue(store, customer(1, 'pending'), '2026-11-22T10:00:00.000Z');
        await commitDue(store, customer(2, 'pending'), '2026-11-22T10:00:00.000Z');
        const claim = { statuses: ['pending'] as const, dueAt: '2026-11-22T10:10:00.000Z', limit: 10 };
        expect(await store.claimDue({ ...claim, leaseMs: 150 })).toHaveLength(2);
        expect(await store.claimDue({ ...claim, leaseMs: 150 })).toEqual([]);
        await store.releaseLeases(['cus_1', 'cus_unknown']);
        expect((await store.claimDue({ ...claim, leaseMs: 60_000 })).map((c) => c.id)).toEqual(['cus_1']);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect((await store.claimDue({ ...claim, leaseMs: 60_000 })).map((c) => c.id)).toEqual(['cus_2']);
      }),
    );

    it(
      'follows the due time of the latest commit, and leaves a lease in place across commits',
      withStore(async (store) => {
        const v1 = customer(1, 'pending');
        await commitDue(store, v1, '2026-11-22T10:00:00.000Z');
        const claim = { statuses: ['pending'] as const, dueAt: '2026-11-22T10:10:00.000Z', limit: 10, leaseMs: 60_000 };
        expect(await store.claimDue(claim)).toHaveLength(1);
        const v2 = { ...v1, lastCheckedAt: '2026-11-22T10:10:00.000Z', version: 2 };
        expect(await store.commit({ customer: v2, expectedVersion: 1, reconcileDueAt: '2026-11-22T10:15:00.000Z' })).toEqual({ ok: true });
        await store.releaseLeases(['cus_1']);
        expect(await store.claimDue(claim)).toEqual([]);
        expect((await store.claimDue({ ...claim, dueAt: '2026-11-22T10:15:00.000Z' })).map((c) => c.version)).toEqual([2]);
      }),
    );

    it(
      'never hands one customer to two handles claiming at once',
      withStore(async (store) => {
        const other = options.openAnother === undefined ? store : await options.openAnother(store);
        try {
          for (let i = 0; i < 60; i++) await commitDue(store, customer(i, 'pending'), '2026-11-22T10:00:00.000Z');
          const claim = { statuses: ['pending'] as const, dueAt: '2026-11-22T10:10:00.000Z', limit: 7, leaseMs: 60_000 };
          const claimedBy = async (handle: CustomerStore): Promise<string[]> => {
            const ids: string[] = [];
            for (;;) {
              const batch = await handle.claimDue(claim);
              if (batch.length === 0) return ids;
              ids.push(...batch.map((c) => c.id));
            }
          };
          const [a, b] = await Promise.all([claimedBy(store), claimedBy(other)]);
          expect(a.length + b.length).toBe(60);
          expect(new Set([...a, ...b]).size).toBe(60);
        } finally {
          if (other !== store) await options.teardown?.(other);
        }
      }),
    );
  });
}

function parked(
  dedupeKey: string,
  providerCustomerId: string,
  occurredAt = '2026-11-22T10:00:00.000Z',
  receivedAt = '2026-11-22T10:00:01.000Z',
  extra: Partial<ParkedDelivery['report']> = {},
): ParkedDelivery {
  return {
    provider: 'p',
    dedupeKey,
    report: { providerCustomerId, status: 'pending', rawStatus: 'IN_REVIEW', occurredAt, ...extra },
    occurredAt,
    receivedAt,
  };
}

function customer(n: number, status: Customer['status']): Customer {
  const at = '2026-11-22T09:00:00.000Z';
  return {
    id: `cus_${n}`,
    reference: `user-${n}`,
    type: 'individual',
    email: 'jane@example.com',
    firstName: 'Jane',
    lastName: 'Smith',
    provider: 'p',
    providerCustomerId: `rec_${n}`,
    providerReference: `user-${n}`,
    attempts: [{ number: 1, providerCustomerId: `rec_${n}`, providerReference: `user-${n}`, status, rawStatus: status, startedAt: at }],
    status,
    rawStatus: status,
    requirements: [],
    submissions: 1,
    machineVersion: 1,
    lastCheckedAt: at,
    createdAt: at,
    updatedAt: at,
    ignored: [],
    eventCount: 0,
    version: 1,
  };
}

async function commitDue(store: CustomerStore, next: Customer, reconcileDueAt: string | undefined): Promise<void> {
  const result = await store.commit(reconcileDueAt === undefined ? { customer: next, expectedVersion: 0 } : { customer: next, expectedVersion: 0, reconcileDueAt });
  expect(result).toEqual({ ok: true });
}
