import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStandardWebhookSecret, signStandardWebhook, verifyStandardWebhook } from '../../src/webhooks/standard-webhooks.js';
import { bytes, catchError, expectVerificationError } from './helpers.js';

// The published Standard Webhooks test vector (identical in the standard-webhooks
// reference libraries' tests and in Svix's).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  payload: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
} as const;

const SECRET = 'whsec_' + Buffer.from('patch-style current secret 32 by').toString('base64');
const OLD_SECRET = 'whsec_' + Buffer.from('patch-style previous secret 32 b').toString('base64');
const NOW = new Date('2025-01-15T12:00:00.000Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const ID = 'msg_2LqSensitiveButFine';
const BODY_TEXT =
  '{"id":"evt_1","type":"customer.state_changed","createdAt":"2025-01-15T11:59:58Z",' +
  '"payload":{"customerId":"customer_SENSITIVE_77","oldStatus":"UNDER_REVIEW","newStatus":"ACTIVE"}}';
const BODY = bytes(BODY_TEXT);

type VerifyOptions = Parameters<typeof verifyStandardWebhook>[0];

const headersFor = (signature: string, timestamp: number | string = NOW_S, id = ID) => ({
  'webhook-id': id,
  'webhook-timestamp': String(timestamp),
  'webhook-signature': signature,
});

const sign = (timestamp = NOW_S, rawBody: Uint8Array | string = BODY, secret: string | readonly string[] = SECRET, id = ID) =>
  signStandardWebhook({ id, timestamp, rawBody, secret });

const verify = (headers: VerifyOptions['headers'], overrides: Partial<VerifyOptions> = {}) =>
  verifyStandardWebhook({ headers, rawBody: BODY, secrets: [SECRET], toleranceSeconds: 300, now: NOW, ...overrides });

describe('the published Standard Webhooks test vector', () => {
  it('is reproduced by signStandardWebhook', () => {
    expect(
      signStandardWebhook({ id: VECTOR.id, timestamp: VECTOR.timestamp, rawBody: VECTOR.payload, secret: VECTOR.secret }),
    ).toBe(VECTOR.signature);
  });

  it('signs "<id>.<timestamp>.<body>" with the base64-decoded secret', () => {
    const key = Buffer.from(VECTOR.secret.slice('whsec_'.length), 'base64');
    const mac = createHmac('sha256', key).update(`${VECTOR.id}.${VECTOR.timestamp}.${VECTOR.payload}`).digest('base64');
    expect(`v1,${mac}`).toBe(VECTOR.signature);
  });

  it('is verified, with or without the whsec_ prefix', () => {
    for (const secret of [VECTOR.secret, VECTOR.secret.slice('whsec_'.length)]) {
      expect(
        verifyStandardWebhook({
          headers: { 'Webhook-Id': VECTOR.id, 'Webhook-Timestamp': String(VECTOR.timestamp), 'Webhook-Signature': VECTOR.signature },
          rawBody: bytes(VECTOR.payload),
          secrets: [secret],
          toleranceSeconds: 300,
          now: new Date(VECTOR.timestamp * 1000),
        }),
      ).toEqual({ id: VECTOR.id, timestamp: VECTOR.timestamp });
    }
  });
});

describe('parseStandardWebhookSecret', () => {
  it('base64-decodes the part after whsec_, and reads a bare secret as base64', () => {
    const key = parseStandardWebhookSecret(VECTOR.secret);
    expect(key).toHaveLength(24);
    expect([...parseStandardWebhookSecret('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')]).toEqual([...key]);
  });

  it('accepts padded and unpadded base64', () => {
    expect([...parseStandardWebhookSecret('whsec_YWI=')]).toEqual([0x61, 0x62]);
    expect([...parseStandardWebhookSecret('whsec_YWI')]).toEqual([0x61, 0x62]);
  });
});

describe('verifyStandardWebhook', () => {
  it('accepts a valid signature and returns the id and timestamp', () => {
    expect(verify(headersFor(sign()))).toEqual({ id: ID, timestamp: NOW_S });
  });

  it('accepts mixed-case names, a fetch Headers object and Node-style arrays', () => {
    const signature = sign();
    expect(verify({ 'Webhook-Id': ID, 'WEBHOOK-TIMESTAMP': String(NOW_S), 'Webhook-Signature': signature })).toEqual({
      id: ID,
      timestamp: NOW_S,
    });
    expect(verify(new Headers(headersFor(signature)))).toEqual({ id: ID, timestamp: NOW_S });
    expect(verify({ ...headersFor(signature), 'webhook-signature': [signature] })).toEqual({ id: ID, timestamp: NOW_S });
  });

  it('accepts the body as received even when it is not valid UTF-8', () => {
    const binary = new Uint8Array([0x7b, 0xff, 0xc3, 0x28, 0x7d]);
    expect(verify(headersFor(sign(NOW_S, binary)), { rawBody: binary })).toEqual({ id: ID, timestamp: NOW_S });
  });

  describe('rotation', () => {
    it('passes when any of several space-separated signatures matches', () => {
      const both = sign(NOW_S, BODY, [OLD_SECRET, SECRET]);
      expect(both.split(' ')).toHaveLength(2);
      expect(verify(headersFor(both), { secrets: [SECRET] })).toEqual({ id: ID, timestamp: NOW_S });
      expect(verify(headersFor(both), { secrets: [OLD_SECRET] })).toEqual({ id: ID, timestamp: NOW_S });
      const bogus = `v1,${Buffer.alloc(32).toString('base64')}`;
      expect(verify(headersFor(`${bogus} ${sign()}`))).toEqual({ id: ID, timestamp: NOW_S });
    });

    it('passes when any of several configured secrets matches', () => {
      expect(verify(headersFor(sign(NOW_S, BODY, OLD_SECRET)), { secrets: [SECRET, OLD_SECRET] })).toEqual({
        id: ID,
        timestamp: NOW_S,
      });
    });

    it('ignores other signature versions (v1a asymmetric, future ones)', () => {
      const v1a = `v1a,${Buffer.alloc(64, 1).toString('base64')}`;
      expect(verify(headersFor(`${v1a} v2,abc ${sign()}`))).toEqual({ id: ID, timestamp: NOW_S });
    });

    it('accepts a signature header sent twice, merged by normalizeHeaders or by Headers', () => {
      const lines = [sign(NOW_S, BODY, OLD_SECRET), sign()];
      expect(verify({ ...headersFor(''), 'webhook-signature': lines })).toEqual({ id: ID, timestamp: NOW_S });
      for (const order of [lines, [...lines].reverse()]) {
        const headers = new Headers({ 'webhook-id': ID, 'webhook-timestamp': String(NOW_S) });
        for (const line of order) headers.append('webhook-signature', line);
        expect(verify(headers)).toEqual({ id: ID, timestamp: NOW_S });
      }
    });
  });

  describe('forgeries', () => {
    it('rejects a body with any single byte changed', () => {
      const headers = headersFor(sign());
      fc.assert(
        fc.property(fc.nat({ max: BODY.length - 1 }), fc.integer({ min: 1, max: 255 }), (index, delta) => {
          const tampered = new Uint8Array(BODY);
          tampered[index] = (tampered[index]! + delta) % 256;
          expectVerificationError(() => verify(headers, { rawBody: tampered }), 'signature_mismatch');
        }),
      );
    });

    it('rejects the same JSON re-serialised (different bytes)', () => {
      const reserialised = JSON.stringify(JSON.parse(VECTOR.payload));
      expect(reserialised).toBe('{"test":2432232314}');
      expectVerificationError(
        () =>
          verifyStandardWebhook({
            headers: headersFor(VECTOR.signature, VECTOR.timestamp, VECTOR.id),
            rawBody: bytes(reserialised),
            secrets: [VECTOR.secret],
            toleranceSeconds: 300,
            now: new Date(VECTOR.timestamp * 1000),
          }),
        'signature_mismatch',
      );
    });

    it('rejects a signature made with another secret', () => {
      expectVerificationError(() => verify(headersFor(sign()), { secrets: [OLD_SECRET] }), 'signature_mismatch');
      expectVerificationError(() => verify(headersFor(sign(NOW_S, BODY, VECTOR.secret))), 'signature_mismatch');
    });

    it('rejects a changed webhook-id or webhook-timestamp (both are signed)', () => {
      const signature = sign();
      expectVerificationError(() => verify(headersFor(signature, NOW_S, 'msg_other')), 'signature_mismatch');
      expectVerificationError(() => verify(headersFor(signature, NOW_S - 1)), 'signature_mismatch');
    });

    it('reports a forgery as a mismatch even when its timestamp is also stale', () => {
      expectVerificationError(() => verify(headersFor(sign(NOW_S - 10_000, BODY, OLD_SECRET), NOW_S - 10_000)), 'signature_mismatch');
    });
  });

  describe('tolerance', () => {
    it.each([-299, 299, -300, 300])('accepts a timestamp %i s from now', (offset) => {
      const timestamp = NOW_S + offset;
      expect(verify(headersFor(sign(timestamp), timestamp))).toEqual({ id: ID, timestamp });
    });

    it.each([-301, 301, -86_400, 86_400])('rejects a genuinely signed timestamp %i s from now', (offset) => {
      const timestamp = NOW_S + offset;
      expectVerificationError(() => verify(headersFor(sign(timestamp), timestamp)), 'timestamp_out_of_tolerance');
    });
  });

  describe('missing and malformed headers', () => {
    const valid = headersFor(sign());
    const without = (name: keyof typeof valid) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== name));

    it('rejects missing headers', () => {
      expectVerificationError(() => verify({}), 'missing_signature');
      expectVerificationError(() => verify(without('webhook-signature')), 'missing_signature');
      expectVerificationError(() => verify({ ...valid, 'webhook-signature': '  ' }), 'missing_signature');
      expectVerificationError(() => verify(without('webhook-id')), 'missing_signature');
      expectVerificationError(() => verify({ ...valid, 'webhook-id': '' }), 'missing_signature');
      expectVerificationError(() => verify(without('webhook-timestamp')), 'missing_timestamp');
    });

    it.each([
      ['not a number', 'soon'],
      ['negative', '-1'],
      ['decimal', `${NOW_S}.0`],
      ['exponent', '1.7e9'],
      ['huge', '9'.repeat(40)],
      ['ISO date', '2025-01-15T12:00:00Z'],
    ])('rejects a webhook-timestamp that is %s as malformed_signature', (_label, timestamp) => {
      expectVerificationError(() => verify({ ...valid, 'webhook-timestamp': timestamp }), 'malformed_signature');
    });

    it.each([
      ['garbage', 'garbage'],
      ['no version', 'g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='],
      ['only v1a', `v1a,${Buffer.alloc(64).toString('base64')}`],
      ['v1 without value', 'v1,'],
      ['v1 not base64', `v1,${'!'.repeat(43)}=`],
      ['v1 wrong length', `v1,${Buffer.alloc(20).toString('base64')}`],
      ['hex instead of base64', `v1,${'a'.repeat(64)}`],
      ['commas only', ',,, ,'],
    ])('rejects a webhook-signature that is %s as malformed_signature', (_label, signature) => {
      expectVerificationError(() => verify({ ...valid, 'webhook-signature': signature }), 'malformed_signature');
    });

    it('rejects a body that is not bytes', () => {
      expectVerificationError(() => verify(valid, { rawBody: JSON.parse(BODY_TEXT) as Uint8Array }), 'malformed_body');
    });
  });

  it('never puts the secret, the signatures or the body in error messages', () => {
    const signatures = sign(NOW_S, BODY, [OLD_SECRET, SECRET]);
    const attempts = [
      () => verify(headersFor(signatures), { rawBody: bytes(`${BODY_TEXT} `) }),
      () => verify(headersFor(signatures), { secrets: [VECTOR.secret] }),
      () => verify(headersFor(signatures, NOW_S + 1_000)),
      () => verify(headersFor(sign(NOW_S - 1_000), NOW_S - 1_000)),
      () => verify(headersFor(signatures.replace(/=/g, ''))),
      () => verify(headersFor(signatures), { secrets: ['whsec_not base64!'] }),
    ];
    const forbidden = [SECRET, OLD_SECRET, SECRET.slice(6), OLD_SECRET.slice(6), VECTOR.secret, 'not base64!', 'customer_SENSITIVE_77'];
    for (const entry of signatures.split(' ')) forbidden.push(entry, entry.slice(3));
    for (const attempt of attempts) {
      const { message } = catchError(attempt) as Error;
      for (const value of forbidden) expect(message).not.toContain(value);
    }
  });
});
