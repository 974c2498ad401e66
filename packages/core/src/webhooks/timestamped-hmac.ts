/**
 * Timestamped HMAC signatures, the Stripe-style scheme Technest uses:
 *
 *   Technest-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]
 *   <hex> = hex(HMAC-SHA256(secret, "<t>.<raw body bytes>"))
 *
 * The secret string is the HMAC key as is (its UTF-8 bytes, `whsec_` prefix
 * included if the provider's secret has one): unlike Standard Webhooks, nothing
 * is base64-decoded. Several `v1=` entries appear during the provider's secret
 * rotation; several configured secrets cover ours. Any match passes.
 */
import { WebhookVerificationError } from '../errors.js';
import { assertSigningTimestamp, assertValidNow, assertWebhookSecrets, assertWebhookTolerance } from './webhook-config.js';
import { assertWithinTolerance, constantTimeEqual, hexMacEquals, hmacSha256, hmacSha256Hex, parseUnixSeconds, utf8SecretKey } from './webhook-crypto.js';
import { toRawBytes, type RawWebhookBody } from './webhook-request.js';

export interface VerifyTimestampedHmacOptions {
  /** The signature header's value (e.g. `normalizeHeaders(h)['technest-signature']`); undefined when absent. */
  header: string | undefined;
  /** The body exactly as received (see `toRawBytes`). */
  rawBody: Uint8Array;
  /** Every secret currently valid (old and new during rotation). At least one. */
  secrets: readonly string[];
  /** Maximum distance between `t` and `now`, both directions, in seconds. Positive; Technest uses 300. */
  toleranceSeconds: number;
  now: Date;
}

export interface VerifiedTimestampedHmac {
  /** The signed `t`, in unix seconds. */
  timestamp: number;
}

/**
 * Proves a delivery was signed by the provider, recently.
 *
 * The signature is checked before the timestamp, so `timestamp_out_of_tolerance`
 * always means "genuinely signed, but stale or from the future" (a replay or a
 * clock problem) and never hides a forgery.
 *
 * @throws ConfigurationError when `secrets`, `toleranceSeconds` or `now` is invalid
 *   (checked before the request is looked at).
 * @throws WebhookVerificationError `missing_signature` (no header),
 *   `malformed_signature` (no usable `t=` or `v1=` entry), `signature_mismatch`,
 *   `timestamp_out_of_tolerance`, `malformed_body` (body is not bytes). Nothing else.
 */
export function verifyTimestampedHmac(options: VerifyTimestampedHmacOptions): VerifiedTimestampedHmac {
  const { header, secrets, toleranceSeconds } = options;
  assertWebhookSecrets(secrets);
  assertWebhookTolerance(toleranceSeconds);
  const nowMs = assertValidNow(options.now);
  const body = toRawBytes(options.rawBody);

  // The usual header (one `t`, one `v1`): no parsed object, no signature list, and the MAC compared as hex text
  // (a hex digest costs less than a Buffer one, and the header's hex is then never decoded). Anything else takes
  // the general reading below, which gives the same result for this shape.
  const single = typeof header === 'string' ? SINGLE_SIGNATURE_HEADER.exec(header) : null;
  if (single !== null) {
    const rawTimestamp = single[1]!;
    const timestamp = Number(rawTimestamp);
    if (Number.isSafeInteger(timestamp)) {
      const given = single[2]!;
      let matchedSingle = false;
      const signedPrefix = `${rawTimestamp}.`;
      for (let index = 0; index < secrets.length; index++) {
        const expected = hmacSha256Hex(utf8SecretKey(secrets[index]!), signedPrefix, body);
        matchedSingle = hexMacEquals(given, expected) || matchedSingle;
      }
      if (!matchedSingle) throw signatureMismatch(1, secrets.length);
      assertWithinTolerance(timestamp, nowMs, toleranceSeconds);
      return { timestamp };
    }
  }

  const parsed = parseTimestampedHmacHeader(header);
  const signedPrefix = `${parsed.rawTimestamp}.`;
  // Every secret × every signature, compared in constant time (as `anySignatureMatches`), without a
  // key list and a closure per delivery.
  let matched = false;
  for (const secret of secrets) {
    const expected = hmacSha256(utf8SecretKey(secret), signedPrefix, body);
    for (const candidate of parsed.signatures) matched = constantTimeEqual(candidate, expected) || matched;
  }
  if (!matched) throw signatureMismatch(parsed.signatures.length, secrets.length);
  assertWithinTolerance(parsed.timestamp, nowMs, toleranceSeconds);
  return { timestamp: parsed.timestamp };
}

function signatureMismatch(signatures: number, secrets: number): WebhookVerificationError {
  return new WebhookVerificationError(
    'signature_mismatch',
    `None of the ${signatures} v1 signature(s) matches any of the ${secrets} configured secret(s). ` +
      'Check the webhook secret, and that the body is passed as the raw bytes received (not re-serialised JSON).',
  );
}

export type TimestampedHmacSigningSecrets =
  | { secret: string; secrets?: never }
  | { secrets: readonly string[]; secret?: never };

export type SignTimestampedHmacOptions = TimestampedHmacSigningSecrets & {
  rawBody: RawWebhookBody;
  /** Unix seconds. */
  timestamp: number;
};

/**
 * Builds the signature header value `t=<timestamp>,v1=<hex>[,v1=<hex>…]`, one
 * `v1` per secret, as the provider would send it. For tests and simulators.
 *
 * @throws ConfigurationError for an empty secret list or a timestamp that is not
 *   a non-negative integer.
 */
export function signTimestampedHmac(options: SignTimestampedHmacOptions): string {
  const secrets = options.secrets ?? (options.secret === undefined ? [] : [options.secret]);
  assertWebhookSecrets(secrets, options.secrets === undefined ? ['secret'] : ['secrets']);
  assertSigningTimestamp(options.timestamp);
  const body = toRawBytes(options.rawBody);
  const t = String(options.timestamp);
  const entries = secrets.map(
    (secret) => `v1=${hmacSha256(new Uint8Array(Buffer.from(secret, 'utf8')), `${t}.`, body).toString('hex')}`,
  );
  return [`t=${t}`, ...entries].join(',');
}

interface ParsedTimestampedHmacHeader {
  /** `t` exactly as sent: it is what was signed. */
  rawTimestamp: string;
  timestamp: number;
  /** Decoded `v1` MACs (32 bytes each). */
  signatures: Uint8Array[];
}

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;
/** What providers send outside rotation: one `t`, one `v1`, nothing else. */
const SINGLE_SIGNATURE_HEADER = /^t=([0-9]{1,15}),v1=([0-9a-fA-F]{64})$/;

/**
 * Parses `t=…,v1=…` leniently where it is harmless (whitespace around entries,
 * empty entries from doubled commas, unknown schemes such as `v0=`, entries
 * without `=`) and strictly where it matters (exactly one `t` value, digits only;
 * `v1` values are 64 hex digits, others are skipped).
 */
function parseTimestampedHmacHeader(header: unknown): ParsedTimestampedHmacHeader {
  if (header === undefined || header === null || (typeof header === 'string' && header.trim() === '')) {
    throw new WebhookVerificationError(
      'missing_signature',
      'The webhook signature header is missing: the request did not come from the provider, or a proxy dropped the header.',
    );
  }
  if (typeof header !== 'string') {
    throw new WebhookVerificationError('malformed_signature', 'The webhook signature header is not a string.');
  }
  let rawTimestamp: string | undefined;
  let conflictingTimestamps = false;
  const signatures: Uint8Array[] = [];
  let v1Entries = 0;
  for (const entry of header.split(',')) {
    const separator = entry.indexOf('=');
    if (separator === -1) continue;
    const key = entry.slice(0, separator).trim();
    const value = entry.slice(separator + 1).trim();
    if (key === 't') {
      if (rawTimestamp === undefined) rawTimestamp = value;
      else if (rawTimestamp !== value) conflictingTimestamps = true;
    } else if (key === 'v1') {
      v1Entries += 1;
      // A Buffer is a Uint8Array: no second copy.
      if (HEX_SHA256.test(value)) signatures.push(Buffer.from(value, 'hex'));
    }
  }

  if (rawTimestamp === undefined) {
    throw new WebhookVerificationError('malformed_signature', 'The webhook signature header has no t= timestamp.');
  }
  // A repeated header line may repeat `t`; differing values leave no single signed timestamp.
  if (conflictingTimestamps) {
    throw new WebhookVerificationError('malformed_signature', 'The webhook signature header has conflicting t= timestamps.');
  }
  const timestamp = parseUnixSeconds(rawTimestamp);
  if (timestamp === undefined) {
    throw new WebhookVerificationError(
      'malformed_signature',
      'The webhook signature header t= value is not a unix timestamp in seconds.',
    );
  }
  if (signatures.length === 0) {
    throw new WebhookVerificationError(
      'malformed_signature',
      v1Entries === 0
        ? 'The webhook signature header has no v1= signature (only unknown schemes, or none).'
        : 'The webhook signature header v1= values are not 64-digit hex HMAC-SHA256 signatures.',
    );
  }
  return { rawTimestamp, timestamp, signatures };
}
