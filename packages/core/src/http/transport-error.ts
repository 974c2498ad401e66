import { ProviderError, TimeoutError } from '../errors.js';
import { stripQuery } from '../logging/redact.js';
import type { AttemptFailure } from './retry-policy.js';

/**
 * Errors thrown by the transport (undici, node:net, DNS) before a response
 * was read: which kind they are, and the typed error they become.
 */

/** Failures proven to happen before a byte of the request reached the provider. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Failures of a connection that may already have carried (part of) the request. */
const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENETRESET',
  'ENETDOWN',
  'EPROTO',
  'UND_ERR_SOCKET',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_HTTP2_STREAM_ERROR',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_GOAWAY_SESSION',
]);

/** undici's own timeouts (an injected dispatcher may set them shorter than ours). */
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export interface TransportErrorInfo {
  /** The error code found (`ECONNRESET`, `UND_ERR_SOCKET`…), or `unknown`. */
  code: string;
  failure: AttemptFailure;
}

/** Finds the most telling error code in `error`, its `cause` chain and `AggregateError.errors`. */
export function transportErrorCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  let fallback: string | undefined;
  while (queue.length > 0) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') {
      if (NOT_SENT_CODES.has(code) || CONNECTION_CODES.has(code) || TIMEOUT_CODES.has(code)) return code;
      fallback ??= code;
    }
    const cause = (current as { cause?: unknown }).cause;
    if (cause !== undefined) queue.push(cause);
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
  }
  return fallback;
}

export function classifyTransportError(error: unknown): TransportErrorInfo {
  const code = transportErrorCode(error) ?? 'unknown';
  if (NOT_SENT_CODES.has(code)) return { code, failure: { kind: 'not-sent' } };
  if (CONNECTION_CODES.has(code)) return { code, failure: { kind: 'connection' } };
  if (TIMEOUT_CODES.has(code)) return { code, failure: { kind: 'timeout' } };
  return { code, failure: { kind: 'fatal' } };
}

/** What `mapTransportError` takes. */
export interface TransportErrorInput {
  /** The provider id. */
  provider: string;
  /** The request method. */
  method: string;
  /** The URL or path called; only its path appears in the message. */
  url: string | URL;
  /** The transport error undici threw. */
  error: unknown;
  /** The attempt timeout, used when the transport itself timed out. */
  timeoutMs: number;
}

/**
 * The typed error for a transport failure: a TimeoutError for timeouts, a
 * retryable ProviderError for connection failures (code in the message, never
 * the query string), a non-retryable ProviderError for anything else.
 */
export function mapTransportError(input: TransportErrorInput): ProviderError {
  const { provider, error } = input;
  const { code, failure } = classifyTransportError(error);
  const target = `${input.method.toUpperCase()} ${stripQuery(input.url)}`;
  if (failure.kind === 'timeout') {
    return new TimeoutError(`${provider} did not answer ${target} in time (${code}).`, {
      provider,
      timeoutMs: input.timeoutMs,
      cause: error,
    });
  }
  if (failure.kind === 'not-sent' || failure.kind === 'connection') {
    const when = failure.kind === 'not-sent' ? 'could not connect for' : 'lost the connection during';
    return new ProviderError(`${provider}: ${when} ${target} (${code}). Retrying later may succeed.`, {
      provider,
      retryable: true,
      cause: error,
    });
  }
  return new ProviderError(`${provider}: ${target} failed before a response was read (${code}).`, {
    provider,
    retryable: false,
    cause: error,
  });
}
