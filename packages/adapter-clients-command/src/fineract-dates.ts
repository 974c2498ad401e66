import { lazySchema } from '@openkyc/core';
import type { z } from 'zod';

/**
 * Dates as this provider exchanges them (Apache Fineract conventions): requests
 * carry text in `dd MMMM yyyy` with `locale: "en"` (`"15 May 1990"`) next to
 * the `dateFormat` / `locale` keys; responses return `[year, month, day]` arrays.
 */

export const FINERACT_DATE_FORMAT = 'dd MMMM yyyy';
export const FINERACT_LOCALE = 'en';

/** The two keys every request body with a date must carry. */
export const FINERACT_DATE_CONTEXT = { dateFormat: FINERACT_DATE_FORMAT, locale: FINERACT_LOCALE } as const;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `'1990-05-15'` → `'15 May 1990'`. Throws a RangeError (without the value) for anything else. */
export function formatFineractDate(isoDate: string): string {
  const match = ISO_DATE.exec(isoDate);
  const month = match === null ? undefined : MONTHS[Number(match[2]) - 1];
  if (match === null || month === undefined || !isRealDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw new RangeError('formatFineractDate expects a real calendar date as YYYY-MM-DD');
  }
  return `${match[3]} ${month} ${match[1]}`;
}

/**
 * The calendar day of `instant` in `timeZone` (the tenant's), as Fineract
 * request text: dates such as `submittedOnDate` and `activationDate` must not
 * be after the tenant's today.
 */
export function fineractDateOf(instant: Date, timeZone: string): string {
  return formatFineractDate(calendarDateIn(instant, timeZone));
}

/** `YYYY-MM-DD` of `instant` in `timeZone`. */
export function calendarDateIn(instant: Date, timeZone: string): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError('calendarDateIn needs a valid Date');
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

/** `[1990, 5, 15]` → `'1990-05-15'`; `undefined` for anything that is not a real date. */
export function fineractDateToIso(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length < 3) return undefined;
  const [year, month, day] = value as unknown[];
  if (!isInt(year) || !isInt(month) || !isInt(day) || !isRealDate(year, month, day)) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * A response date: `[y, m, d]` (or null) → ISO `YYYY-MM-DD`, or `undefined`
 * when absent or unreadable. Never fails the surrounding parse: provider
 * responses are untrusted and a bad date must not hide the status.
 */
export const fineractDateSchema = lazySchema((z) => z.unknown().transform((value) => fineractDateToIso(value)));

/** Checks an IANA time zone name; used by the options schema. */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}
