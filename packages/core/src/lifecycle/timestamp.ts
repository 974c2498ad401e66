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
  // What core writes itself (`toISOString`): read from its digits, no regex, no memo.
  const canonical = typeof value === 'string' ? canonicalInstantMs(value) : undefined;
  if (canonical !== undefined) return canonical;
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

/**
 * Epoch milliseconds of a timestamp in `toISOString`'s own form (`YYYY-MM-DDTHH:mm:ss.sssZ`) naming a real
 * instant, read from its digits: exactly what `Date.parse` gives for it, for a fraction of the cost. `undefined`
 * for anything else — other forms, years before 1000, out-of-range fields, a day past the month's end, 24:00 —
 * which callers hand to `Date.parse` and their general path as before. So `undefined` never means invalid.
 */
export function canonicalInstantMs(value: string): number | undefined {
  if (
    value.length !== 24 ||
    value.charCodeAt(4) !== 45 /* - */ ||
    value.charCodeAt(7) !== 45 ||
    value.charCodeAt(10) !== 84 /* T */ ||
    value.charCodeAt(13) !== 58 /* : */ ||
    value.charCodeAt(16) !== 58 ||
    value.charCodeAt(19) !== 46 /* . */ ||
    value.charCodeAt(23) !== 90 /* Z */
  ) {
    return undefined;
  }
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const hour = digitsAt(value, 11, 2);
  const minute = digitsAt(value, 14, 2);
  const second = digitsAt(value, 17, 2);
  const millisecond = digitsAt(value, 20, 3);
  // digitsAt answers -1 for a non-digit: every range check below refuses it.
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || millisecond < 0) return undefined;
  return daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + millisecond;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil), in plain arithmetic: cheaper than `Date.UTC`. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The decimal number in `count` characters of `value` from `start`, or -1 when one of them is not a digit. */
function digitsAt(value: string, start: number, count: number): number {
  let n = 0;
  for (let index = start; index < start + count; index++) {
    const digit = value.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
