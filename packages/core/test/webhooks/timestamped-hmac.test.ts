import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signTimestampedHmac, verifyTimestampedHmac } from '../../src/webhooks/timestamped-hmac.js';
import { normalizeHeaders } from '../../src/webhooks/webhook-request.js';
import { bytes, catchError, expectVerificationError } from './helpers.js';

const SECRET = 'whsec_technest_current_0123456789';
const OLD_SECRET = 'whsec_technest_previous_9876543210';
const NOW = new Date('2025-01-15T12:00:00.000Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const BODY_TEXT =
  '{"id":"evt_1","event":"customer.status_changed","created_at":"2025-01-15T11:59:58Z",' +
  '"data":{"object":"customer","id":"ckcust_1","customer_reference":"SENSITIVE-REF-77","status":"verified"}}';
const BODY = bytes(BODY_TEXT);

const verify = (header: string | undefined, overrides: Partial<Parameters<typeof verifyTimestampedHmac>[0]> = {}) =>
  verifyTimestampedHmac({ header, rawBody: BODY, secrets: [SECRET], toleranceSeconds: 300, now: NOW, ...overrides });

const sign = (timestamp = NOW_S, rawBody: Uint8Array | string = BODY, secret = SECRET) =>
  signTimestampedHmac({ secret, rawBody, timestamp });

const hexOf = (header: string) => header.split(',').filter((e) => e.startsWith('v1=')).map((e) => e.slice(3));

describe('signTimestampedHmac', () => {
  it('produces t=<seconds>,v1=<hex HMAC-SHA256(secret, "t.body")>', () => {
    const expected = createHmac('sha256', SECRET).update(`${NOW_S}.${BODY_TEXT}`).digest('hex');
    expect(sign()).toBe(`t=${NOW_S},v1=${expected}`);
  });

  it('produces one v1 per secret', () => {
    const header = signTimestampedHmac({ secrets: [OLD_SECRET, SECRET], rawBody: BODY, timestamp: NOW_S });
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
  });
});

describe('verifyTimestampedHmac', () => {
  it('accepts a valid signature and returns the signed timestamp', () => {
    expect(verify(sign())).toEqual({ timestamp: NOW_S });
  });

  it('accepts uppercase hex, whitespace around entries, empty entries and unknown schemes', () => {
    const [hex] = hexOf(sign());
    expect(verify(`t=${NOW_S},v0=deadbeef,v1=${hex!.toUpperCase()}`)).toEqual({ timestamp: NOW_S });
    expect(verify(` t=${NOW_S} ,, v1=${hex} ,`)).toEqual({ timestamp: NOW_S });
    expect(verify(`v1=${hex},t=${NOW_S},scheme-without-value,x=`)).toEqual({ timestamp: NOW_S });
  });

  it('compares the usual one-signature header case-insensitively, and refuses it when any one hex digit differs', () => {
    const [hex] = hexOf(sign());
    const mixed = [...hex!].map((char, index) => (index % 2 === 0 ? char.toUpperCase() : char)).join('');
    expect(verify(`t=${NOW_S},v1=${hex!.toUpperCase()}`)).toEqual({ timestamp: NOW_S });
    expect(verify(`t=${NOW_S},v1=${mixed}`)).toEqual({ timestamp: NOW_S });
    fc.assert(
      fc.property(fc.nat(63), fc.constantFrom(...'0123456789abcdefABCDEF'), fc.boolean(), (index, digit, upper) => {
        fc.pre(digit.toLowerCase() !== hex![index]);
        const changed = `${hex!.slice(0, index)}${digit}${hex!.slice(index + 1)}`;
        expectVerificationError(() => verify(`t=${NOW_S},v1=${upper ? changed.toUpperCase() : changed}`), 'signature_mismatch');
      }),
    );
  });

  it('works over raw bytes that are not valid UTF-8 (the body is never decoded)', () => {
    const binary = new Uint8Array([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d]);
    expect(verify(sign(NOW_S, binary), { rawBody: binary })).toEqual({ timestamp: NOW_S });
    const roundTripped = bytes(Buffer.from(binary).toString('utf8'));
    expectVerificationError(() => verify(sign(NOW_S, binary), { rawBody: roundTripped }), 'signature_mismatch');
  });

  describe('rotation', () => {
    it('passes when any of several v1 entries matches', () => {
      const both = signTimestampedHmac({ secrets: [OLD_SECRET, SECRET], rawBody: BODY, timestamp: NOW_S });
      expect(verify(both, { secrets: [SECRET] })).toEqual({ timestamp: NOW_S });
      expect(verify(both, { secrets: [OLD_SECRET] })).toEqual({ timestamp: NOW_S });
      const [good] = hexOf(sign());
      expect(verify(`t=${NOW_S},v1=${'0'.repeat(64)},v1=${good}`)).toEqual({ timestamp: NOW_S });
    });

    it('passes when any of several configured secrets matches', () => {
      expect(verify(sign(), { secrets: [OLD_SECRET, SECRET] })).toEqual({ timestamp: NOW_S });
      expect(verify(sign(NOW_S, BODY, OLD_SECRET), { secrets: [SECRET, OLD_SECRET] })).toEqual({ timestamp: NOW_S });
    });

    it('accepts a signature header sent twice (merged by normalizeHeaders or by Headers)', () => {
      const fromRecord = normalizeHeaders({ 'Technest-Signature': [sign(NOW_S, BODY, OLD_SECRET), sign()] });
      expect(verify(fromRecord['technest-signature'])).toEqual({ timestamp: NOW_S });
      const headers = new Headers();
      headers.append('Technest-Signature', sign(NOW_S, BODY, OLD_SECRET));
      headers.append('Technest-Signature', sign());
      expect(verify(normalizeHeaders(headers)['technest-signature'])).toEqual({ timestamp: NOW_S });
    });
  });

  describe('forgeries', () => {
    it('rejects a body with any single byte changed', () => {
      const header = sign();
      fc.assert(
        fc.property(fc.nat({ max: BODY.length - 1 }), fc.integer({ min: 1, max: 255 }), (index, delta) => {
          const tampered = new Uint8Array(BODY);
          tampered[index] = (tampered[index]! + delta) % 256;
          expectVerificationError(() => verify(header, { rawBody: tampered }), 'signature_mismatch');
        }),
      );
    });

    it('rejects the same JSON re-serialised (different bytes)', () => {
      const received = '{ "id": "evt_1", "event": "customer.verified",\n  "data": {"status": "verified"} }';
      const header = sign(NOW_S, received);
      expect(verify(header, { rawBody: bytes(received) })).toEqual({ timestamp: NOW_S });
      const reserialised = JSON.stringify(JSON.parse(received));
      expect(reserialised).not.toBe(received);
      expectVerificationError(() => verify(header, { rawBody: bytes(reserialised) }), 'signature_mismatch');
    });

    it('rejects a signature made with another secret', () => {
      expectVerificationError(() => verify(sign(NOW_S, BODY, 'whsec_attacker')), 'signature_mismatch');
      expectVerificationError(() => verify(sign(), { secrets: [OLD_SECRET] }), 'signature_mismatch');
    });

    it('rejects a timestamp swapped into a genuine signature', () => {
      const [hex] = hexOf(sign());
      expectVerificationError(() => verify(`t=${NOW_S - 1},v1=${hex}`), 'signature_mismatch');
    });

    it('reports a forgery as a mismatch even when its timestamp is also stale', () => {
      expectVerificationError(() => verify(sign(NOW_S - 10_000, BODY, 'whsec_attacker')), 'signature_mismatch');
    });
  });

  describe('tolerance', () => {
    it.each([
      ['299 s old', -299],
      ['299 s in the future', 299],
      ['exactly 300 s old', -300],
      ['exactly 300 s in the future', 300],
    ])('accepts a timestamp %s', (_label, offset) => {
      expect(verify(sign(NOW_S + offset))).toEqual({ timestamp: NOW_S + offset });
    });

    it.each([
      ['301 s old', -301],
      ['301 s in the future', 301],
      ['a day old', -86_400],
      ['at the epoch', -NOW_S],
    ])('rejects a genuinely signed timestamp %s', (_label, offset) => {
      expectVerificationError(() => verify(sign(NOW_S + offset)), 'timestamp_out_of_tolerance');
    });

    it('uses the configured tolerance', () => {
      expect(verify(sign(NOW_S - 3_000), { toleranceSeconds: 3_600 })).toEqual({ timestamp: NOW_S - 3_000 });
      expectVerificationError(() => verify(sign(NOW_S - 6), { toleranceSeconds: 5 }), 'timestamp_out_of_tolerance');
    });
  });

  describe('missing and malformed headers', () => {
    it.each([undefined, '', '   '])('rejects %j as missing_signature', (header) => {
      expectVerificationError(() => verify(header), 'missing_signature');
    });

    const hex = 'a'.repeat(64);
    it.each([
      ['garbage', 'garbage'],
      ['commas only', ',,,'],
      ['no t', `v1=${hex}`],
      ['t= without value', `t=,v1=${hex}`],
      ['t not a number', `t=abc,v1=${hex}`],
      ['t negative', `t=-5,v1=${hex}`],
      ['t with decimals', `t=1700000000.5,v1=${hex}`],
      ['t in exponent form', `t=1e9,v1=${hex}`],
      ['t huge', `t=${'9'.repeat(40)},v1=${hex}`],
      ['t in unicode digits', `t=١٧٠٠٠٠٠٠٠٠,v1=${hex}`],
      ['conflicting t values', `t=1,t=2,v1=${hex}`],
      ['no v1', `t=${NOW_S}`],
      ['only unknown schemes', `t=${NOW_S},v0=${hex}`],
      ['v1 not hex', `t=${NOW_S},v1=${'z'.repeat(64)}`],
      ['v1 too short', `t=${NOW_S},v1=${hex.slice(1)}`],
      ['v1 empty', `t=${NOW_S},v1=`],
    ])('rejects %s as malformed_signature', (_label, header) => {
      expectVerificationError(() => verify(header), 'malformed_signature');
    });

    it('rejects a non-string header from an untyped caller', () => {
      expectVerificationError(() => verify(42 as unknown as string), 'malformed_signature');
    });

    it('rejects a body that is not bytes', () => {
      expectVerificationError(() => verify(sign(), { rawBody: { parsed: true } as unknown as Uint8Array }), 'malformed_body');
    });
  });

  it('never puts the secret, the signatures or the body in error messages', () => {
    const header = signTimestampedHmac({ secrets: [OLD_SECRET, SECRET], rawBody: BODY, timestamp: NOW_S - 400 });
    const signatures = hexOf(header);
    const attempts = [
      () => verify(header),
      () => verify(header, { rawBody: bytes(`${BODY_TEXT} `) }),
      () => verify(header, { secrets: ['whsec_unrelated_secret'] }),
      () => verify(`t=nope,v1=${signatures[0]}`),
      () => verify(`t=${NOW_S},v1=${signatures[0]!.slice(2)}`),
      () => verify(sign(NOW_S + 400)),
    ];
    for (const attempt of attempts) {
      const { message } = catchError(attempt) as Error;
      for (const forbidden of [SECRET, OLD_SECRET, 'whsec_unrelated_secret', ...signatures, 'SENSITIVE-REF-77', 'ckcust_1']) {
        expect(message).not.toContain(forbidden);
      }
    }
  });
});
