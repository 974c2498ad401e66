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
