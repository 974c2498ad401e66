import type { CustomerStore, KycEvent, LoggedEvent } from '@openkyc/core';
import { describe, expect, it, vi } from 'vitest';
import { withFreshStore } from './with-fresh-store.js';
import { storedCustomer, storedEvent } from '../fixtures/stored-customer.js';

/** The part of `StoreConformanceOptions` these tests use (same meaning). */
interface EventLogConformanceOptions {
  readonly teardown?: (store: CustomerStore) => Promise<void>;
  readonly openAnother?: (store: CustomerStore) => Promise<CustomerStore>;
}

/**
 * The store side of durable delivery every `CustomerStore` must keep: the ordered event log (nothing skipped
 * under concurrent writers, each customer's order kept), consumer leases with fences, checkpoints that never
 * move backwards, dead letters, and wake-ups. Registered by `describeStoreConformance`.
 */
export function describeEventLogConformance(createStore: () => CustomerStore | Promise<CustomerStore>, options: EventLogConformanceOptions): void {
  describe('event log', () => {
    const withStore = withFreshStore(createStore, options.teardown);

    it(
      'logs every committed event once, in commit order, and reads on from any cursor it answered',
      withStore(async (store) => {
        const a = storedCustomer('a', { provider: 'p' });
        const b = storedCustomer('b', { provider: 'p' });
        await store.commit({ customer: a, expectedVersion: 0, events: [storedEvent(a, 1)] });
        await store.commit({ customer: b, expectedVersion: 0, events: [storedEvent(b, 1)] });
        await store.commit({ customer: { ...a, version: 2, eventCount: 3 }, expectedVersion: 1, events: [storedEvent(a, 2), storedEvent(a, 3)] });
        // A commit without events and a refused one add nothing.
        await store.commit({ customer: { ...b, version: 2 }, expectedVersion: 1 });
        await store.commit({ customer: { ...b, version: 2 }, expectedVersion: 1, events: [storedEvent(b, 9)] });

        const all = await readAll(store, '', 100);
        expect(all.map((logged) => logged.event)).toEqual([storedEvent(a, 1), storedEvent(b, 1), storedEvent(a, 2), storedEvent(a, 3)]);
        expect(new Set(all.map((logged) => logged.cursor)).size).toBe(4);
        expect((await readAll(store, '', 1)).map((logged) => logged.event.id)).toEqual(all.map((logged) => logged.event.id));
        expect((await store.readEventLog(all[1]!.cursor, 100)).events.map((logged) => logged.event.id)).toEqual([storedEvent(a, 2).id, storedEvent(a, 3).id]);
        expect((await store.readEventLog(all[3]!.cursor, 100)).events).toEqual([]);
        expect((await store.readEventLog('', 2)).events).toHaveLength(2);
      }),
    );

    it(
      'shows forgotten customers\' events without their free text',
      withStore(async (store) => {
        const a = storedCustomer('a', { provider: 'p' });
        const rejected: KycEvent = { ...storedEvent(a, 1), type: 'customer.rejected', from: 'pending', to: 'rejected', rejection: { code: 'document_expired', message: 'Expired.', providerReason: 'passport of Jane Smith', retryable: true } };
        await store.commit({ customer: a, expectedVersion: 0, events: [rejected] });
        await store.forget(a.id, '2026-11-23T00:00:00.000Z');
        const [logged] = (await store.readEventLog('', 10)).events;
        expect(JSON.stringify(logged)).not.toContain('Jane Smith');
        expect(logged?.event.id).toBe(rejected.id);
      }),
    );

    it(
      'never skips an event under concurrent writers: a reader following the cursor sees each exactly once, each customer in order',
      withStore(async (store) => {
        const handles = [store, ...(options.openAnother === undefined ? [] : [await options.openAnother(store), await options.openAnother(store)])];
        try {
          const WRITERS = 12;
          const COMMITS = 15;
          const seen: LoggedEvent[] = [];
          let cursor = '';
          let writing = true;
          const reader = (async () => {
            for (;;) {
              const done = !writing; // read once more after the last commit returned
              const page = await store.readEventLog(cursor, 7);
              for (const logged of page.events) seen.push(logged);
              cursor = page.events.at(-1)?.cursor ?? cursor;
              if (page.events.length === 0 && done && !page.pending) return;
              if (page.events.length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
            }
          })();
          await Promise.all(
            Array.from({ length: WRITERS }, async (_, w) => {
              const handle = handles[w % handles.length]!;
              let customer = storedCustomer(`w${w}`, { provider: 'p' });
              await handle.commit({ customer, expectedVersion: 0, events: [storedEvent(customer, 1)] });
              for (let seq = 2; seq <= COMMITS; seq++) {
                const next = { ...customer, version: customer.version + 1, eventCount: seq };
                expect(await handle.commit({ customer: next, expectedVersion: customer.version, events: [storedEvent(next, seq)] })).toEqual({ ok: true });
                customer = next;
              }
            }),
          );
          writing = false;
          await reader;
          expect(seen).toHaveLength(WRITERS * COMMITS);
          expect(new Set(seen.map((logged) => logged.event.id)).size).toBe(WRITERS * COMMITS);
          for (let w = 0; w < WRITERS; w++) {
            const ids = seen.filter((logged) => logged.event.customerId === `cus_w${w}`).map((logged) => logged.event.id);
            expect(ids).toEqual(Array.from({ length: COMMITS }, (_, i) => `evt_cus_w${w}_${i + 1}`));
          }
        } finally {
          for (const handle of handles.slice(1)) await options.teardown?.(handle);
        }
      }),
    );

    it(
      'gives a consumer name to one holder at a time, with a higher fence on each claim, and refuses a stale fence',
      withStore(async (store) => {
        const first = await store.claimConsumer({ name: 'crm', holder: 'h1', leaseMs: 60_000, from: 'start' });
        expect(first).toEqual({ fence: expect.any(Number), cursor: expect.any(String) });
        expect(await store.claimConsumer({ name: 'crm', holder: 'h2', leaseMs: 60_000, from: 'start' })).toBeUndefined();
        expect(await store.claimConsumer({ name: 'other', holder: 'h2', leaseMs: 60_000, from: 'start' })).toBeDefined();
        expect(await store.renewConsumer('crm', first!.fence, 60_000)).toBe(true);

        await store.releaseConsumer('crm', first!.fence);
        const second = await store.claimConsumer({ name: 'crm', holder: 'h2', leaseMs: 60_000, from: 'start' });
        expect(second!.fence).toBeGreaterThan(first!.fence);
        expect(await store.renewConsumer('crm', first!.fence, 60_000)).toBe(false);
        expect(await store.saveCheckpoint('crm', first!.fence, first!.cursor)).toBe(false);
        await store.releaseConsumer('crm', first!.fence); // stale: changes nothing
        expect(await store.claimConsumer({ name: 'crm', holder: 'h3', leaseMs: 60_000, from: 'start' })).toBeUndefined();
      }),
    );

    it(
      'lets another holder claim once the lease ran out without renewal',
      withStore(async (store) => {
        const first = await store.claimConsumer({ name: 'crm', holder: 'h1', leaseMs: 150, from: 'start' });
        expect(await store.claimConsumer({ name: 'crm', holder: 'h2', leaseMs: 150, from: 'start' })).toBeUndefined();
        await new Promise((resolve) => setTimeout(resolve, 300));
        const second = await store.claimConsumer({ name: 'crm', holder: 'h2', leaseMs: 60_000, from: 'start' });
        expect(second!.fence).toBeGreaterThan(first!.fence);
        expect(await store.renewConsumer('crm', first!.fence, 60_000)).toBe(false);
      }),
    );

    it(
      'keeps the checkpoint, never moves it backwards, and starts a new name at the beginning or at now',
      withStore(async (store) => {
        const a = storedCustomer('a', { provider: 'p' });
        await store.commit({ customer: a, expectedVersion: 0, events: [storedEvent(a, 1)] });
        await store.commit({ customer: { ...a, version: 2 }, expectedVersion: 1, events: [storedEvent(a, 2)] });
        const [one, two] = (await store.readEventLog('', 10)).events;

        const claim = (await store.claimConsumer({ name: 'crm', holder: 'h1', leaseMs: 60_000, from: 'start' }))!;
        expect((await store.readEventLog(claim.cursor, 10)).events).toHaveLength(2);
        expect(await store.saveCheckpoint('crm', claim.fence, two!.cursor)).toBe(true);
        expect(await store.saveCheckpoint('crm', claim.fence, one!.cursor)).toBe(true); // ignored: older
        await store.releaseConsumer('crm', claim.fence);
        const again = (await store.claimConsumer({ name: 'crm', holder: 'h2', leaseMs: 60_000, from: 'now' }))!;
        expect((await store.readEventLog(again.cursor, 10)).events).toEqual([]);

        const late = (await store.claimConsumer({ name: 'late', holder: 'h3', leaseMs: 60_000, from: 'now' }))!;
        await store.commit({ customer: { ...a, version: 3 }, expectedVersion: 2, events: [storedEvent(a, 3)] });
        expect((await store.readEventLog(late.cursor, 10)).events.map((logged) => logged.event.id)).toEqual([storedEvent(a, 3).id]);
        const early = (await store.claimConsumer({ name: 'early', holder: 'h3', leaseMs: 60_000, from: 'start' }))!;
        expect((await store.readEventLog(early.cursor, 10)).events).toHaveLength(3);
      }),
    );

    it(
      'keeps dead letters per consumer with their event, marks retries, and fences their writes',
      withStore(async (store) => {
        const a = storedCustomer('a', { provider: 'p' });
        await store.commit({ customer: a, expectedVersion: 0, events: [storedEvent(a, 1)] });
        await store.commit({ customer: { ...a, version: 2 }, expectedVersion: 1, events: [storedEvent(a, 2)] });
        const [one, two] = (await store.readEventLog('', 10)).events;
        const claim = (await store.claimConsumer({ name: 'crm', holder: 'h1', leaseMs: 60_000, from: 'start' }))!;
        const letter = (logged: LoggedEvent, attempts: number) => ({
          eventId: logged.event.id,
          customerId: logged.event.customerId,
          cursor: logged.cursor,
          errorCode: 'TypeError',
          errorMessage: 'The handler threw a TypeError.',
          attempts,
          failedAt: '2026-11-22T10:00:00.000Z',
        });
        expect(await store.addDeadLetter('crm', claim.fence, letter(two!, 5))).toBe(true);
        expect(await store.addDeadLetter('crm', claim.fence, letter(one!, 5))).toBe(true);
        expect(await store.listDeadLetters('crm')).toEqual([
          { ...letter(one!, 5), event: one!.event, retryRequested: false },
          { ...letter(two!, 5), event: two!.event, retryRequested: false },
        ]);
        expect(await store.listDeadLetters('other')).toEqual([]);

        expect(await store.requestDeadLetterRetry('crm', one!.event.id)).toBe(true);
        expect(await store.requestDeadLetterRetry('crm', 'evt_missing')).toBe(false);
        expect(await store.requestDeadLetterRetry('other', one!.event.id)).toBe(false);
        expect((await store.listDeadLetters('crm'))[0]).toMatchObject({ eventId: one!.event.id, retryRequested: true });
        expect(await store.addDeadLetter('crm', claim.fence, letter(one!, 10))).toBe(true);
        expect((await store.listDeadLetters('crm'))[0]).toMatchObject({ attempts: 10, retryRequested: false });
        expect(await store.removeDeadLetter('crm', claim.fence, one!.event.id)).toBe(true);
        expect((await store.listDeadLetters('crm')).map((dead) => dead.eventId)).toEqual([two!.event.id]);

        await store.releaseConsumer('crm', claim.fence);
        await store.claimConsumer({ name: 'crm', holder: 'h2', leaseMs: 60_000, from: 'start' });
        expect(await store.addDeadLetter('crm', claim.fence, letter(one!, 1))).toBe(false);
        expect(await store.removeDeadLetter('crm', claim.fence, two!.event.id)).toBe(false);
        expect((await store.listDeadLetters('crm')).map((dead) => dead.eventId)).toEqual([two!.event.id]);
      }),
    );

    it(
      'lists its consumers with holder, lease, checkpoint, lag behind the head of the log and dead-letter count',
      withStore(async (store) => {
        expect(await store.listConsumers()).toEqual([]);
        const a = storedCustomer('a', { provider: 'p' });
        await store.commit({ customer: a, expectedVersion: 0, events: [storedEvent(a, 1)] });
        await store.commit({ customer: { ...a, version: 2 }, expectedVersion: 1, events: [storedEvent(a, 2)] });
        await store.commit({ customer: { ...a, version: 3 }, expectedVersion: 2, events: [storedEvent(a, 3)] });
        const crm = (await store.claimConsumer({ name: 'crm', holder: 'h1', leaseMs: 60_000, from: 'start' }))!;
        await store.claimConsumer({ name: 'audit', holder: 'h2', leaseMs: 60_000, from: 'now' });
        const [one, two] = (await store.readEventLog('', 10)).events;

        const listed = await store.listConsumers();
        expect(listed.map(({ name, holder, leased, lag, deadLetters }) => ({ name, holder, leased, lag, deadLetters }))).toEqual([
          { name: 'audit', holder: 'h2', leased: true, lag: 0, deadLetters: 0 },
          { name: 'crm', holder: 'h1', leased: true, lag: 3, deadLetters: 0 },
        ]);
        expect(Date.parse(listed[1]!.leaseUntil)).toBeGreaterThan(Date.now());

        expect(await store.saveCheckpoint('crm', crm.fence, two!.cursor)).toBe(true);
        const failedAt = '2026-11-22T10:00:00.000Z';
        const letter = { eventId: one!.event.id, customerId: a.id, cursor: one!.cursor, errorCode: 'TypeError', errorMessage: 'The handler threw a TypeError.', attempts: 5, failedAt };
        expect(await store.addDeadLetter('crm', crm.fence, letter)).toBe(true);
        await store.commit({ customer: { ...a, version: 4 }, expectedVersion: 3, events: [storedEvent(a, 4)] });
        await store.releaseConsumer('crm', crm.fence);

        const after = await store.listConsumers();
        expect(after.map(({ name, leased, lag, deadLetters }) => ({ name, leased, lag, deadLetters }))).toEqual([
          { name: 'audit', leased: true, lag: 1, deadLetters: 0 },
          { name: 'crm', leased: false, lag: 2, deadLetters: 1 },
        ]);
        expect(after[1]!.cursor).toBe(two!.cursor);
        // The listed checkpoint is a cursor of this store: reading on from it gives what the consumer has not handled.
        expect((await store.readEventLog(after[1]!.cursor, 10)).events.map((logged) => logged.event.id)).toEqual([storedEvent(a, 3).id, storedEvent(a, 4).id]);
      }),
    );

    it(
      'wakes watchers after a commit with events, also one made through another handle, until they unsubscribe',
      withStore(async (store) => {
        const other = options.openAnother === undefined ? store : await options.openAnother(store);
        try {
          let wakeups = 0;
          const a = storedCustomer('a', { provider: 'p' });
          // The first use sets the store up; watching starts on a ready store.
          await store.readEventLog('', 1);
          const unwatch = store.watchEventLog(() => (wakeups += 1));
          await new Promise((resolve) => setTimeout(resolve, 200)); // a durable store starts listening
          await other.commit({ customer: a, expectedVersion: 0, events: [storedEvent(a, 1)] });
          await vi.waitFor(() => expect(wakeups).toBeGreaterThan(0), { timeout: 5_000 });
          unwatch();
          await new Promise((resolve) => setTimeout(resolve, 200));
          const before = wakeups;
          await other.commit({ customer: { ...a, version: 2 }, expectedVersion: 1, events: [storedEvent(a, 2)] });
          await new Promise((resolve) => setTimeout(resolve, 200));
          expect(wakeups).toBe(before);
        } finally {
          if (other !== store) await options.teardown?.(other);
        }
      }),
    );
  });
}

/** Follows the log from `after` to its end, `limit` events per read. */
async function readAll(store: CustomerStore, after: string, limit: number): Promise<LoggedEvent[]> {
  const all: LoggedEvent[] = [];
  let cursor = after;
  for (;;) {
    const page = await store.readEventLog(cursor, limit);
    all.push(...page.events);
    if (page.events.length < limit) return all;
    cursor = page.events.at(-1)!.cursor;
  }
}


