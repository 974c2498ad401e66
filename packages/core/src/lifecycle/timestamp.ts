/**
 * Parses a lifecycle timestamp to epoch milliseconds, or throws a `TypeError`.
 *
 * Accepted: ISO 8601 date-time with an explicit offset — `YYYY-MM-DDTHH:mm`,
 * optional `:ss` and fraction, then `Z` or `±HH:mm` (the ECMAScript date-time
 * string format, plus any fraction length since providers send microseconds).
 *
 * Why so strict: `Date.parse` reads an offset-less date-time in the host's time
 * zone, so the same report would order differently on two servers, and it parses
 * other formats implementation-defined. Why a throw rather than an `ignored`
 * result: the caller guarantees ISO 8601 (adapters parse provider dates with zod,
 * core fills the receipt time), so a bad value here is a bug, not provider noise.
 */
export function parseLifecycleTimestamp(value: string, field: string): number {
  const ms = typeof value === 'string' && ISO_DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new TypeError(
      `${field} must be an ISO 8601 date-time with an offset (e.g. 2024-05-01T12:00:00Z), got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;
