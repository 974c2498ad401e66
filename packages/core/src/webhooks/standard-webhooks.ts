/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com, used by the
 * patch-style provider and by Svix):
 *
 *   webhook-id:        msg_…            (stable across retries: the dedup key)
 *   webhook-timestamp: <unix seconds>
 *   webhook-signature: v1,<base64> [v1,<base64> …]   (space separated)
 *   <base64> = base64(HMAC-SHA256(key, "<id>.<timestamp>.<raw body bytes>"))
 *
 * The key is the base64-DECODED part of the secret after `whsec_`; a secret
 * without the prefix is read as the bare base64 key, exactly like the reference
 * implementations (so `whsec_abc…` and `abc…` are the same secret).
 */
import { ConfigurationError, WebhookVerificationError } from '../errors.js';
import { assertSigningTimestamp, assertValidNow, assertWebhookSecrets, assertWebhookTolerance } from './webhook-config.js';
import { anySignatureMatches, assertWithinTolerance, hmacSha256, parseUnixSeconds } from './webhook-crypto.js';
import { normalizeHeaders, toRawBytes, type RawWebhookBody, type WebhookHeadersInput } from './webhook-request.js';

export interface VerifyStandardWebhookOptions {
  /** The request headers; normalized with `normalizeHeaders` (again, harmlessly, if already normalized). */
  headers: WebhookHeadersInput;
  /** The body exactly as received (see `toRawBytes`). */
  rawBody: Uint8Array;
  /** Every secret currently valid (`whsec_…`), old and new during rotation. At least one. */
  secrets: readonly string[];
  /** Maximum distance between `webhook-timestamp` and `now`, both directions, in seconds. Positive; the spec uses 300. */
  toleranceSeconds: number;
  now: Date;
}

export interface VerifiedStandardWebhook {
  /** `webhook-id`: the same on every retry of a message, so it is the deduplication key. */
  id: string;
  /** `webhook-timestamp`, in unix seconds. */
  timestamp: number;
}

/**
 * Proves a delivery was signed by the provider, recently.
 *
 * The signature is checked before the timestamp, so `timestamp_out_of_tolerance`
 * always means "genuinely signed, but stale or from the future".
 *
 * @throws ConfigurationError when a secret is malformed, or `secrets`,
 *   `toleranceSeconds` or `now` is invalid (checked before the request is looked at).
 * @throws WebhookVerificationError `missing_signature` (no `webhook-signature` or
 *   `webhook-id`), `missing_timestamp`, `malformed_signature` (timestamp not unix
 *   seconds, no usable `v1,` signature), `signature_mismatch`,
 *   `timestamp_out_of_tolerance`, `malformed_body`. Nothing else.
 */
export function verifyStandardWebhook(options: VerifyStandardWebhookOptions): VerifiedStandardWebhook {
  const { secrets, toleranceSeconds } = options;
  assertWebhookSecrets(secrets);
  const keys = secrets.map((secret, index) => parseStandardWebhookSecret(secret, ['secrets', index]));
  assertWebhookTolerance(toleranceSeconds);
  const nowMs = assertValidNow(options.now);
  const body = toRawBytes(options.rawBody);

  const headers = normalizeHeaders(options.headers);
  const signatureHeader = headers['webhook-signature']?.trim();
  const id = headers['webhook-id']?.trim();
  const rawTimestamp = headers['webhook-timestamp']?.trim();
  if (!signatureHeader) {
    throw new WebhookVerificationError(
      'missing_signature',
      'The webhook-signature header is missing: the request did not come from the provider, or a proxy dropped the header.',
    );
  }
  if (!id) {
    throw new WebhookVerificationError('missing_signature', 'The webhook-id header is missing; it is part of the signed content.');
  }
  if (!rawTimestamp) {
    throw new WebhookVerificationError('missing_timestamp', 'The webhook-timestamp header is missing.');
  }
  const timestamp = parseUnixSeconds(rawTimestamp);
  if (timestamp === undefined) {
    throw new WebhookVerificationError('malformed_signature', 'The webhook-timestamp header is not a unix timestamp in seconds.');
  }

  const signatures = parseSignatureHeader(signatureHeader);
  // The id and timestamp are signed exactly as sent.
  const signedPrefix = `${id}.${rawTimestamp}.`;
  if (!anySignatureMatches(signatures, keys, (key) => hmacSha256(key, signedPrefix, body))) {
    throw new WebhookVerificationError(
      'signature_mismatch',
      `None of the ${signatures.length} v1 signature(s) matches any of the ${secrets.length} configured secret(s). ` +
        'Check the webhook secret, and that the body is passed as the raw bytes received (not re-serialised JSON).',
    );
  }
  assertWithinTolerance(timestamp, nowMs, toleranceSeconds);
  return { id, timestamp };
}

export interface SignStandardWebhookOptions {
  /** `webhook-id`. */
  id: string;
  /** `webhook-timestamp`, unix seconds. */
  timestamp: number;
  rawBody: RawWebhookBody;
  /** One secret, or several to produce one signature per secret (as during rotation). */
  secret: string | readonly string[];
}

/**
 * Builds the `webhook-signature` header value (`v1,<base64>`, space-separated
 * when several secrets are given), as the provider would send it. For tests and
 * simulators.
 *
 * @throws ConfigurationError for a malformed secret, an empty id or a timestamp
 *   that is not a non-negative integer.
 */
export function signStandardWebhook(options: SignStandardWebhookOptions): string {
  const secrets: readonly string[] = typeof options.secret === 'string' ? [options.secret] : options.secret;
  assertWebhookSecrets(secrets, ['secret']);
  const keys = secrets.map((secret, index) => parseStandardWebhookSecret(secret, ['secret', index]));
  assertSigningTimestamp(options.timestamp);
  if (typeof options.id !== 'string' || options.id.trim() === '' || options.id !== options.id.trim()) {
    throw new ConfigurationError('The webhook id to sign must be a non-empty string without surrounding whitespace.', [
      { path: ['id'], code: 'invalid_webhook_id', message: 'Expected a message id such as msg_2Lq….' },
    ]);
  }
  const body = toRawBytes(options.rawBody);
  const prefix = `${options.id}.${options.timestamp}.`;
  return keys.map((key) => `v1,${hmacSha256(key, prefix, body).toString('base64')}`).join(' ');
}

const SECRET_PREFIX = 'whsec_';
/** Standard base64 (`+/`), padding optional. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Decodes a Standard Webhooks secret into the HMAC key: strips an optional
 * `whsec_` prefix and base64-decodes the rest. Adapters call it at construction
 * time so a mistyped secret fails at boot rather than as "every webhook is forged".
 *
 * @throws ConfigurationError when the secret is not base64 (including stray
 *   whitespace or quotes from an env file) or decodes to nothing. The message
 *   never contains the secret.
 */
export function parseStandardWebhookSecret(secret: string, path: readonly (string | number)[] = ['secret']): Uint8Array {
  const encoded = typeof secret === 'string' && secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const unpaddedLength = typeof encoded === 'string' ? encoded.replace(/=+$/, '').length : 0;
  const valid =
    typeof encoded === 'string' &&
    BASE64.test(encoded) &&
    unpaddedLength % 4 !== 1 &&
    (encoded.length === unpaddedLength || encoded.length % 4 === 0);
  if (!valid) {
    throw new ConfigurationError(
      'The Standard Webhooks secret must be `whsec_` followed by base64 (or the bare base64). ' +
        'Copy it again from the provider dashboard; check for surrounding whitespace or quotes.',
      [{ path, code: 'invalid_secret', message: 'Expected whsec_<base64>.' }],
    );
  }
  return new Uint8Array(Buffer.from(encoded, 'base64'));
}

/** One `v1` signature is 32 bytes: 43 base64 characters and one `=`. */
const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Splits on whitespace and keeps the `v1,<base64>` entries; other versions
 * (`v1a,` asymmetric signatures, future ones) are ignored. A trailing comma on an
 * entry is an artefact of two header lines merged with ', ' (as `Headers` does)
 * and is dropped.
 */
function parseSignatureHeader(header: string): Uint8Array[] {
  const signatures: Uint8Array[] = [];
  let v1Entries = 0;
  for (const token of header.split(/\s+/)) {
    const entry = token.endsWith(',') ? token.slice(0, -1) : token;
    const comma = entry.indexOf(',');
    if (comma === -1 || entry.slice(0, comma) !== 'v1') continue;
    v1Entries += 1;
    const value = entry.slice(comma + 1);
    if (BASE64_SHA256.test(value)) signatures.push(new Uint8Array(Buffer.from(value, 'base64')));
  }
  if (signatures.length === 0) {
    throw new WebhookVerificationError(
      'malformed_signature',
      v1Entries === 0
        ? 'The webhook-signature header has no v1 signature (only other versions, or none).'
        : 'The webhook-signature header v1 values are not base64 HMAC-SHA256 signatures.',
    );
  }
  return signatures;
}
