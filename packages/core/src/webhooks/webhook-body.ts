import { WebhookVerificationError } from '../errors.js';

/**
 * Reading a verified webhook body as text: strictly. A signed body with bytes
 * that are not UTF-8 is refused as `malformed_body` — never decoded with
 * replacement characters into something the provider did not send (two
 * different byte strings would then parse to the same event, and a value
 * could silently change).
 *
 * A leading byte order mark is skipped: RFC 8259 lets JSON parsers ignore
 * one, and some senders' frameworks prepend it. Only the decoded text loses
 * it; signatures are always checked over the raw bytes, BOM included.
 */
export function decodeWebhookBody(rawBody: Uint8Array, provider: string): string {
  try {
    return STRICT_UTF8.decode(rawBody);
  } catch {
    throw malformedBody(provider, 'it is not valid UTF-8');
  }
}

/**
 * The JSON value of a verified webhook body, decoded with
 * {@link decodeWebhookBody}; `malformed_body` when it is not UTF-8 or not JSON.
 * Messages never quote the body.
 */
export function parseWebhookJson(rawBody: Uint8Array, provider: string): unknown {
  const text = decodeWebhookBody(rawBody, provider);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw malformedBody(provider, 'it is not valid JSON');
  }
}

/** Stateless between calls (no `stream` option), so one instance serves every delivery. `ignoreBOM: false` skips a BOM. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function malformedBody(provider: string, why: string): WebhookVerificationError {
  return new WebhookVerificationError(
    'malformed_body',
    `The ${provider} webhook body is signed but unreadable: ${why}. Answer 400; the provider must resend a well-formed body.`,
  );
}
