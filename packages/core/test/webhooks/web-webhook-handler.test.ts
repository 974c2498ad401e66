import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createKyc } from '../../src/client/create-kyc.js';
import type { Kyc } from '../../src/client/kyc.js';
import { KycError, WebhookVerificationError, type WebhookVerificationReason } from '../../src/errors.js';
import type { KycEvent } from '../../src/models/events.js';
import { DEFAULT_WEBHOOK_MAX_BODY_BYTES, webhookHandler } from '../../src/webhooks/web-webhook-handler.js';
import { sampleApplication } from '../support/application-fixture.js';
import { TINY_WEBHOOK_SECRET, startTinyServer, tinyProvider, type TinyDelivery, type TinyServer } from '../support/tiny-provider.js';

let server: TinyServer;
let kyc: Kyc;
let events: KycEvent[];
let now: Date;

beforeEach(async () => {
  now = new Date('2026-11-22T10:00:00.000Z');
  server = await startTinyServer(() => now);
  kyc = createKyc({ providers: [tinyProvider(server), tinyProvider(server, { id: 'quiet', capabilities: { webhooks: false } })], now: () => now });
  events = [];
  kyc.subscribe((event) => {
    events.push(event);
  });
});

afterEach(async () => {
  await kyc.close();
  await server.close();
});

const URL_ = 'https://platform.example/webhooks/tiny';

function post(delivery: { headers: Record<string, string>; body: string | ReadableStream<Uint8Array> | null }, init: RequestInit = {}): Request {
  return new Request(URL_, { method: 'POST', headers: delivery.headers, body: delivery.body, ...init });
}

async function pendingCustomer(reference = 'user-123') {
  const created = await kyc.createCustomer({ reference, type: 'individual', email: 'jane@example.com', firstName: 'Jane', lastName: 'Smith' });
  return kyc.submit(created.id, sampleApplication());
}

async function answer(response: Response): Promise<{ status: number; body: unknown; text: string }> {
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as unknown, text };
}

describe('webhookHandler: accepted deliveries', () => {
  it('verifies the raw bytes, applies the report and answers 200 with the event count', async () => {
    const customer = await pendingCustomer();
    const delivery = server.decide(customer.providerCustomerId, 'verified');
    const handler = webhookHandler(kyc, 'tiny');

    const response = await handler(post(delivery));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ received: true, events: 1, duplicate: false });
    expect((await kyc.getCustomer(customer.id)).status).toBe('verified');
    expect(events.filter((event) => event.type === 'customer.verified')).toHaveLength(1);
  });

  it('answers 200 duplicate:true for a redelivery and changes nothing', async () => {
    const customer = await pendingCustomer();
    const delivery = server.decide(customer.providerCustomerId, 'verified');
    const handler = webhookHandler(kyc, 'tiny');
    await handler(post(delivery));
    const before = events.length;

    const again = await answer(await handler(post(delivery)));
    expect(again).toMatchObject({ status: 200, body: { received: true, events: 0, duplicate: true } });
    expect(events).toHaveLength(before);
  });

  it('takes the body as bytes exactly as sent: non-ASCII text, odd spacing and a chunked stream still verify', async () => {
    const customer = await pendingCustomer();
    const payload = `{ "id":"evt_é1",  "customerId":"${customer.providerCustomerId}","status":"verified","occurredAt":"${now.toISOString()}", "note":"Zoë ✓" }`;
    const delivery = server.delivery(payload);
    const bytes = Buffer.from(delivery.body, 'utf8');
    // Split inside a multi-byte character: a reader that decoded chunk by chunk would corrupt it.
    const split = bytes.indexOf(Buffer.from('ë')) + 1;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(bytes.subarray(0, split)));
        controller.enqueue(new Uint8Array(bytes.subarray(split)));
        controller.close();
      },
    });
    const response = await webhookHandler(kyc, 'tiny')(post({ headers: delivery.headers, body: stream }, { duplex: 'half' } as RequestInit));
    expect(await answer(response)).toMatchObject({ status: 200, body: { events: 1 } });
  });

  it('answers 200 for a signed report about a customer we do not know (nothing to retry)', async () => {
    const delivery = server.delivery({ id: 'evt_x', customerId: 'tiny_unknown', status: 'verified', occurredAt: now.toISOString() });
    expect(await answer(await webhookHandler(kyc, 'tiny')(post(delivery)))).toMatchObject({
      status: 200,
      body: { received: true, events: 0, duplicate: false },
    });
  });
});

describe('webhookHandler: refused deliveries', () => {
  async function refusal(delivery: TinyDelivery | { headers: Record<string, string>; body: string }, providerId = 'tiny') {
    const onError = vi.fn();
    const response = await webhookHandler(kyc, providerId, { onError })(post(delivery));
    return { ...(await answer(response)), onError };
  }

  it('401 for a body changed after signing', async () => {
    const customer = await pendingCustomer();
    const delivery = server.decide(customer.providerCustomerId, 'verified');
    const tampered = { ...delivery, body: delivery.body.replace('"verified"', '"rejected"') };
    const result = await refusal(tampered);
    expect(result).toMatchObject({ status: 401, body: { received: false, error: 'invalid_signature' } });
    expect((await kyc.getCustomer(customer.id)).status).toBe('pending');
    expect(result.onError).toHaveBeenCalledTimes(1);
    const [error, context] = result.onError.mock.calls[0]!;
    expect(WebhookVerificationError.isInstance(error) && error.reason).toBe('signature_mismatch');
    expect(context).toEqual({ providerId: 'tiny', status: 401 });
  });

  it.each<[string, (d: TinyDelivery) => TinyDelivery, WebhookVerificationReason]>([
    ['a wrong secret', (d) => server.delivery(d.body, { secret: 'not-the-secret' }), 'signature_mismatch'],
    ['no signature header', (d) => ({ headers: { 'content-type': 'application/json' }, body: d.body }), 'missing_signature'],
    ['a garbled signature header', (d) => ({ headers: { 'tiny-signature': 'nonsense' }, body: d.body }), 'malformed_signature'],
    [
      'a stale timestamp (replay)',
      (d) => server.delivery(d.body, { timestamp: Math.floor(now.getTime() / 1000) - 3600 }),
      'timestamp_out_of_tolerance',
    ],
  ])('401 for %s', async (_name, mutate, reason) => {
    const customer = await pendingCustomer();
    const result = await refusal(mutate(server.decide(customer.providerCustomerId, 'verified')));
    expect(result.status).toBe(401);
    expect((result.onError.mock.calls[0]![0] as WebhookVerificationError).reason).toBe(reason);
    expect((await kyc.getCustomer(customer.id)).status).toBe('pending');
  });

  it('400 for a correctly signed body that is not JSON', async () => {
    const result = await refusal(server.delivery('this is not json'));
    expect(result).toMatchObject({ status: 400, body: { received: false, error: 'malformed_body' } });
    expect((result.onError.mock.calls[0]![0] as WebhookVerificationError).reason).toBe('malformed_body');
  });

  it('404 for a provider that is not configured, and for one that sends no webhooks', async () => {
    const delivery = server.delivery({ id: 'evt_1', customerId: 'x', status: 'verified', occurredAt: now.toISOString() });
    expect(await refusal(delivery, 'nope')).toMatchObject({ status: 404, body: { error: 'unknown_provider' } });
    expect(await refusal(delivery, 'quiet')).toMatchObject({ status: 404, body: { error: 'unknown_provider' } });
  });

  it.each(['GET', 'PUT', 'HEAD'])('405 with Allow: POST for %s, without calling handleWebhook', async (method) => {
    const spy = vi.fn();
    const response = await webhookHandler({ handleWebhook: spy }, 'tiny')(new Request(URL_, { method }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('webhookHandler: body size limit', () => {
  it('413 from Content-Length alone, before reading the body', async () => {
    const spy = vi.fn();
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const request = new Request(URL_, {
      method: 'POST',
      headers: { 'content-length': String(DEFAULT_WEBHOOK_MAX_BODY_BYTES + 1) },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const response = await webhookHandler({ handleWebhook: spy }, 'tiny')(request);
    expect(await answer(response)).toMatchObject({ status: 413, body: { received: false, error: 'payload_too_large' } });
    expect(spy).not.toHaveBeenCalled();
    expect(pulled).toBeLessThanOrEqual(1); // at most the stream's initial pull
  });

  it('413 from the actual size when Content-Length is absent, stopping as soon as the limit is passed', async () => {
    const spy = vi.fn();
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(100));
      },
    });
    const request = new Request(URL_, { method: 'POST', body: endless, duplex: 'half' } as RequestInit);
    const response = await webhookHandler({ handleWebhook: spy }, 'tiny', { maxBodyBytes: 1_000 })(request);
    expect(response.status).toBe(413);
    expect(spy).not.toHaveBeenCalled();
    expect(pulled).toBeLessThan(20);
  });

  it('413 from the actual size when Content-Length understates it', async () => {
    const spy = vi.fn();
    const request = new Request(URL_, { method: 'POST', body: 'x'.repeat(2_000), headers: { 'content-length': '10' } });
    expect((await webhookHandler({ handleWebhook: spy }, 'tiny', { maxBodyBytes: 1_000 })(request)).status).toBe(413);
    expect(spy).not.toHaveBeenCalled();
  });

  it('accepts a body of exactly maxBodyBytes', async () => {
    const handleWebhook = vi.fn(async () => ({ events: [], duplicate: false }));
    const request = new Request(URL_, { method: 'POST', body: 'x'.repeat(1_000) });
    expect((await webhookHandler({ handleWebhook }, 'tiny', { maxBodyBytes: 1_000 })(request)).status).toBe(200);
    expect((handleWebhook.mock.calls[0] as unknown[])[1]).toMatchObject({ body: expect.any(Uint8Array) });
  });

  it('refuses a nonsensical limit at construction', () => {
    expect(() => webhookHandler(kyc, 'tiny', { maxBodyBytes: -1 })).toThrow(RangeError);
    expect(() => webhookHandler(kyc, 'tiny', { maxBodyBytes: Number.NaN })).toThrow(RangeError);
  });
});

describe('webhookHandler: unexpected failures', () => {
  const SECRET_DETAIL = `postgres://admin:${TINY_WEBHOOK_SECRET}@db.internal/kyc jane@example.com 1990-05-15`;

  it('500 with no detail for anything that is not a verification failure; onError gets the error', async () => {
    const boom = new Error(SECRET_DETAIL);
    const onError = vi.fn();
    const failing = { handleWebhook: vi.fn(async () => Promise.reject(boom)) };
    const response = await webhookHandler(failing, 'tiny', { onError })(post({ headers: {}, body: '{}' }));
    const result = await answer(response);
    expect(result).toMatchObject({ status: 500, body: { received: false, error: 'internal_error' } });
    expect(result.text).not.toContain('postgres');
    expect(result.text).not.toContain(TINY_WEBHOOK_SECRET);
    expect(onError).toHaveBeenCalledWith(boom, { providerId: 'tiny', status: 500 });
  });

  it('500 for a KycError from the store (retryable: the provider should try again)', async () => {
    const failing = { handleWebhook: vi.fn(async () => Promise.reject(new KycError('provider_error', SECRET_DETAIL, { retryable: true }))) };
    const result = await answer(await webhookHandler(failing, 'tiny')(post({ headers: {}, body: '{}' })));
    expect(result.status).toBe(500);
    expect(result.text).not.toContain('jane');
  });

  it('a throwing or rejecting onError hook does not change the answer', async () => {
    const customer = await pendingCustomer();
    const delivery = server.decide(customer.providerCustomerId, 'verified');
    const tampered = { ...delivery, body: `${delivery.body} ` };
    const throwing = webhookHandler(kyc, 'tiny', {
      onError: () => {
        throw new Error('logger down');
      },
    });
    expect((await throwing(post(tampered))).status).toBe(401);
    const rejecting = webhookHandler(kyc, 'tiny', { onError: async () => Promise.reject(new Error('logger down')) });
    expect((await rejecting(post(tampered))).status).toBe(401);
  });

  it('500 (the provider retries) when something read the body before the handler', async () => {
    const onError = vi.fn();
    const handleWebhook = vi.fn();
    const request = post({ headers: { 'content-type': 'application/json' }, body: '{"id":"evt_1"}' });
    await request.json();
    const response = await webhookHandler({ handleWebhook }, 'tiny', { onError })(request);
    expect(await answer(response)).toMatchObject({ status: 500, body: { error: 'internal_error' } });
    expect(handleWebhook).not.toHaveBeenCalled();
    expect(String(onError.mock.calls[0]![0])).toMatch(/already read/);
  });

  it('400 when the request body stream fails mid-read', async () => {
    const onError = vi.fn();
    const broken = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([123]));
        controller.error(new Error('socket hang up'));
      },
    });
    const request = new Request(URL_, { method: 'POST', body: broken, duplex: 'half' } as RequestInit);
    const response = await webhookHandler({ handleWebhook: vi.fn() }, 'tiny', { onError })(request);
    expect(await answer(response)).toMatchObject({ status: 400, body: { error: 'unreadable_body' } });
    expect(onError).toHaveBeenCalledTimes(1);
  });
});

describe('webhookHandler: responses carry no personal data or secrets', () => {
  it('no response body echoes headers, body content or error messages', async () => {
    const customer = await pendingCustomer();
    const delivery = server.decide(customer.providerCustomerId, 'verified');
    const handler = webhookHandler(kyc, 'tiny');
    const bodies = [
      await (await handler(post(delivery))).text(),
      await (await handler(post({ ...delivery, body: delivery.body.replace('verified', 'rejected') }))).text(),
      await (await handler(post(server.delivery('{"email":"jane@example.com"')))).text(),
    ];
    for (const body of bodies) {
      expect(body).not.toContain(customer.providerCustomerId);
      expect(body).not.toContain('jane');
      expect(body).not.toContain(TINY_WEBHOOK_SECRET);
      expect(body).not.toContain(delivery.headers['tiny-signature']!);
      // Only fixed codes and counts.
      expect(Object.keys(JSON.parse(body) as object).every((key) => ['received', 'events', 'duplicate', 'error'].includes(key))).toBe(true);
    }
  });
});
