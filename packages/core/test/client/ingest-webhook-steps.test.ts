import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyProviderReport } from '../../src/client/apply-provider-report.js';
import { createEventBus } from '../../src/client/event-bus.js';
import { createKeyedMutex } from '../../src/client/keyed-mutex.js';
import type { KycContext } from '../../src/client/kyc-context.js';
import { createCustomer } from '../../src/client/use-cases/create-customer.js';
import {
  commitDelivery,
  locateCustomer,
  parseDelivery,
  receive,
  resultOf,
  webhookProvider,
} from '../../src/client/use-cases/ingest-webhook.js';
import { WebhookVerificationError } from '../../src/errors.js';
import { createKycInstruments } from '../../src/telemetry/kyc-telemetry.js';
import { silentLogger } from '../../src/logging/logger.js';
import type { KycEvent } from '../../src/models/events.js';
import { memoryStore } from '../../src/store/memory-store.js';
import { startTinyServer, tinyProvider, type TinyServer } from '../support/tiny-provider.js';

/**
 * The webhook pipeline's steps one by one (the whole pipeline is tested through
 * `kyc.handleWebhook` in create-kyc.test.ts and the conformance suites).
 */
let server: TinyServer;
let ctx: KycContext;
let published: KycEvent[];
const now = new Date('2026-11-22T10:00:00.000Z');

beforeEach(async () => {
  server = await startTinyServer(() => now);
  published = [];
  const bus = createEventBus(silentLogger);
  bus.subscribe((event) => {
    published.push(event);
  });
  const provider = tinyProvider(server);
  ctx = {
    instruments: createKycInstruments(),
    store: memoryStore(),
    providers: new Map([
      [provider.id, provider],
      ['quiet', { ...tinyProvider(server, { id: 'quiet', capabilities: { webhooks: false } }), webhooks: undefined }],
    ]),
    defaultProvider: provider.id,
    logger: silentLogger,
    bus,
    customerLock: createKeyedMutex(),
    reconcileSchedule: undefined,
    parkedStaleAfterMs: 86_400_000,
    now: () => now,
  };
});

afterEach(async () => {
  await Promise.all([...ctx.providers.values()].map((provider) => provider.close?.()));
  await server.close();
});

const newCustomer = () =>
  createCustomer(ctx, { reference: `ref-${published.length}-${Math.random()}`, type: 'individual', email: 'a@b.co', firstName: 'A', lastName: 'B' });

describe('webhookProvider', () => {
  it('names an unknown provider and one without webhooks as distinct verification reasons', () => {
    expect(() => webhookProvider(ctx, 'nope')).toThrow(expect.objectContaining({ reason: 'unknown_provider' }));
    expect(() => webhookProvider(ctx, 'quiet')).toThrow(expect.objectContaining({ reason: 'not_supported' }));
    expect(webhookProvider(ctx, 'tiny').provider.id).toBe('tiny');
  });
});

describe('receive', () => {
  it('keeps the exact bytes, lower-cases header names and stamps the receipt time', () => {
    const request = receive({ headers: { 'X-Tiny-Signature': 'abc' }, body: 'é{}' }, now);
    expect(request.headers).toEqual({ 'x-tiny-signature': 'abc' });
    expect(Buffer.from(request.rawBody).toString('utf8')).toBe('é{}');
    expect(request.now).toBe(now);
  });
});

describe('parseDelivery', () => {
  it("turns an adapter's own parse failure into malformed_body, keeping it as the cause", () => {
    const { provider, webhooks } = webhookProvider(ctx, 'tiny');
    const broken = { ...webhooks, parse: () => { throw new TypeError('boom'); } };
    const error = (() => {
      try {
        parseDelivery(provider, broken, receive({ headers: {}, body: '{}' }, now));
      } catch (caught) {
        return caught;
      }
    })();
    expect(WebhookVerificationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'malformed_body' });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });
});

describe('locateCustomer, commitDelivery, resultOf', () => {
  it('commits state, events and dedupe key together; a second commit of the key is a duplicate; a stale version conflicts', async () => {
    const customer = await newCustomer();
    const report = { providerCustomerId: customer.providerCustomerId, status: 'pending' as const, rawStatus: 'pending' };
    const located = await locateCustomer(ctx, 'tiny', report);
    expect(located?.id).toBe(customer.id);
    expect(await locateCustomer(ctx, 'tiny', { ...report, providerCustomerId: 'unknown' })).toBeUndefined();

    const outcome = applyProviderReport(located!, report, 'webhook', now);
    const dedupe = { provider: 'tiny', key: 'evt_1' };
    expect(await commitDelivery(ctx, located!, outcome, dedupe)).toBe('committed');
    expect(await ctx.store.hasProcessed('tiny', 'evt_1')).toBe(true);
    expect((await ctx.store.get(customer.id))?.status).toBe('pending');
    // Nothing is published by the commit itself: publishing is its own step, after it.
    expect(published.map((event) => event.type)).toEqual(['customer.created']);

    expect(await commitDelivery(ctx, located!, outcome, { provider: 'tiny', key: 'evt_2' })).toBe('conflict');
    const latest = (await ctx.store.get(customer.id))!;
    const again = applyProviderReport(latest, report, 'webhook', now);
    expect(await commitDelivery(ctx, latest, again, dedupe)).toBe('duplicate');

    expect(resultOf(outcome)).toEqual({ events: outcome.events, duplicate: false });
    expect(resultOf(again)).toEqual({ events: [], duplicate: false, ignored: 'unchanged' });
    const ignored = applyProviderReport(latest, { ...report, providerCustomerId: 'an-earlier-record' }, 'webhook', now);
    expect(resultOf(ignored)).toEqual({ events: [], duplicate: false, ignored: 'superseded_attempt' });
  });
});
