/**
 * `npx tsx bench/lib/store-roundtrip.ts`: commits customers and events of
 * every shape core makes (and some it does not: odd timestamps, extra keys,
 * foreign ids, retries that change the provider record) to memoryStore and
 * checks that every read gives back exactly what was committed. A guard for
 * the compact representation the memory figure depends on.
 */
import { isDeepStrictEqual } from 'node:util';
import { memoryStore, type Customer, type KycEvent } from '@openkyc/core';

const store = memoryStore();
let failures = 0;
const strip = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
function same(label: string, actual: unknown, expected: unknown): void {
  if (!isDeepStrictEqual(strip(actual), strip(expected))) {
    failures++;
    if (failures < 10) console.log(`MISMATCH ${label}\n  actual:   ${JSON.stringify(actual)}\n  expected: ${JSON.stringify(expected)}`);
  }
}

const at = (minutes: number, day = '2026-11-22'): string => new Date(Date.parse(`${day}T10:00:00.000Z`) + minutes * 60_000).toISOString();
function customer(i: number, overrides: Partial<Customer> & Record<string, unknown> = {}): Customer {
  const id = `cus_${i.toString(16).padStart(32, '0')}`;
  const reference = `user-${i}`;
  return {
    id,
    reference,
    type: i % 7 === 0 ? 'business' : 'individual',
    email: `u${i}@example.com`,
    firstName: 'Jane',
    lastName: i % 3 === 0 ? 'O\'Brien "Tëst" \u2028' : 'Smith',
    provider: i % 2 === 0 ? 'technest' : 'patch-style',
    providerCustomerId: `rec_${i}`,
    providerReference: i % 5 === 0 ? `${reference}-r2` : reference,
    attempts: [{ number: 1, providerCustomerId: `rec_${i}`, providerReference: reference, status: 'created', rawStatus: 'CREATED', startedAt: at(0) }],
    status: 'created',
    rawStatus: 'CREATED',
    requirements: [],
    submissions: 0,
    machineVersion: 1,
    createdAt: at(0),
    updatedAt: at(0),
    lastCheckedAt: at(0),
    ignored: [],
    eventCount: 1,
    version: 1,
    ...overrides,
  } as Customer;
}
function event(c: Customer, seq: number, type: KycEvent['type'], extra: Record<string, unknown> = {}): KycEvent {
  return {
    id: `evt_${c.id}_${seq}`,
    customerId: c.id,
    reference: c.reference,
    provider: c.provider,
    providerCustomerId: c.providerCustomerId,
    from: seq === 1 ? null : 'pending',
    to: seq === 1 ? 'created' : 'verified',
    at: c.updatedAt,
    ...(seq % 2 === 0 ? { occurredAt: seq % 4 === 0 ? c.updatedAt : '2026-11-21T09:00:00Z' } : {}),
    source: seq % 3 === 0 ? 'webhook' : 'api',
    // The provider's raw status: mostly the same per status (left off in memory), sometimes another, odd or none.
    ...(seq === 3 && c.reference.endsWith('5') ? {} : { providerStatus: c.reference.endsWith('7') ? `Odd "raw" ü ${seq}` : seq === 1 ? 'CREATED' : 'APPROVED' }),
    type,
    ...extra,
  } as KycEvent;
}

for (let i = 1; i <= 300; i++) {
  const history: KycEvent[] = [];
  let c = customer(i);
  const commit = async (next: Customer, events: KycEvent[]) => {
    const result = await store.commit({ customer: next, expectedVersion: next.version - 1, events, dedupe: { provider: next.provider, key: `d${i}-${next.version}` } });
    if (!result.ok) throw new Error(`commit ${i} v${next.version}: ${result.reason}`);
    history.push(...events);
    c = next;
    same(`get ${i} v${next.version}`, await store.get(next.id), next);
    same(`byRef ${i}`, await store.findByReference(next.reference), next);
    same(`byRecord ${i}`, await store.findByProviderCustomerId(next.provider, next.providerCustomerId), next);
    same(`events ${i} v${next.version}`, await store.listEvents(next.id), history);
  };
  await commit(c, [event(c, 1, 'customer.created')]);
  const v2: Customer = { ...c, status: 'pending', rawStatus: 'UNDER_REVIEW', submittedAt: at(5), pendingSince: at(5), updatedAt: at(5), lastReportAt: at(4), eventCount: 2, version: 2, submissions: 1 };
  await commit(v2, [event(v2, 2, 'customer.submitted')]);
  const kinds = i % 6;
  const v3: Customer =
    kinds === 0
      ? { ...c, status: 'needs_info', requirements: [{ kind: 'document', name: 'proof_of_address', message: 'Upload one', providerCode: 'POA' }], updatedAt: at(60 * 30), eventCount: 3, version: 3 }
      : kinds === 1
        ? { ...c, status: 'rejected', rejection: { code: 'document_unreadable', message: 'Unreadable', providerReason: 'blurry', retryable: true }, rejectedAt: at(9), updatedAt: at(9), eventCount: 3, version: 3, ignored: [{ at: at(8), source: 'poll', status: 'created', rawStatus: 'x', occurredAt: at(1), reason: 'stale' }] }
        : kinds === 2
          ? { ...c, status: 'verified', verificationLevel: 'FULL', verifiedAt: 'T-weird', updatedAt: '!odd', eventCount: 3, version: 3 }
          : kinds === 3
            ? ({ ...c, status: 'verified', verifiedAt: at(2, '2026-12-31'), updatedAt: at(3), eventCount: 3, version: 3, extraField: { nested: [1, 'two'] }, another: null } as Customer)
            : kinds === 4
              ? { ...c, status: 'active', activatedAt: at(7), updatedAt: at(7), eventCount: 3, version: 3, attempts: [...c.attempts, { number: 2, providerCustomerId: `rec_${i}_2`, providerReference: `user-${i}-r2`, status: 'pending', rawStatus: 'P', startedAt: at(6) }], providerCustomerId: `rec_${i}_2` }
              : { ...c, status: 'pending', reviewOverdueAt: at(400), updatedAt: at(400), eventCount: 3, version: 3 };
  const e3: KycEvent =
    kinds === 0
      ? event(v3, 3, 'customer.needs_info', { requirements: v3.requirements })
      : kinds === 1
        ? event(v3, 3, 'customer.rejected', { rejection: v3.rejection })
        : kinds === 2
          ? event(v3, 3, 'customer.verified', { verificationLevel: 'FULL' })
          : kinds === 3
            ? ({ ...event(v3, 3, 'customer.verified'), id: 'custom-id', surprise: true } as unknown as KycEvent)
            : kinds === 4
              ? event(v3, 3, 'customer.activated')
              : event(v3, 3, 'customer.review_overdue', { pendingSince: at(5), escalateAfterMs: 18_000_000 });
  await commit(v3, [e3]);
  // Identity changes after events exist: a retry with a new provider record, a new creation day.
  const v4: Customer = { ...c, providerCustomerId: `rec_${i}_9`, createdAt: i % 4 === 0 ? at(0, '2027-01-01') : c.createdAt, version: 4, eventCount: 4 };
  await commit(v4, [event(v4, 4, 'customer.deactivated')]);
  // The provider record replaced in place (every attempt names the new one): still found by it.
  const v5: Customer = { ...c, providerCustomerId: `rec_${i}_x`, attempts: c.attempts.map((a) => ({ ...a, providerCustomerId: `rec_${i}_x` })), version: 5 };
  await commit(v5, []);
}
same('dedupe', await store.hasProcessed('technest', 'd2-3'), true);
let listed = 0;
for await (const c of store.list({ statuses: ['verified'] })) {
  listed++;
  if (c.status !== 'verified') failures++;
}
console.log(failures === 0 ? `store round trip: OK (300 customers, 4 commits each, ${listed} verified listed)` : `store round trip: ${failures} mismatches`);
process.exitCode = failures === 0 ? 0 : 1;
