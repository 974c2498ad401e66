/**
 * `Retry-After` (RFC 9110 §10.2.3): either a number of seconds or an HTTP-date.
 * Fractional seconds (`0.5`) are accepted too, as several APIs send them.
 */

const SECONDS = /^\d+(?:\.\d+)?$/;
/** Anything larger is nonsense; treated as "a very long time" rather than overflowing timers. */
const MAX_RETRY_AFTER_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Milliseconds to wait, or `undefined` when the header is absent or unreadable.
 * A date in the past gives 0. `now` is injectable for tests.
 */
export function parseRetryAfter(value: string | readonly string[] | undefined, now: number = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (text === '') return undefined;

  if (SECONDS.test(text)) {
    return Math.min(MAX_RETRY_AFTER_MS, Math.ceil(Number(text) * 1000));
  }
  // HTTP-date (IMF-fixdate, and the obsolete RFC 850 / asctime forms Date.parse also reads).
  // Require a letter so bare numbers in odd formats ("-1", "1e3") are not read as dates.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - now));
}
