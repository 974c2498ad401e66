/**
 * Totality: with a valid configuration, for ANY headers and ANY body, the
 * verifiers either return or throw WebhookVerificationError. Never a TypeError,
 * RangeError (timingSafeEqual on unequal lengths, BigInt/Number edge cases…), nor
 * a ConfigurationError caused by request content.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WebhookVerificationError } from '../../src/errors.js';
import { signStandardWebhook, verifyStandardWebhook } from '../../src/webhooks/standard-webhooks.js';
import { signTimestampedHmac, verifyTimestampedHmac } from '../../src/webhooks/timestamped-hmac.js';
import { normalizeHeaders } from '../../src/webhooks/webhook-request.js';

const TIMESTAMPED_SECRETS = ['whsec_technest_a', 'whsec_technest_b'] as const;
const STANDARD_SECRETS = ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_' + Buffer.from('another key, 24 bytes!!!').toString('base64')] as const;
const TOLERANCE = 300;
const NUM_RUNS = 2_000;

/** Asserts `fn` returns or throws a WebhookVerificationError; returns what it returned (or undefined). */
function totalOutcome<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    if (!WebhookVerificationError.isInstance(error)) {
      throw new Error(`expected WebhookVerificationError, got ${String(error)}`, { cause: error });
    }
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return undefined;
  }
}

const now = fc.oneof(
  fc.constant(new Date('2025-01-15T12:00:00.000Z')),
  fc.date({ noInvalidDate: true }),
);

const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: length, maxLength: length });
const base64Char = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');

/** Numbers of every shape a timestamp field can carry. */
const numberish = fc.oneof(
  fc.integer({ min: 0, max: 4_000_000_000 }).map(String),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc.double().map(String),
  fc.constantFrom('', ' ', '-0', '+5', '1e9', '0x10', 'Infinity', 'NaN', '٣٤', '１２３', '9'.repeat(400), '00000000001'),
);

/** Any string, with unicode, lone surrogates and control characters. */
const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }));

const timestampedFragment = fc.oneof(
  numberish.map((n) => `t=${n}`),
  hex(64).map((h) => `v1=${h}`),
  fc.nat({ max: 130 }).chain((n) => hex(n)).map((h) => `v1=${h}`),
  hex(64).map((h) => `v0=${h}`),
  fc.constantFrom('t=', 'v1=', '=', '==', 't', 'v1', ',', ',,', ' ', '\t', '\u00a0', '\u2028', 't==1', 'v1==', '\u0000'),
  anyString,
);
const timestampedHeader = fc.oneof(
  fc.array(timestampedFragment, { maxLength: 8 }).map((parts) => parts.join(',')),
  fc.array(timestampedFragment, { maxLength: 8 }).map((parts) => parts.join('')),
  anyString,
);

const standardSignatureFragment = fc.oneof(
  fc.string({ unit: base64Char, minLength: 43, maxLength: 43 }).map((s) => `v1,${s}=`),
  fc.string({ unit: base64Char, maxLength: 100 }).map((s) => `v1,${s}`),
  fc.string({ unit: base64Char, maxLength: 100 }).map((s) => `v1a,${s}`),
  fc.constantFrom('v1,', 'v1', ',', ',,', ' ', 'v1,=', 'v1,,', '\u3000', '\r\n'),
  anyString,
);
const standardSignatureHeader = fc.oneof(
  fc.array(standardSignatureFragment, { maxLength: 6 }).map((parts) => parts.join(' ')),
  fc.array(standardSignatureFragment, { maxLength: 6 }).map((parts) => parts.join(', ')),
  anyString,
);

const headerValue = (specific: fc.Arbitrary<string>) =>
  fc.oneof(specific, fc.array(specific, { maxLength: 3 }), fc.constant(undefined), anyString);

const headerName = fc.oneof(
  fc.constantFrom('webhook-id', 'Webhook-Id', 'webhook-timestamp', 'WEBHOOK-TIMESTAMP', 'webhook-signature', 'Webhook-Signature'),
  fc.constantFrom('technest-signature', 'Technest-Signature', '__proto__', 'constructor', 'toString', 'forEach', 'get', 'has'),
  anyString,
);

/** Arbitrary header records, with the interesting names over-represented. */
const anyHeaderRecord = fc.dictionary(
  headerName,
  headerValue(fc.oneof(standardSignatureHeader, timestampedHeader, numberish, anyString)),
  { maxKeys: 8 },
) as fc.Arbitrary<Record<string, string | string[] | undefined>>;

/** Standard-webhook-shaped records: the three headers present (or not) with adversarial values. */
const standardShapedHeaders = fc.record(
  {
    'webhook-id': headerValue(fc.oneof(fc.constantFrom('msg_1', 'msg_p5jXN8AQM9LWM0D4loKWxJek', ' ', '.'), anyString)),
    'webhook-timestamp': headerValue(numberish),
    'webhook-signature': headerValue(standardSignatureHeader),
  },
  { requiredKeys: [] },
);

const anyBody = fc.oneof(
  fc.uint8Array({ maxLength: 512 }),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
  fc.uint8Array({ maxLength: 64 }).map((b) => b.buffer),
  fc.uint8Array({ maxLength: 64 }).map((b) => new Uint8Array([0, ...b, 0]).subarray(1, b.length + 1)),
  anyString,
  fc.anything(),
);

describe('verifyTimestampedHmac is total', () => {
  it('for arbitrary headers (taken from arbitrary header objects) and arbitrary bodies', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          timestampedHeader,
          fc.constant(undefined),
          anyHeaderRecord.map((headers) => normalizeHeaders(headers)['technest-signature']),
        ),
        anyBody,
        now,
        (header, body, clock) => {
          totalOutcome(() =>
            verifyTimestampedHmac({
              header,
              rawBody: body as Uint8Array,
              secrets: TIMESTAMPED_SECRETS,
              toleranceSeconds: TOLERANCE,
              now: clock,
            }),
          );
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('for non-string headers from untyped callers', () => {
    fc.assert(
      fc.property(fc.anything(), fc.uint8Array({ maxLength: 64 }), (header, body) => {
        totalOutcome(() =>
          verifyTimestampedHmac({ header: header as string, rawBody: body, secrets: TIMESTAMPED_SECRETS, toleranceSeconds: TOLERANCE, now: new Date() }),
        );
      }),
    );
  });

  it('accepts exactly the genuine, fresh deliveries among signed ones', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 256 }),
        fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }),
        fc.integer({ min: -2 * TOLERANCE, max: 2 * TOLERANCE }),
        fc.constantFrom(...TIMESTAMPED_SECRETS, 'whsec_wrong'),
        timestampedFragment,
        (body, nowSeconds, skew, secret, junk) => {
          const header = `${junk},${signTimestampedHmac({ secret, rawBody: body, timestamp: nowSeconds + skew })}`;
          const outcome = totalOutcome(() =>
            verifyTimestampedHmac({ header, rawBody: body, secrets: TIMESTAMPED_SECRETS, toleranceSeconds: TOLERANCE, now: new Date(nowSeconds * 1000) }),
          );
          // Junk may add a conflicting t=, which must fail; otherwise the outcome is decided by secret and skew.
          if (outcome !== undefined) {
            expect(secret).not.toBe('whsec_wrong');
            expect(Math.abs(skew)).toBeLessThanOrEqual(TOLERANCE);
            expect(outcome.timestamp).toBe(nowSeconds + skew);
          } else if (!/^\s*t\s*=/.test(junk)) {
            expect(secret === 'whsec_wrong' || Math.abs(skew) > TOLERANCE).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('verifyStandardWebhook is total', () => {
  it('for arbitrary header objects and arbitrary bodies', () => {
    fc.assert(
      fc.property(fc.oneof(anyHeaderRecord, standardShapedHeaders), anyBody, now, (headers, body, clock) => {
        totalOutcome(() =>
          verifyStandardWebhook({
            headers: headers as Record<string, string | string[] | undefined>,
            rawBody: body as Uint8Array,
            secrets: STANDARD_SECRETS,
            toleranceSeconds: TOLERANCE,
            now: clock,
          }),
        );
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('for fetch Headers objects and values that are not header objects at all', () => {
    const fetchHeaders = standardShapedHeaders.map((record) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(record)) {
        // Headers refuses some strings (non-ByteString, CR/LF): the web layer would have refused them too.
        for (const item of [value ?? []].flat()) {
          try {
            headers.append(name, item);
          } catch {
            /* not representable in HTTP */
          }
        }
      }
      return headers;
    });
    fc.assert(
      fc.property(fc.oneof(fetchHeaders, fc.anything({ withMap: true, withSet: true, withNullPrototype: true })), anyBody, (headers, body) => {
        totalOutcome(() =>
          verifyStandardWebhook({
            headers: headers as Headers,
            rawBody: body as Uint8Array,
            secrets: STANDARD_SECRETS,
            toleranceSeconds: TOLERANCE,
            now: new Date(),
          }),
        );
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('accepts exactly the genuine, fresh deliveries among signed ones', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 256 }),
        fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }),
        fc.integer({ min: -2 * TOLERANCE, max: 2 * TOLERANCE }),
        fc.constantFrom(...STANDARD_SECRETS, 'whsec_' + Buffer.from('wrong').toString('base64')),
        fc.stringMatching(/^msg_[A-Za-z0-9]{1,30}$/),
        standardSignatureFragment,
        (body, nowSeconds, skew, secret, id, junk) => {
          const timestamp = nowSeconds + skew;
          const signature = `${junk} ${signStandardWebhook({ id, timestamp, rawBody: body, secret })}`;
          const outcome = totalOutcome(() =>
            verifyStandardWebhook({
              headers: { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature },
              rawBody: body,
              secrets: STANDARD_SECRETS,
              toleranceSeconds: TOLERANCE,
              now: new Date(nowSeconds * 1000),
            }),
          );
          const genuine = (STANDARD_SECRETS as readonly string[]).includes(secret);
          expect(outcome === undefined ? undefined : outcome).toEqual(
            genuine && Math.abs(skew) <= TOLERANCE ? { id, timestamp } : undefined,
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
