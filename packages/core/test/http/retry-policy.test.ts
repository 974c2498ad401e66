import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors.js';
import { backoffDelay, DEFAULT_RETRY, isSafeToRetry, parseRetryAfter } from '../../src/http/index.js';
import { decideRetry, isRetryableFailure, resolveRetryOptions } from '../../src/http/retry-policy.js';

const options = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };

describe('isSafeToRetry', () => {
  it.each([
    ['GET', true],
    ['HEAD', true],
    ['OPTIONS', true],
    ['PUT', true],
    ['DELETE', true],
    ['POST', false],
    ['PATCH', false],
  ])('%s → %s', (method, safe) => {
    expect(isSafeToRetry({ method })).toBe(safe);
  });

  it('an idempotency key or idempotent: true makes POST/PATCH safe', () => {
    expect(isSafeToRetry({ method: 'POST', idempotencyKey: 'k' })).toBe(true);
    expect(isSafeToRetry({ method: 'PATCH', idempotent: true })).toBe(true);
    expect(isSafeToRetry({ method: 'POST', idempotencyKey: '' })).toBe(false);
  });
});

describe('isRetryableFailure', () => {
  const statuses = [408, 429, 500, 502, 503, 504];
  it('retries unsafe requests only when nothing was sent', () => {
    expect(isRetryableFailure({ kind: 'not-sent' }, false, statuses)).toBe(true);
    expect(isRetryableFailure({ kind: 'connection' }, false, statuses)).toBe(false);
    expect(isRetryableFailure({ kind: 'timeout' }, false, statuses)).toBe(false);
    expect(isRetryableFailure({ kind: 'status', status: 503 }, false, statuses)).toBe(false);
  });

  it('retries safe requests on connection errors, timeouts and the listed statuses', () => {
    expect(isRetryableFailure({ kind: 'connection' }, true, statuses)).toBe(true);
    expect(isRetryableFailure({ kind: 'timeout' }, true, statuses)).toBe(true);
    for (const status of statuses) expect(isRetryableFailure({ kind: 'status', status }, true, statuses)).toBe(true);
    for (const status of [400, 401, 403, 404, 409, 422, 501]) {
      expect(isRetryableFailure({ kind: 'status', status }, true, statuses)).toBe(false);
    }
    expect(isRetryableFailure({ kind: 'fatal' }, true, statuses)).toBe(false);
  });
});

describe('backoffDelay (full jitter)', () => {
  it('stays within [0, min(max, base * 2^(n-1))]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 0.9999999, noNaN: true }), (attempt, r) => {
        const delay = backoffDelay(attempt, options, () => r);
        const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
        return delay >= 0 && delay <= cap;
      }),
    );
  });

  it('grows exponentially up to the ceiling', () => {
    const top = (attempt: number): number => backoffDelay(attempt, options, () => 0.999999);
    expect([1, 2, 3, 4, 5, 6].map(top)).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(3, options, () => 0)).toBe(0);
  });
});

describe('decideRetry', () => {
  const base = { options, random: () => 0.5, remainingMs: 10_000 };

  it('stops when not retryable or out of attempts', () => {
    expect(decideRetry({ ...base, attempt: 1, retryable: false })).toEqual({ retry: false, reason: 'not-retryable' });
    expect(decideRetry({ ...base, attempt: 5, retryable: true })).toEqual({ retry: false, reason: 'attempts-exhausted' });
  });

  it('uses the backoff, or Retry-After when given', () => {
    expect(decideRetry({ ...base, attempt: 2, retryable: true })).toEqual({ retry: true, delayMs: 100 });
    expect(decideRetry({ ...base, attempt: 2, retryable: true, retryAfterMs: 3_000 })).toEqual({ retry: true, delayMs: 3_000 });
  });

  it('fails fast when Retry-After or the backoff would end past the deadline', () => {
    expect(decideRetry({ ...base, attempt: 1, retryable: true, retryAfterMs: 60_000 })).toEqual({
      retry: false,
      reason: 'retry-after-exceeds-deadline',
    });
    expect(decideRetry({ ...base, attempt: 4, retryable: true, remainingMs: 100 })).toEqual({ retry: false, reason: 'no-time-left' });
  });

  it('never sleeps past the remaining time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }),
        (attempt, remainingMs, retryAfterMs) => {
          const decision = decideRetry({ attempt, retryable: true, remainingMs, retryAfterMs, options: { ...options, maxAttempts: 20 } });
          return !decision.retry || decision.delayMs < remainingMs;
        },
      ),
    );
  });
});

describe('resolveRetryOptions', () => {
  it('defaults and validation', () => {
    expect(resolveRetryOptions(undefined)).toEqual(DEFAULT_RETRY);
    expect(DEFAULT_RETRY).toEqual({ maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 });
    expect(() => resolveRetryOptions({ maxAttempts: 0 })).toThrow(ConfigurationError);
    expect(() => resolveRetryOptions({ baseDelayMs: -1 })).toThrow(ConfigurationError);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-22T10:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('0.25', now)).toBe(250);
  });

  it('reads an HTTP-date relative to now, past dates as 0', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:59:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    for (const value of [undefined, '', 'soon', '-5', '1e3', 'NaN']) expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  it('takes the first of repeated headers', () => {
    expect(parseRetryAfter(['2', '9'], now)).toBe(2_000);
  });
});
