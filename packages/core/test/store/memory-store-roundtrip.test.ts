import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Customer } from '../../src/models/customer.js';
import { CUSTOMER_STATUSES } from '../../src/models/customer-status.js';
import { KYC_EVENT_TYPES, type KycEvent } from '../../src/models/events.js';
import { REJECTION_CODES } from '../../src/models/requirement.js';
import { memoryStore } from '../../src/store/memory-store.js';

/**
 * memoryStore keeps customers and events in a compact encoding (see its
 * header). Whatever shape is committed must read back exactly: this property
 * throws arbitrary customers and events at it, odd strings and timestamps
 * included, and compares JSON-equal.
 */
const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const text = fc.oneof(fc.string(), fc.constantFrom('', '0', '1', 'null', '"', '\u2028', 'Tëst O\'Brien', '[]', '{}'));
// Mostly arbitrary instants, but also a few shared ones: the codec writes a timestamp equal to an earlier slot
// as that slot's number and one on the creation day without its date, so repeats and same-day values must come up.
const instant = fc.oneof(
  fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2030-12-31T23:59:59Z') }).map((ms) => new Date(ms).toISOString()),
  fc.constantFrom('2026-12-05T02:45:26.932Z', '2026-12-05T02:45:27.434Z', '2026-12-05T23:59:59.999Z', '2026-12-06T00:00:00.000Z'),
);
const status = fc.constantFrom(...CUSTOMER_STATUSES);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const attempt = fc.record({
  number: fc.integer({ min: 1, max: 9 }),
  providerCustomerId: text,
  providerReference: text,
  status,
  rawStatus: text,
  startedAt: instant,
});

const customerArb = fc
  .record({
    id: fc.string({ minLength: 1 }),
    reference: fc.string({ minLength: 1 }),
    type: fc.constantFrom('individual', 'business'),
    email: text,
    firstName: text,
    lastName: text,
    provider: fc.constantFrom('technest', 'patch-style', 'clients-command', 'x'),
    providerCustomerId: text,
    providerReference: text,
    attempts: fc.array(attempt, { minLength: 1, maxLength: 3 }),
    status,
    rawStatus: text,
    requirements: fc.array(
      fc.record({ kind: fc.constantFrom('document', 'field', 'contact_verification'), name: text, message: text, providerCode: maybe(text) }),
      { maxLength: 3 },
    ),
    rejection: maybe(fc.record({ code: fc.constantFrom(...REJECTION_CODES), message: text, providerReason: maybe(text), retryable: fc.boolean() })),
    verificationLevel: maybe(text),
    submissions: fc.nat(20),
    machineVersion: fc.constant(1),
    lastReportAt: maybe(instant),
    lastReceivedAt: maybe(instant),
    reviewOverdueLevel: maybe(fc.integer({ min: 0, max: 3 })),
    lastCheckedAt: maybe(instant),
    pendingSince: maybe(instant),
    reviewOverdueAt: maybe(instant),
    createdAt: instant,
    updatedAt: instant,
    submittedAt: maybe(instant),
    verifiedAt: maybe(instant),
    activatedAt: maybe(instant),
    rejectedAt: maybe(instant),
    deactivatedAt: maybe(instant),
    ignored: fc.array(
      fc.record({
        at: instant,
        source: fc.constantFrom('api', 'webhook', 'poll'),
        status,
        rawStatus: text,
        occurredAt: instant,
        reason: fc.constantFrom('stale', 'invalid_transition', 'final_state', 'superseded_attempt'),
      }),
      { maxLength: 3 },
    ),
    eventCount: fc.nat(10),
  })
  .map((fields) => json({ ...fields, version: 1 }) as Customer);

const eventsOf = (customer: Customer) =>
  fc.array(
    fc.record({
      type: fc.constantFrom(...KYC_EVENT_TYPES),
      from: fc.option(status, { nil: null }),
      to: status,
      at: instant,
      occurredAt: maybe(instant),
      source: fc.constantFrom('api', 'webhook', 'poll'),
      providerCustomerId: fc.oneof(fc.constant(customer.providerCustomerId), text),
      // A few repeated values (the codec leaves the usual one per provider and status off) and arbitrary text.
      providerStatus: maybe(fc.oneof(fc.constantFrom('APPROVED', 'IN_REVIEW', 'verified', 'pending'), text)),
    }),
    { maxLength: 8 },
  ).map((events) =>
    events.map(
      (event, index) =>
        json({
          ...event,
          id: `evt_${customer.id}_${index + 1}`,
          customerId: customer.id,
          reference: customer.reference,
          provider: customer.provider,
        }) as KycEvent,
    ),
  );

/** Values of the wrong JSON type for a field (the codec keeps them aside, under their key). */
const oddValue = fc.oneof(fc.constant(null), fc.integer(), fc.boolean(), text, fc.constant([]), fc.constant({ nested: ['x', 1] }));
const ODD_FIELDS = ['type', 'email', 'rawStatus', 'requirements', 'rejection', 'verificationLevel', 'submissions', 'lastReportAt', 'createdAt', 'verifiedAt', 'ignored', 'eventCount', 'reviewOverdueLevel'] as const;

/** A customer with some fields of unexpected types and keys the codec has no slot for (JSON data still). */
const oddCustomerArb = fc
  .tuple(
    customerArb,
    fc.dictionary(fc.constantFrom(...ODD_FIELDS), oddValue, { maxKeys: 4 }),
    fc.dictionary(fc.constantFrom('note', 'tags', 'forgottenAt', 'x-extra', '0'), oddValue, { maxKeys: 3 }),
    // An attempt of another shape (an unknown key) is kept whole.
    fc.boolean(),
  )
  .map(([customer, odd, extra, oddAttempt]) =>
    json({ ...customer, ...odd, ...extra, attempts: oddAttempt ? [...customer.attempts, { ...customer.attempts[0]!, note: 'x' }] : customer.attempts }) as Customer,
  );

describe('memoryStore round trip', () => {
  it('reads back exactly customers with fields of unexpected types and unknown keys', async () => {
    await fc.assert(
      fc.asyncProperty(oddCustomerArb, async (customer) => {
        const store = memoryStore();
        expect(await store.commit({ customer, expectedVersion: 0 })).toEqual({ ok: true });
        expect(json(await store.get(customer.id))).toEqual(customer);
        // A second customer of the usual shape after an odd one (and the odd one again) still reads back exactly.
        const usual = json({ ...customer, id: `${customer.id}-usual`, reference: `${customer.reference}-usual` });
        await store.commit({ customer: usual as Customer, expectedVersion: 0 });
        expect(json(await store.get(customer.id))).toEqual(customer);
      }),
      { numRuns: 300 },
    );
  });

  it('lists the deliveries committed with a customer in commit order, each with when it was processed', async () => {
    const store = memoryStore();
    const [customer] = fc.sample(customerArb, { numRuns: 1, seed: 7 });
    const before = Date.now();
    await store.commit({ customer: customer!, expectedVersion: 0, dedupe: { provider: 'technest', key: 'evt_1' } });
    await store.commit({ customer: { ...customer!, version: 2 }, expectedVersion: 1, dedupe: { provider: 'other', key: 'evt_2' } });
    const listed = await store.listDeliveries(customer!.id);
    expect(listed.map(({ provider, dedupeKey, customerId }) => ({ provider, dedupeKey, customerId }))).toEqual([
      { provider: 'technest', dedupeKey: 'evt_1', customerId: customer!.id },
      { provider: 'other', dedupeKey: 'evt_2', customerId: customer!.id },
    ]);
    for (const { processedAt } of listed) {
      expect(new Date(processedAt).toISOString()).toBe(processedAt);
      expect(Date.parse(processedAt)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(processedAt)).toBeLessThanOrEqual(Date.now());
    }
    expect(await store.listDeliveries('nobody')).toEqual([]);
  });


  it('reads back exactly the customer and events that were committed', async () => {
    await fc.assert(
      fc.asyncProperty(
        customerArb.chain((customer) => fc.tuple(fc.constant(customer), eventsOf(customer))),
        async ([customer, events]) => {
          const store = memoryStore();
          expect(await store.commit({ customer, expectedVersion: 0, events })).toEqual({ ok: true });
          expect(json(await store.get(customer.id))).toEqual(customer);
          expect(json(await store.listEvents(customer.id))).toEqual(events);
          expect((await store.findByReference(customer.reference))?.id).toBe(customer.id);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("reads back each event's provider status, usual or not, absent or not, across stores", async () => {
    const customer = json({
      id: 'cus_raw',
      reference: 'raw-1',
      type: 'individual',
      email: 'raw@example.com',
      firstName: 'Jane',
      lastName: 'Smith',
      provider: 'raw-status-provider',
      providerCustomerId: 'rec_raw',
      attempts: [],
      status: 'verified',
      rawStatus: 'APPROVED',
      requirements: [],
      submissions: 1,
      machineVersion: 1,
      createdAt: '2026-11-22T10:00:00.000Z',
      updatedAt: '2026-11-22T10:05:00.000Z',
      ignored: [],
      eventCount: 4,
      version: 1,
    }) as unknown as Customer;
    const event = (seq: number, to: KycEvent['to'], type: KycEvent['type'], providerStatus?: string): KycEvent =>
      json({
        id: `evt_cus_raw_${seq}`,
        customerId: customer.id,
        reference: customer.reference,
        provider: customer.provider,
        providerCustomerId: customer.providerCustomerId,
        from: 'pending',
        to,
        at: '2026-11-22T10:05:00.000Z',
        source: 'webhook',
        providerStatus,
        type,
      }) as KycEvent;
    const first = [event(1, 'pending', 'customer.submitted', 'IN_REVIEW'), event(2, 'verified', 'customer.verified', 'APPROVED')];
    // The same statuses again, then another raw value for a status already seen, then none at all.
    const second = [
      event(1, 'pending', 'customer.submitted', 'IN_REVIEW'),
      event(2, 'verified', 'customer.verified', 'ACTIVE'),
      event(3, 'pending', 'customer.submitted'),
      event(4, 'verified', 'customer.verified', 'APPROVED'),
    ];
    for (const events of [first, second]) {
      const store = memoryStore();
      expect(await store.commit({ customer, expectedVersion: 0, events })).toEqual({ ok: true });
      const read = await store.listEvents(customer.id);
      expect(read.map((e) => e.providerStatus)).toEqual(events.map((e) => e.providerStatus));
      expect(json(read)).toEqual(events);
    }
  });

  it('keeps reading exactly after later versions change any field', async () => {
    await fc.assert(
      fc.asyncProperty(customerArb, customerArb, async (first, second) => {
        const store = memoryStore();
        await store.commit({ customer: first, expectedVersion: 0 });
        const next = { ...second, id: first.id, reference: first.reference, version: 2 } as Customer;
        expect(await store.commit({ customer: next, expectedVersion: 1 })).toEqual({ ok: true });
        expect(json(await store.get(first.id))).toEqual(next);
        for (const attempt of next.attempts) {
          expect((await store.findByProviderCustomerId(next.provider, attempt.providerCustomerId))?.id).toBe(first.id);
        }
      }),
      { numRuns: 200 },
    );
  });
});
