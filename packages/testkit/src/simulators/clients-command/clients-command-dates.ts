/**
 * Dates as this provider exchanges them: requests carry text in the pattern
 * `dd MMMM yyyy` with `locale: "en"` (`"15 May 1990"`), responses return
 * `[year, month, day]` arrays. Parsing is strict like Java's `DateTimeFormatter`
 * with `ResolverStyle.STRICT`: two-digit day, case-sensitive English month
 * name, four-digit year, single spaces, a day that exists in that month.
 */

/** `[year, month (1-12), day]`, as every date appears in responses. */
export type ClientsCommandDate = readonly [year: number, month: number, day: number];

/** The only `dateFormat` the simulator accepts (the contract's). */
export const CLIENTS_COMMAND_DATE_FORMAT = 'dd MMMM yyyy';

const MONTH_NAMES = [
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

const DATE_PATTERN = /^(\d{2}) ([A-Za-z]+) (\d{4})$/;

/** Parses `"15 May 1990"`; `undefined` for anything else (`"5 May 1990"`, `"15 may 1990"`, `"31 April 2026"`). */
export function parseClientsCommandDate(text: string): ClientsCommandDate | undefined {
  const match = DATE_PATTERN.exec(text);
  if (!match) return undefined;
  const [, dayText = '', monthName = '', yearText = ''] = match;
  const monthIndex = MONTH_NAMES.indexOf(monthName as (typeof MONTH_NAMES)[number]);
  if (monthIndex < 0) return undefined;
  const year = Number(yearText);
  const month = monthIndex + 1;
  const day = Number(dayText);
  if (year < 1 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return [year, month, day];
}

/** Formats a date the way requests must carry it: `[1990, 5, 15]` → `"15 May 1990"`. A `Date` is read in UTC. */
export function formatClientsCommandDate(date: ClientsCommandDate | Date): string {
  const [year, month, day] = date instanceof Date ? [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()] : date;
  const monthName = MONTH_NAMES[month - 1];
  if (monthName === undefined) throw new RangeError(`invalid month ${month}`);
  return `${String(day).padStart(2, '0')} ${monthName} ${String(year).padStart(4, '0')}`;
}

/** The calendar date of `instant` in `timeZone` (an IANA name such as `'UTC'`). */
export function calendarDateIn(instant: Date, timeZone: string): ClientsCommandDate {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((candidate) => candidate.type === type)?.value);
  return [part('year'), part('month'), part('day')];
}

/** Negative when `a` is before `b`, 0 when equal, positive when after. */
export function compareDates(a: ClientsCommandDate, b: ClientsCommandDate): number {
  return toOrdinal(a) - toOrdinal(b);
}

/** The locales whose month names are the English ones: `en`, `en_US`, `en-GB`… */
export function isEnglishLocale(locale: string): boolean {
  return /^en(?:[-_][A-Za-z]{2})?$/.test(locale);
}

/** Throws on an invalid time zone so a bad option fails at construction, not on the first request. */
export function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new RangeError(`unknown time zone: ${timeZone}`);
  }
}

function toOrdinal([year, month, day]: ClientsCommandDate): number {
  return year * 10_000 + month * 100 + day;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}
