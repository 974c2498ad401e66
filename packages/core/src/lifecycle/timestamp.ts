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
  // Every report parses three or four of these, and the same instants come back (a customer's last report,
  // whole-second provider times): a bounded memo of valid ones skips the regex and Date.parse.
  const known = typeof value === 'string' ? parsed.get(value) : undefined;
  if (known !== undefined) return known;
  const ms = typeof value === 'string' && ISO_DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new TypeError(
      `${field} must be an ISO 8601 date-time with an offset (e.g. 2024-05-01T12:00:00Z), got ${JSON.stringify(value)}`,
    );
  }
  if (parsed.size >= 4096) parsed.clear();
  parsed.set(value, ms);
  return ms;
}

/** Valid timestamps already parsed (text → epoch ms); cleared when full. */
const parsed = new Map<string, number>();

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;
