/**
 * The primitives both signature schemes share: HMAC-SHA256 over the raw bytes,
 * a constant-time "does any candidate match any key" check, and the timestamp
 * parsing and tolerance window. Internal to the webhooks folder.
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { WebhookVerificationError } from '../errors.js';

/**
 * HMAC-SHA256 of `prefix` followed by `body`. The two parts are fed to the HMAC
 * in order (the same as hashing their concatenation) so the body is never decoded
 * to a string: a decode/re-encode round trip would change invalid UTF-8 bytes and
 * break genuine signatures.
 */
export function hmacSha256(key: Uint8Array | KeyObject, prefix: string, body: Uint8Array): Buffer {
  return createHmac('sha256', key).update(prefix, 'utf8').update(body).digest();
}

/** `hmacSha256` as lower-case hex: Node hands a hex digest back for less than a Buffer one (no backing store). */
export function hmacSha256Hex(key: Uint8Array | KeyObject, prefix: string, body: Uint8Array): string {
  return createHmac('sha256', key).update(prefix, 'utf8').update(body).digest('hex');
}

/**
 * Constant-time equality of a MAC sent in hex (digits and letters of either case only: the caller has checked)
 * and an expected MAC in lower-case hex: every character is compared, case folded (`| 0x20` maps `A`–`F` to
 * `a`–`f` and leaves digits alone), with no early exit. Different lengths are simply unequal (a MAC's length is
 * public).
 */
export function hexMacEquals(givenHex: string, expectedLowerHex: string): boolean {
  if (givenHex.length !== expectedLowerHex.length) return false;
  let difference = 0;
  for (let index = 0; index < givenHex.length; index++) {
    difference |= (givenHex.charCodeAt(index) | 0x20) ^ expectedLowerHex.charCodeAt(index);
  }
  return difference === 0;
}

/**
 * The HMAC key of a secret string (its UTF-8 bytes), made once per secret: a
 * delivery no longer copies every configured secret into a new buffer. Bounded,
 * and holding nothing the caller's configuration does not already hold.
 */
export function utf8SecretKey(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (key === undefined) {
    if (secretKeys.size >= 64) secretKeys.clear();
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    secretKeys.set(secret, key);
  }
  return key;
}

const secretKeys = new Map<string, KeyObject>();

/**
 * True when one of `candidates` equals the expected MAC under one of `keys`.
 * Every pair is compared (no early exit) with `timingSafeEqual`, so the time taken
 * says nothing about which byte, which candidate or which key differed.
 */
export function anySignatureMatches<K>(
  candidates: readonly Uint8Array[],
  keys: readonly K[],
  expectedFor: (key: K) => Uint8Array,
): boolean {
  let matched = false;
  for (const key of keys) {
    const expected = expectedFor(key);
    for (const candidate of candidates) {
      // Comparison first, so it runs even once `matched` is true.
      matched = constantTimeEqual(candidate, expected) || matched;
    }
  }
  return matched;
}

/**
 * Constant-time byte equality. `timingSafeEqual` throws a RangeError on different
 * lengths; here a length mismatch is just "not equal" (the length of a MAC is
 * public, so returning early on it leaks nothing).
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  return timingSafeEqual(a, b);
}

/**
 * Parses unix seconds as sent in a header: ASCII digits only (no sign, no
 * decimals, no exponent, no `0x`), small enough to be an exact integer. Returns
 * undefined otherwise; the caller picks the error reason.
 */
export function parseUnixSeconds(value: string): number | undefined {
  if (!/^[0-9]{1,15}$/.test(value)) return undefined;
  const seconds = Number(value);
  return Number.isSafeInteger(seconds) ? seconds : undefined;
}

/**
 * Rejects a timestamp more than `toleranceSeconds` away from `nowMs`, in both
 * directions: too old is a replay, too far in the future is a replay prepared in
 * advance (or a badly wrong clock on one side). Exactly `toleranceSeconds` passes.
 */
export function assertWithinTolerance(timestampSeconds: number, nowMs: number, toleranceSeconds: number): void {
  const nowSeconds = Math.floor(nowMs / 1000);
  const ageSeconds = nowSeconds - timestampSeconds;
  if (ageSeconds > toleranceSeconds) {
    throw new WebhookVerificationError(
      'timestamp_out_of_tolerance',
      `The webhook timestamp is ${ageSeconds} s old, beyond the ${toleranceSeconds} s tolerance: ` +
        'a replayed or long-delayed delivery (or a clock that is far off). The provider retries with a fresh timestamp.',
    );
  }
  if (-ageSeconds > toleranceSeconds) {
    throw new WebhookVerificationError(
      'timestamp_out_of_tolerance',
      `The webhook timestamp is ${-ageSeconds} s in the future, beyond the ${toleranceSeconds} s tolerance: ` +
        "check this server's clock (NTP) and the provider's.",
    );
  }
}
