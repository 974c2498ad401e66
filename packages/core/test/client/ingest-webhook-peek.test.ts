import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKyc } from '../../src/client/create-kyc.js';
import type { Kyc } from '../../src/client/kyc.js';
import type { KycProvider, ProviderWebhooks, WebhookRequest } from '../../src/provider/kyc-provider.js';
import { memoryStore } from '../../src/store/memory-store.js';
import { startTinyServer, tinyProvider, type TinyServer } from '../support/tiny-provider.js';

/**
 * `ProviderWebhooks.peekDedupeKey`: when an adapter can read the dedupe key cheaply, core answers a
 * redelivery before the full parse; when it cannot (undefined), or disagrees with parse, the parse's key
 * still decides. The tiny adapter is wrapped to count parses; everything else is real.
 */
let server: TinyServer;
let kyc: Kyc;
let parses: number;
let peeks: number;
const now = new Date('2026-11-22T10:00:00.000Z');

function withPeek(provider: KycProvider, peek: (request: WebhookRequest) => string | undefined): KycProvider {
  const webhooks = provider.webhooks!;
  const counted: ProviderWebhooks = {
    verify: (request) => webhooks.verify(request),
    parse: (request) => {
      parses += 1;
      return webhooks.parse(request);
    },
    peekDedupeKey: (request) => {
      peeks += 1;
      return peek(request);
    },
  };
  return { ...provider, webhooks: counted };
}

const idOf = (request: WebhookRequest): string => (JSON.parse(Buffer.from(request.rawBody).toString('utf8')) as { id: string }).id;

async function setUp(peek: (request: WebhookRequest) => string | undefined): Promise<string> {
  kyc = createKyc({ providers: [withPeek(tinyProvider(server), peek)], store: memoryStore(), now: () => now });
  const customer = await kyc.createCustomer({ reference: 'peek-1', type: 'individual', email: 'a@b.co', firstName: 'A', lastName: 'B' });
  return customer.providerCustomerId;
}

beforeEach(async () => {
  server = await startTinyServer(() => now);
  parses = 0;
  peeks = 0;
});

afterEach(async () => {
  await kyc.close();
  await server.close();
});

describe('handleWebhook with an adapter that peeks the dedupe key', () => {
  it('applies a new delivery once (one parse) and answers its redelivery as a duplicate without parsing', async () => {
    const providerCustomerId = await setUp(idOf);
    const delivery = server.delivery({ id: 'evt_peek_1', customerId: providerCustomerId, status: 'pending', occurredAt: now.toISOString() });
    const first = await kyc.handleWebhook('tiny', delivery);
    expect(first.events.map((event) => event.type)).toEqual(['customer.submitted']);
    expect([peeks, parses]).toEqual([1, 1]);

    expect(await kyc.handleWebhook('tiny', delivery)).toEqual({ events: [], duplicate: true });
    expect([peeks, parses]).toEqual([2, 1]);
  });

  it('still verifies first: a forged redelivery is refused, not answered as a duplicate', async () => {
    const providerCustomerId = await setUp(idOf);
    const payload = { id: 'evt_peek_2', customerId: providerCustomerId, status: 'pending' as const, occurredAt: now.toISOString() };
    await kyc.handleWebhook('tiny', server.delivery(payload));
    await expect(kyc.handleWebhook('tiny', server.delivery(payload, { secret: 'wrong' }))).rejects.toMatchObject({ reason: 'signature_mismatch' });
    expect(peeks).toBe(1);
  });

  it('falls back to the parsed key when the peek cannot tell (undefined) or tells another key', async () => {
    const providerCustomerId = await setUp((request) => (idOf(request) === 'evt_peek_3' ? undefined : 'not-the-key'));
    for (const id of ['evt_peek_3', 'evt_peek_4']) {
      const delivery = server.delivery({ id, customerId: providerCustomerId, status: id === 'evt_peek_3' ? 'pending' : 'verified', occurredAt: now.toISOString() });
      expect((await kyc.handleWebhook('tiny', delivery)).events).toHaveLength(1);
      expect(await kyc.handleWebhook('tiny', delivery)).toEqual({ events: [], duplicate: true });
    }
    expect(parses).toBe(4);
  });
});

/**
 * `ProviderWebhooks.peekDelivery`: the dedupe key and the provider customer id read before parsing, so the
 * dedupe check and the customer read are one store read before the parse. A peek that disagrees with the
 * parse (another key, another record), throws or returns junk must never apply a report to the wrong
 * customer nor mark the wrong key processed. The store is counted, not replaced.
 */
describe('handleWebhook with an adapter that peeks the dedupe key and the customer id', () => {
  type Peek = ReturnType<NonNullable<ProviderWebhooks['peekDelivery']>>;
  let reads: { lookups: string[]; probes: number };

  const bodyOf = (request: WebhookRequest) => JSON.parse(Buffer.from(request.rawBody).toString('utf8')) as { id: string; customerId: string };

  async function setUpPeek(peek: (request: WebhookRequest) => Peek): Promise<[string, string]> {
    const provider = tinyProvider(server);
    const webhooks = provider.webhooks!;
    const store = memoryStore();
    reads = { lookups: [], probes: 0 };
    const counted: typeof store = {
      ...store,
      lookupDelivery: (providerId, key, providerCustomerId) => {
        reads.lookups.push(`${key}@${providerCustomerId}`);
        return store.lookupDelivery(providerId, key, providerCustomerId);
      },
      hasProcessed: (providerId, key) => {
        reads.probes += 1;
        return store.hasProcessed(providerId, key);
      },
    };
    kyc = createKyc({
      providers: [
        {
          ...provider,
          webhooks: {
            verify: (request) => webhooks.verify(request),
            parse: (request) => {
              parses += 1;
              return webhooks.parse(request);
            },
            peekDelivery: (request) => {
              peeks += 1;
              return peek(request);
            },
          },
        },
      ],
      store: counted,
      now: () => now,
    });
    const a = await kyc.createCustomer({ reference: 'peek-a', type: 'individual', email: 'a@b.co', firstName: 'A', lastName: 'B' });
    const b = await kyc.createCustomer({ reference: 'peek-b', type: 'individual', email: 'c@d.co', firstName: 'C', lastName: 'D' });
    return [a.providerCustomerId, b.providerCustomerId];
  }

  it('reads the dedupe key and the customer in one store read before parsing; a redelivery is one read, no parse', async () => {
    const [a] = await setUpPeek((request) => ({ dedupeKey: bodyOf(request).id, providerCustomerId: bodyOf(request).customerId }));
    const delivery = server.delivery({ id: 'evt_pd_1', customerId: a, status: 'pending', occurredAt: now.toISOString() });
    expect((await kyc.handleWebhook('tiny', delivery)).events.map((event) => event.type)).toEqual(['customer.submitted']);
    expect(reads).toEqual({ lookups: [`evt_pd_1@${a}`], probes: 0 });

    parses = 0;
    expect(await kyc.handleWebhook('tiny', delivery)).toEqual({ events: [], duplicate: true });
    expect(reads).toEqual({ lookups: [`evt_pd_1@${a}`, `evt_pd_1@${a}`], probes: 0 });
    expect(parses).toBe(0);
  });

  it('applies the report to the customer the parse names when the peek names another record', async () => {
    let peekedRecord = '';
    const [a, b] = await setUpPeek((request) => ({ dedupeKey: bodyOf(request).id, providerCustomerId: peekedRecord }));
    peekedRecord = b;
    const result = await kyc.handleWebhook('tiny', server.delivery({ id: 'evt_pd_2', customerId: a, status: 'pending', occurredAt: now.toISOString() }));
    expect(result.events.map((event) => [event.type, event.providerCustomerId])).toEqual([['customer.submitted', a]]);
    // Read again for what the parse says: the peeked customer was not used.
    expect(reads.lookups).toEqual([`evt_pd_2@${b}`, `evt_pd_2@${a}`]);
    expect((await kyc.findCustomerByReference('peek-a'))?.status).toBe('pending');
    expect((await kyc.findCustomerByReference('peek-b'))?.status).toBe('created');
  });

  it('records the parsed dedupe key, not a wrong peeked one: the peeked key stays free, the parsed one is a duplicate', async () => {
    const [a] = await setUpPeek((request) => ({ dedupeKey: `wrong-${bodyOf(request).id}`, providerCustomerId: bodyOf(request).customerId }));
    const delivery = server.delivery({ id: 'evt_pd_3', customerId: a, status: 'pending', occurredAt: now.toISOString() });
    expect((await kyc.handleWebhook('tiny', delivery)).events).toHaveLength(1);
    expect(reads.lookups).toEqual([`wrong-evt_pd_3@${a}`, `evt_pd_3@${a}`]);
    // The redelivery passes the (wrong) early check, and the parsed key's check answers duplicate.
    expect(await kyc.handleWebhook('tiny', delivery)).toEqual({ events: [], duplicate: true });
    // A delivery whose real key is the one peeked wrongly before still applies.
    const other = server.delivery({ id: 'wrong-evt_pd_3', customerId: a, status: 'verified', occurredAt: now.toISOString() });
    expect((await kyc.handleWebhook('tiny', other)).events.map((event) => event.type)).toEqual(['customer.verified']);
  });

  it('treats a peek that throws, or returns junk, as no peek: the parse decides', async () => {
    let mode: 'throw' | 'junk' | 'no-id' = 'throw';
    const [a] = await setUpPeek((request) => {
      if (mode === 'throw') throw new Error('adapter bug');
      if (mode === 'junk') return { dedupeKey: 42, providerCustomerId: a } as unknown as Peek;
      return { dedupeKey: bodyOf(request).id, providerCustomerId: 7 } as unknown as Peek;
    });
    const results = [];
    for (const [id, status, m] of [['evt_pd_4', 'pending', 'throw'], ['evt_pd_5', 'verified', 'junk'], ['evt_pd_6', 'verified', 'no-id']] as const) {
      mode = m;
      const delivery = server.delivery({ id, customerId: a, status, occurredAt: now.toISOString() });
      results.push((await kyc.handleWebhook('tiny', delivery)).events.length, (await kyc.handleWebhook('tiny', delivery)).duplicate);
    }
    expect(results).toEqual([1, true, 1, true, 0, true]);
    // Junk ids are dropped: with a usable key alone, core probes the key, then reads after parsing.
    expect(reads.probes).toBe(2);
    expect(reads.lookups.every((lookup) => lookup.endsWith(`@${a}`))).toBe(true);
  });
});
