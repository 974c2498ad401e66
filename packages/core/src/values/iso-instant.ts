/**
 * `date.toISOString()`, cheaper for the times core stamps on every report (a poll's `at` and receipt time,
 * a webhook's): instants of the same second share their `YYYY-MM-DDTHH:mm:ss.` text, so only the
 * milliseconds are formatted anew. Anything outside 1970–9999 (and an invalid date, which throws) takes
 * `toISOString` itself.
 */
export function isoInstant(date: Date): string {
  const ms = date.getTime();
  if (!(ms >= 0 && ms < YEAR_10000_MS)) return date.toISOString();
  const millis = ms % 1000;
  const second = ms - millis;
  if (second !== lastSecond) {
    lastPrefix = new Date(second).toISOString().slice(0, 20);
    lastSecond = second;
  }
  return `${lastPrefix}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

/** 10000-01-01T00:00:00Z: from there on `toISOString` writes a six-digit, signed year. */
const YEAR_10000_MS = 253_402_300_800_000;

/** The second last formatted (epoch ms) and its text up to the milliseconds. */
let lastSecond = Number.NaN;
let lastPrefix = '';
