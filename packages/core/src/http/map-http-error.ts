import { AuthenticationError, ProviderError, RateLimitError } from '../errors.js';
import { redactString, stripQuery } from '../logging/redact.js';
import { describeProviderCode, documentedProviderCode, type ProviderCodeVocabulary } from '../redaction/provider-codes.js';
import { defaultProviderTextScrubber, type ProviderTextScrubber } from '../redaction/provider-text-scrubber.js';

/**
 * One place that turns an HTTP status into a typed error (stripe-node style):
 *
 * | status            | error                 | retryable |
 * |-------------------|-----------------------|-----------|
 * | 401               | AuthenticationError   | no        |
 * | 429               | RateLimitError        | yes (`retryAfterMs` from Retry-After) |
 * | 408, 5xx          | ProviderError         | yes       |
 * | other 4xx         | ProviderError         | no        |
 * | anything else     | ProviderError         | no        |
 *
 * The message names the provider, method, path (never the query string: a
 * pre-signed URL carries its signature there), status and provider code.
 * Provider text is untrusted: the message goes through the scrubber (the
 * submitted values, else heuristics), and the code appears — in the message
 * and as `providerCode` — only when it is in the provider's vocabulary and
 * carries no submitted value (otherwise `[unrecognized code]` in the message).
 */
export interface HttpErrorInput {
  /** The provider id. */
  provider: string;
  /** The request method. */
  method: string;
  /** The URL or path called; only its path part ends up in the message. */
  url: string | URL;
  /** The HTTP status. */
  status: number;
  /** From the adapter's envelope parser; kept only when `providerCodes` lists it (see {@link documentedProviderCode}). */
  providerCode?: string | undefined;
  /** From the adapter's envelope parser; scrubbed with `scrubber` before it is used. */
  message?: string | undefined;
  /** The provider's documented codes; without one, any code-shaped code free of personal values is kept. */
  providerCodes?: ProviderCodeVocabulary | undefined;
  /** Scrubs the values the failed request sent; default: heuristics only ({@link defaultProviderTextScrubber}). */
  scrubber?: ProviderTextScrubber | undefined;
  /** Parsed `Retry-After`, for 429. */
  retryAfterMs?: number | undefined;
  /** The underlying error, kept as the error's `cause`. */
  cause?: unknown;
}

/**
 * The typed error for an HTTP status, as tabled on {@link HttpErrorInput}: `AuthenticationError`,
 * `RateLimitError` or `ProviderError`, retryable or not.
 */
export function mapHttpError(input: HttpErrorInput): ProviderError {
  const { provider, status } = input;
  const scrubber = input.scrubber ?? defaultProviderTextScrubber;
  const providerCode = documentedProviderCode(input.providerCode, input.providerCodes, scrubber);
  const shownCode = describeProviderCode(input.providerCode, input.providerCodes, scrubber);
  const target = `${input.method.toUpperCase()} ${describeTarget(input.url)}`;
  const code = shownCode === undefined ? '' : ` ${shownCode}`;
  const safeMessage = input.message ? sanitizeMessage(input.message, scrubber) : '';
  const detail = safeMessage === '' ? '' : `: ${safeMessage}`;
  const details = { provider, status, providerCode, cause: input.cause };

  if (status === 401) {
    return new AuthenticationError(
      `${provider} rejected the credentials for ${target} (HTTP 401${code})${detail}. Check the configured credentials.`,
      details,
    );
  }
  if (status === 429) {
    const wait = input.retryAfterMs !== undefined ? `; it asked to retry after ${input.retryAfterMs} ms` : '';
    return new RateLimitError(`${provider} rate-limited ${target} (HTTP 429${code})${detail}${wait}.`, {
      ...details,
      retryAfterMs: input.retryAfterMs,
    });
  }
  if (status === 408 || (status >= 500 && status <= 599)) {
    return new ProviderError(
      `${provider} failed ${target} temporarily (HTTP ${status}${code})${detail}. Retrying later may succeed.`,
      { ...details, retryable: true },
    );
  }
  if (status >= 400 && status <= 499) {
    return new ProviderError(`${provider} refused ${target} (HTTP ${status}${code})${detail}.`, {
      ...details,
      retryable: false,
    });
  }
  return new ProviderError(`${provider} answered ${target} with unexpected HTTP ${status}${code}${detail}.`, {
    ...details,
    retryable: false,
  });
}

/** `https://host/path?sig=…` → `https://host/path` for foreign hosts; paths stay paths. */
export function describeTarget(url: string | URL): string {
  return stripQuery(url);
}

const MAX_MESSAGE_LENGTH = 300;

function sanitizeMessage(message: string, scrubber: ProviderTextScrubber): string {
  const flat = redactString(scrubber.scrub(message)).replace(/\s+/g, ' ').trim();
  return flat.length > MAX_MESSAGE_LENGTH ? `${flat.slice(0, MAX_MESSAGE_LENGTH)}…` : flat;
}
