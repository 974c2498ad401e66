import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../../src/simulators/shared/webhook-receiver.js';
import { examplePatchStyleKycData } from '../../src/simulators/patch-style/patch-style-example-data.js';
import { createPatchStyleSimulator, type PatchStyleSimulator } from '../../src/simulators/patch-style/patch-style-simulator.js';
import { signPatchStyleWebhook, verifyPatchStyleWebhook } from '../../src/simulators/patch-style/patch-style-webhooks.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('signPatchStyleWebhook / verifyPatchStyleWebhook', () => {
  it('matches the Standard Webhooks reference vector', () => {
    const headers = signPatchStyleWebhook({ id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, body: '{"test": 2432232314}', secret: SECRET });
    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
    // A bare base64 secret is the same key; a Date is floored to seconds; bytes sign like the string.
    expect(
      signPatchStyleWebhook({
        id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        timestamp: new Date(1614265330_999),
        body: new TextEncoder().encode('{"test": 2432232314}'),
        secret: SECRET.slice('whsec_'.length),
      }),
    ).toEqual(headers);
  });

  it('signs once per secret, space-separated, and verifies with any one of them', () => {
    const other = 'whsec_' + Buffer.from('another secret key').toString('base64');
    const headers = signPatchStyleWebhook({ id: 'evt_1', timestamp: 1_700_000_000, body: '{}', secrets: [SECRET, other] });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    const now = new Date(1_700_000_000_000);
    expect(verifyPatchStyleWebhook({ headers, body: '{}', secret: other, now })).toMatchObject({ ok: true, id: 'evt_1', event: {} });
    expect(verifyPatchStyleWebhook({ headers, body: '{}', secret: SECRET, now }).ok).toBe(true);
  });

  it('refuses a wrong secret, a changed body, a stale timestamp and missing headers', () => {
    const headers = signPatchStyleWebhook({ id: 'evt_1', timestamp: 1_700_000_000, body: '{"a":1}', secret: SECRET });
    const now = new Date(1_700_000_000_000);
    const wrong = 'whsec_' + Buffer.from('nope').toString('base64');
    expect(verifyPatchStyleWebhook({ headers, body: '{"a":1}', secret: wrong, now })).toEqual({ ok: false, reason: 'signature_mismatch' });
    expect(verifyPatchStyleWebhook({ headers, body: '{"a": 1}', secret: SECRET, now })).toEqual({ ok: false, reason: 'signature_mismatch' });
    expect(verifyPatchStyleWebhook({ headers, body: '{"a":1}', secret: SECRET, now: new Date(now.getTime() + 301_000) })).toEqual({
      ok: false,
      reason: 'timestamp_out_of_tolerance',
    });
    expect(verifyPatchStyleWebhook({ headers, body: '{"a":1}', secret: SECRET, now: new Date(now.getTime() - 300_000) }).ok).toBe(true);
    expect(verifyPatchStyleWebhook({ headers: { 'webhook-id': 'evt_1' }, body: '{"a":1}', secret: SECRET })).toEqual({ ok: false, reason: 'missing_headers' });
    expect(verifyPatchStyleWebhook({ headers: new Headers(headers), body: '{"a":1}', secret: SECRET, now }).ok).toBe(true);
  });
});

describe('patch-style simulator: webhooks', () => {
  let sim: PatchStyleSimulator;
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    sim = await createPatchStyleSimulator({ webhookSecret: SECRET, webhookTarget: receiver.url, checkDocuments: false });
  });
  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });

  async function call(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<any> {
    const response = await request(`${sim.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return response.body.json();
  }

  async function createAndSubmit(email: string, kycData: Record<string, unknown> = examplePatchStyleKycData({})): Promise<string> {
    const { id } = await call('POST', '/api/v1/customers', { type: 'INDIVIDUAL', email, firstName: 'T', lastName: 'U' });
    await call('PATCH', `/api/v1/customers/${id as string}`, { kycData });
    await sim.settled();
    return id as string;
  }

  function verify(webhook: ReceivedWebhook, secret: string | string[] = SECRET) {
    return verifyPatchStyleWebhook({ headers: webhook.headers, body: webhook.rawBody, secret, now: sim.clock.now() });
  }

  function payloads(): unknown[] {
    return receiver.received().map((webhook) => (webhook.json as { payload: unknown }).payload);
  }

  it('sends a signed customer.state_changed for every status change', async () => {
    const id = await createAndSubmit('test-success@example.com');
    await sim.clock.advance(30_000);
    const received = await receiver.waitFor(2);

    expect(payloads()).toEqual([
      { customerId: id, oldStatus: 'CREATED', newStatus: 'UNDER_REVIEW' },
      { customerId: id, oldStatus: 'UNDER_REVIEW', newStatus: 'ACTIVE' },
    ]);
    for (const webhook of received) {
      const event = webhook.json as { id: string; type: string; createdAt: string };
      expect(event.type).toBe('customer.state_changed');
      expect(event.id).toMatch(/^evt_[0-9a-f]+$/);
      expect(webhook.headers['webhook-id']).toBe(event.id);
      expect(webhook.headers['webhook-timestamp']).toMatch(/^\d+$/);
      expect(webhook.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(webhook.headers['content-type']).toBe('application/json');
      expect(verify(webhook)).toMatchObject({ ok: true, id: event.id });
    }
    // createdAt is the simulated time of the change; the timestamp header is signed by the simulator clock.
    expect((received[1]?.json as { createdAt: string }).createdAt).toBe(sim.clock.now().toISOString());
    expect(Number(received[1]?.headers['webhook-timestamp'])).toBe(Math.floor(sim.clock.nowMs() / 1000));
    expect(sim.webhookEvents().map((event) => event.payload.newStatus)).toEqual(['UNDER_REVIEW', 'ACTIVE']);
  });

  it('names requiredDocuments for NEEDS_ADDITIONAL_INFORMATION and the reason for REJECTED', async () => {
    const rfi = await createAndSubmit('test-rfi@example.com');
    const rejected = await createAndSubmit('test-rejected@example.com');
    await sim.clock.advance(30_000);
    await receiver.waitFor(4);
    expect(payloads().slice(2)).toEqual([
      { customerId: rfi, oldStatus: 'UNDER_REVIEW', newStatus: 'NEEDS_ADDITIONAL_INFORMATION', requiredDocuments: ['PROOF_OF_ADDRESS'] },
      { customerId: rejected, oldStatus: 'UNDER_REVIEW', newStatus: 'REJECTED', reason: 'DOCUMENT_EXPIRED' },
    ]);
  });

  it('sends CREATED → NEEDS_ADDITIONAL_INFORMATION for an incomplete submission, and nothing when the status stays', async () => {
    const id = await createAndSubmit('x@example.com', { legalFirstName: 'Jane' });
    await call('PATCH', `/api/v1/customers/${id}`, { kycData: { legalLastName: 'Smith' } });
    await sim.settled();
    expect(payloads()).toEqual([{ customerId: id, oldStatus: 'CREATED', newStatus: 'NEEDS_ADDITIONAL_INFORMATION' }]);
  });

  it('signs with both secrets during a rotation, then only with the new one', async () => {
    const next = sim.rotateWebhookSecret();
    expect(next).toMatch(/^whsec_/);
    expect(sim.webhookSecrets()).toEqual([next, SECRET]);
    expect(sim.webhookSecret).toBe(next);
    await createAndSubmit('a@example.com');
    sim.finishWebhookSecretRotation();
    await createAndSubmit('b@example.com');
    const [during, after] = await receiver.waitFor(2);

    expect(during?.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(verify(during as ReceivedWebhook, SECRET).ok).toBe(true);
    expect(verify(during as ReceivedWebhook, next).ok).toBe(true);
    expect(after?.headers['webhook-signature']?.split(' ')).toHaveLength(1);
    expect(verify(after as ReceivedWebhook, SECRET)).toEqual({ ok: false, reason: 'signature_mismatch' });
    expect(verify(after as ReceivedWebhook, next).ok).toBe(true);
  });

  it('holds, then releases in reverse order and twice each; duplicates keep their webhook-id', async () => {
    sim.webhooks.hold();
    const id = await createAndSubmit('test-success@example.com');
    await sim.clock.advance(30_000);
    expect(receiver.received()).toHaveLength(0);
    expect(sim.webhooks.queued()).toHaveLength(2);

    await sim.webhooks.release({ order: 'reverse', duplicate: 2 });
    const received = await receiver.waitFor(4);
    expect(received.map((webhook) => (webhook.json as { payload: { newStatus: string } }).payload.newStatus)).toEqual([
      'ACTIVE',
      'ACTIVE',
      'UNDER_REVIEW',
      'UNDER_REVIEW',
    ]);
    expect(received[0]?.headers['webhook-id']).toBe(received[1]?.headers['webhook-id']);
    expect(received.every((webhook) => verify(webhook).ok)).toBe(true);
    expect((received[0]?.json as { payload: { customerId: string } }).payload.customerId).toBe(id);
  });

  it('redelivers an event on request, re-signed with a fresh timestamp', async () => {
    await createAndSubmit('test-success@example.com');
    const [delivery] = sim.webhooks.deliveries();
    await sim.clock.advance(10 * 60_000);
    await sim.webhooks.deliverAgain(delivery?.id ?? '', { resign: true });
    const received = await receiver.waitFor(3);
    const again = received[2] as ReceivedWebhook;
    expect(again.rawBody).toBe(received[0]?.rawBody);
    expect(Number(again.headers['webhook-timestamp'])).toBe(Math.floor(sim.clock.nowMs() / 1000));
    expect(verify(again).ok).toBe(true);
    // The first copy is now older than the 300 s tolerance.
    expect(verify(received[0] as ReceivedWebhook)).toEqual({ ok: false, reason: 'timestamp_out_of_tolerance' });
  });

  it('can stamp webhook-timestamp with the wall clock instead', async () => {
    const wall = await createPatchStyleSimulator({ webhookSecret: SECRET, webhookTarget: receiver.url, checkDocuments: false, webhookTimestamps: 'wall' });
    try {
      await wall.clock.advance(24 * 60 * 60_000);
      const { id } = (await (
        await request(`${wall.url}/api/v1/customers`, {
          method: 'POST',
          headers: { authorization: `Bearer ${wall.apiKey}` },
          body: JSON.stringify({ type: 'INDIVIDUAL', email: 'w@example.com', firstName: 'W', lastName: 'C' }),
        })
      ).body.json()) as { id: string };
      await wall.forceStatus(id, { status: 'REJECTED', rejectionReason: 'DATA_MISMATCH' });
      const [webhook] = await receiver.waitFor(1);
      expect(verifyPatchStyleWebhook({ headers: webhook?.headers ?? {}, body: webhook?.rawBody ?? '', secret: SECRET }).ok).toBe(true);
    } finally {
      await wall.close();
    }
  });

  it('queues deliveries while no target is set', async () => {
    sim.setWebhookTarget(undefined);
    await createAndSubmit('test-success@example.com');
    expect(sim.webhooks.queued()).toHaveLength(1);
    sim.setWebhookTarget(receiver.url);
    await sim.webhooks.release();
    expect(await receiver.waitFor(1)).toHaveLength(1);
  });
});
