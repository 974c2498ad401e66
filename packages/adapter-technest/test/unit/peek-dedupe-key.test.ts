import fc from 'fast-check';
import type { WebhookParseResult, WebhookRequest } from '@openkyc/core';
import { describe, expect, it } from 'vitest';
import { parseTechnestWebhook, peekTechnestDedupeKey, peekTechnestDelivery } from '../../src/technest-webhooks.js';

/*
 * The peeked key lets core answer a redelivery before the full parse, so it must never name a key the parse
 * would not: for any body, peek is undefined or exactly parse's dedupeKey, it never throws, and a parse that
 * follows a peek of the same request (reusing the peeked JSON) answers exactly what a parse alone answers.
 */

const now = new Date('2026-05-05T12:00:00Z');
const requestOf = (body: string): WebhookRequest => ({ headers: {}, rawBody: new TextEncoder().encode(body), now });

function outcome(run: () => WebhookParseResult): WebhookParseResult | { thrown: string } {
  try {
    return run();
  } catch (error) {
    return { thrown: (error as { reason?: string }).reason ?? String(error) };
  }
}

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const text = fc.oneof(fc.constantFrom('', 'evt_1', 'verified', 'pending', 'rejected', '2026-05-05T12:00:00Z', 'Document expired'), fc.string({ maxLength: 8 }));
const anyValue = fc.oneof(text, fc.integer(), fc.constant(null), fc.boolean());
const customer = fc.record(
  {
    object: fc.constant('customer'),
    id: fc.oneof(text, fc.integer()),
    status: fc.oneof(text, fc.constantFrom('verified', 'rejected', 'pending', 'created', 'manual_review'), fc.constant(null)),
    verified_at: maybe(anyValue),
    rejected_at: maybe(anyValue),
    kyc_submitted_at: maybe(anyValue),
    rejection_reason: maybe(anyValue),
  },
  { requiredKeys: [] },
);
const envelope = fc.record(
  {
    id: fc.oneof(text, fc.integer(), fc.constant(null)),
    event: fc.oneof(
      fc.constantFrom('customer.status_changed', 'customer.verified', 'customer.rejected', 'customer_verified', 'customer_rejected', 'collection_account.created'),
      anyValue,
    ),
    created_at: fc.oneof(text, fc.constant(null)),
    data: fc.oneof(customer, anyValue),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  { weight: 5, arbitrary: envelope.map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.oneof(fc.string(), fc.json()) },
);

describe('peekTechnestDedupeKey', () => {
  it('is undefined or exactly the key parse gives; never throws; peek + parse = parse', () => {
    fc.assert(
      fc.property(body, (raw) => {
        const alone = outcome(() => parseTechnestWebhook(requestOf(raw)));
        const request = requestOf(raw);
        let peeked: string | undefined;
        expect(() => {
          peeked = peekTechnestDedupeKey(request);
        }).not.toThrow();
        const afterPeek = outcome(() => parseTechnestWebhook(request));
        expect(afterPeek).toEqual(alone);
        if (peeked !== undefined && !('thrown' in alone)) expect(peeked).toBe(alone.dedupeKey);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads the event id of the current and dotted shapes; nothing for legacy events (content key) or unreadable bodies', () => {
    const data = { object: 'customer', id: 'ckcust_1', status: 'verified', verified_at: '2026-05-05T12:00:00Z' };
    expect(peekTechnestDedupeKey(requestOf(JSON.stringify({ id: 'evt_1', event: 'customer.status_changed', data })))).toBe('evt_1');
    expect(peekTechnestDedupeKey(requestOf(JSON.stringify({ id: 'evt_2', event: 'customer.verified', data })))).toBe('evt_2');
    expect(peekTechnestDedupeKey(requestOf(JSON.stringify({ event: 'customer_verified', data })))).toBeUndefined();
    expect(peekTechnestDedupeKey(requestOf(JSON.stringify({ id: '', event: 'customer.verified', data })))).toBeUndefined();
    expect(peekTechnestDedupeKey(requestOf('not json'))).toBeUndefined();
    expect(peekTechnestDedupeKey({ headers: {}, rawBody: new Uint8Array([0xff, 0xfe]), now })).toBeUndefined();
  });

  it('a parse of another request than the one peeked reads its own body', () => {
    const data = { object: 'customer', id: 'ckcust_1', status: 'verified' };
    const peekedRequest = requestOf(JSON.stringify({ id: 'evt_a', event: 'customer.verified', data }));
    expect(peekTechnestDedupeKey(peekedRequest)).toBe('evt_a');
    const other = parseTechnestWebhook(requestOf(JSON.stringify({ id: 'evt_b', event: 'customer.verified', data })));
    expect(other.dedupeKey).toBe('evt_b');
    expect(parseTechnestWebhook(peekedRequest).dedupeKey).toBe('evt_a');
  });
});

describe('peekTechnestDelivery', () => {
  it('is undefined or the key parse gives, with the customer id of the report parse gives (when it gives one); never throws; peek + parse = parse', () => {
    fc.assert(
      fc.property(body, (raw) => {
        const alone = outcome(() => parseTechnestWebhook(requestOf(raw)));
        const request = requestOf(raw);
        let peeked: ReturnType<typeof peekTechnestDelivery>;
        expect(() => {
          peeked = peekTechnestDelivery(request);
        }).not.toThrow();
        expect(outcome(() => parseTechnestWebhook(request))).toEqual(alone);
        expect(peeked?.dedupeKey).toBe(peekTechnestDedupeKey(requestOf(raw)));
        if (peeked === undefined || 'thrown' in alone) return;
        expect(peeked.dedupeKey).toBe(alone.dedupeKey);
        if (alone.kind === 'report') expect(peeked.providerCustomerId).toBe(alone.report.providerCustomerId);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads data.id next to the event id; no customer id when data.id is not a non-empty string', () => {
    const data = { object: 'customer', id: 'ckcust_1', status: 'verified', verified_at: '2026-05-05T12:00:00Z' };
    expect(peekTechnestDelivery(requestOf(JSON.stringify({ id: 'evt_1', event: 'customer.status_changed', data })))).toEqual({ dedupeKey: 'evt_1', providerCustomerId: 'ckcust_1' });
    expect(peekTechnestDelivery(requestOf(JSON.stringify({ id: 'evt_2', event: 'customer.verified', data: { ...data, id: 7 } })))).toEqual({ dedupeKey: 'evt_2' });
    expect(peekTechnestDelivery(requestOf(JSON.stringify({ id: 'evt_3', event: 'customer.verified', data: 'x' })))).toEqual({ dedupeKey: 'evt_3' });
    expect(peekTechnestDelivery(requestOf(JSON.stringify({ event: 'customer_verified', data })))).toBeUndefined();
    expect(peekTechnestDelivery(requestOf('not json'))).toBeUndefined();
  });
});
