import { ConfigurationError } from '../errors.js';

/**
 * When a failed attempt is repeated, and after how long. Pure functions: the
 * client feeds them what happened and the time left.
 */

export interface RetryOptions {
  /** Attempts in total, the first included. Default 3; 1 disables retries. */
  maxAttempts?: number;
  /** Backoff base: attempt n waits up to `baseDelayMs * 2^(n-1)`. Default 200 ms. */
  baseDelayMs?: number;
  /** Backoff ceiling (a `Retry-After` may ask for longer and is honoured). Default 5 s. */
  maxDelayMs?: number;
}

export type ResolvedRetryOptions = Required<RetryOptions>;

/** The default retry policy: 3 attempts, 200 ms base, 5 s cap. */
export const DEFAULT_RETRY: ResolvedRetryOptions = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 };

/** Statuses retried by default (for safe requests): timeout, rate limit, transient server errors. */
export const DEFAULT_RETRY_STATUSES: readonly number[] = [408, 429, 500, 502, 503, 504];

/** Methods that may be repeated without changing the outcome (RFC 9110 §9.2.2). */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export function resolveRetryOptions(options: RetryOptions | undefined, base: ResolvedRetryOptions = DEFAULT_RETRY): ResolvedRetryOptions {
  const resolved: ResolvedRetryOptions = {
    maxAttempts: options?.maxAttempts ?? base.maxAttempts,
    baseDelayMs: options?.baseDelayMs ?? base.baseDelayMs,
    maxDelayMs: options?.maxDelayMs ?? base.maxDelayMs,
  };
  if (!Number.isInteger(resolved.maxAttempts) || resolved.maxAttempts < 1) {
    throw new ConfigurationError('retry.maxAttempts must be an integer of at least 1');
  }
  if (!(resolved.baseDelayMs >= 0) || !Number.isFinite(resolved.baseDelayMs)) {
    throw new ConfigurationError('retry.baseDelayMs must be a finite number of milliseconds, 0 or more');
  }
  if (!(resolved.maxDelayMs >= 0) || !Number.isFinite(resolved.maxDelayMs)) {
    throw new ConfigurationError('retry.maxDelayMs must be a finite number of milliseconds, 0 or more');
  }
  return resolved;
}

/**
 * True when repeating the request cannot do something twice: an idempotent
 * method, a request the caller declares idempotent, or one carrying an
 * idempotency key the provider deduplicates on.
 */
export function isSafeToRetry(request: { method: string; idempotent?: boolean; idempotencyKey?: string }): boolean {
  if (request.idempotent === true) return true;
  if (request.idempotencyKey !== undefined && request.idempotencyKey !== '') return true;
  return IDEMPOTENT_METHODS.has(request.method.toUpperCase());
}

/** What went wrong in one attempt, as far as the retry decision cares. */
export type AttemptFailure =
  /** The provider answered with a status outside the expected ones. */
  | { kind: 'status'; status: number }
  /** The connection failed in a way proven to precede sending (refused, DNS, connect timeout). */
  | { kind: 'not-sent' }
  /** The connection failed after the request may have reached the provider (reset, socket closed…). */
  | { kind: 'connection' }
  /** The attempt ran past its own timeout; the provider may have processed it. */
  | { kind: 'timeout' }
  /** Anything else (a bug, a closed dispatcher, a response too large): never retried. */
  | { kind: 'fatal' };

/**
 * Whether this failure may be retried at all, before looking at attempts and time.
 * Unsafe requests are retried only when the request provably never left.
 */
export function isRetryableFailure(failure: AttemptFailure, safe: boolean, retryStatuses: readonly number[]): boolean {
  switch (failure.kind) {
    case 'not-sent':
      return true;
    case 'connection':
    case 'timeout':
      return safe;
    case 'status':
      return safe && retryStatuses.includes(failure.status);
    case 'fatal':
      return false;
  }
}

/** "Full jitter" backoff: uniform in [0, min(maxDelayMs, baseDelayMs * 2^(attempt-1))]. */
export function backoffDelay(attempt: number, options: ResolvedRetryOptions, random: () => number = Math.random): number {
  const exponential = options.baseDelayMs * 2 ** Math.max(0, attempt - 1);
  const cap = Math.min(options.maxDelayMs, exponential);
  return Math.floor(random() * cap);
}

export type RetryDecision =
  | { retry: true; delayMs: number }
  | {
      retry: false;
      reason: 'not-retryable' | 'attempts-exhausted' | 'retry-after-exceeds-deadline' | 'no-time-left';
    };

export interface RetryDecisionInput {
  /** The attempt that just failed, 1-based. */
  attempt: number;
  /** From `isRetryableFailure`. */
  retryable: boolean;
  /** What the provider asked for in `Retry-After`, if anything. */
  retryAfterMs?: number | undefined;
  /** Time left before the call's total deadline. */
  remainingMs: number;
  options: ResolvedRetryOptions;
  random?: () => number;
}

/**
 * Decides whether to try again and how long to sleep first. A `Retry-After`
 * replaces the backoff; one that would end past the deadline fails at once
 * rather than sleeping into a timeout. A backoff that leaves no time for
 * another attempt stops too.
 */
export function decideRetry(input: RetryDecisionInput): RetryDecision {
  if (!input.retryable) return { retry: false, reason: 'not-retryable' };
  if (input.attempt >= input.options.maxAttempts) return { retry: false, reason: 'attempts-exhausted' };
  if (input.retryAfterMs !== undefined) {
    if (input.retryAfterMs >= input.remainingMs) return { retry: false, reason: 'retry-after-exceeds-deadline' };
    return { retry: true, delayMs: input.retryAfterMs };
  }
  const delayMs = backoffDelay(input.attempt, input.options, input.random);
  if (delayMs >= input.remainingMs) return { retry: false, reason: 'no-time-left' };
  return { retry: true, delayMs };
}
