/**
 * Regular-expression sources for the ways a provider may write a date back:
 * `1990-05-15`, `15/05/1990`, `05/15/90`, `19900515`, `15 May 1990`,
 * `May 15th, 1990`, `the fifteenth of May`, `May fifteen`, `May 1990`,
 * `1990` alone. Case is ignored by the caller's `iu` flags.
 */

/** Sources matching every written form of one calendar date (day and month together, month and year, the year). */
export function datePatterns(date: CalendarParts): string[] {
  const { year, month, day } = date;
  const yyyy = String(year).padStart(4, '0');
  const yy = yyyy.slice(2);
  const mm = String(month).padStart(2, '0');
  const dd = String(day).padStart(2, '0');
  const m = numberAllowingZero(month);
  const d = numberAllowingZero(day);
  const monthName = MONTH_NAMES[month - 1]!;
  const dayWord = `(?:${d}(?:st|nd|rd|th)?|${DAY_WORDS[day - 1]!})`;
  const years = `(?:${yyyy}|'?${yy})`;

  return [
    // Numbers in any order the world writes them, the year optional only where a separator proves a date.
    digitsBounded(`${yyyy}${NUMERIC_SEPARATOR}${m}${NUMERIC_SEPARATOR}${d}`),
    digitsBounded(`${d}${NUMERIC_SEPARATOR}${m}${NUMERIC_SEPARATOR}${years}`),
    digitsBounded(`${m}${NUMERIC_SEPARATOR}${d}${NUMERIC_SEPARATOR}${years}`),
    digitsBounded(`${d}${PARTIAL_SEPARATOR}${m}`),
    digitsBounded(`${m}${PARTIAL_SEPARATOR}${d}`),
    digitsBounded(`${yyyy}${mm}${dd}|${dd}${mm}${yyyy}|${mm}${dd}${yyyy}`),
    // Words: day before or after the month, with or without the year; month and year.
    wordBounded(`(?:the\\s+)?${dayWord}(?:\\s+of)?${WORD_SEPARATOR}${monthName}(?:${WORD_SEPARATOR}${yyyy})?`),
    wordBounded(`${monthName}${WORD_SEPARATOR}(?:the\\s+)?${dayWord}(?:${WORD_SEPARATOR}${yyyy})?`),
    wordBounded(`${monthName}${WORD_SEPARATOR}${years}`),
    // The year alone still dates a birth.
    digitsBounded(yyyy),
  ];
}

/**
 * Sources matching a day and a month written together in words, whatever the
 * date: `15 May`, `May 15th`, `the fifteenth of May`, and `May 1990`. For text
 * where the submitted values are not known (numeric dates are caught as digit runs).
 */
export function anyDayAndMonthPatterns(): readonly string[] {
  anyDayAndMonth ??= buildAnyDayAndMonth();
  return anyDayAndMonth;
}

/** A calendar date's parts (month and day 1-based). */
export interface CalendarParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** `YYYY-MM-DD` (a time part after it is ignored) → its parts; `undefined` for anything else. */
export function parseIsoDate(value: string): CalendarParts | undefined {
  const match = /^\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T\s])/.exec(value);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return { year, month, day };
}

// ---------------------------------------------------------------------------

/** Between the numbers of a full date: `-`, `/`, `.`, spaces. */
const NUMERIC_SEPARATOR = '(?:\\s*[./\\-]\\s*|\\s+)';
/** Between day and month without a year: a real date separator only, so `5 15` in prose is left alone. */
const PARTIAL_SEPARATOR = '\\s*[./\\-]\\s*';
/** Between the words of a written date: spaces, commas, dashes, dots. */
const WORD_SEPARATOR = '[\\s,./\\-]*';

function numberAllowingZero(value: number): string {
  return value < 10 ? `0?${value}` : String(value);
}

function digitsBounded(source: string): string {
  return `(?<!\\d)(?:${source})(?!\\d)`;
}

function wordBounded(source: string): string {
  return `(?<![\\p{L}\\p{N}])(?:${source})(?![\\p{L}\\p{N}])`;
}

const MONTHS: readonly (readonly [full: string, abbreviation: string])[] = [
  ['january', 'jan'],
  ['february', 'feb'],
  ['march', 'mar'],
  ['april', 'apr'],
  ['may', 'may'],
  ['june', 'jun'],
  ['july', 'jul'],
  ['august', 'aug'],
  ['september', 'sept?'],
  ['october', 'oct'],
  ['november', 'nov'],
  ['december', 'dec'],
];

const MONTH_NAMES: readonly string[] = MONTHS.map(([full, abbreviation]) => `(?:${full}|${abbreviation}\\.?)`);

const UNITS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const UNIT_ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth'];
const TEENS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TEEN_ORDINALS = [
  'tenth',
  'eleventh',
  'twelfth',
  'thirteenth',
  'fourteenth',
  'fifteenth',
  'sixteenth',
  'seventeenth',
  'eighteenth',
  'nineteenth',
];

/** `twenty` + `[-\s]?` + `first`: compound numbers are written with a hyphen, a space or nothing. */
function compound(tens: string, unit: string): string {
  return `${tens}[\\s-]?${unit}`;
}

/** Day `n` (1-based) → `(?:fifteenth|fifteen)`; compounds accept any joiner. */
function dayWords(n: number): string {
  if (n <= 9) return `(?:${UNIT_ORDINALS[n - 1]}|${UNITS[n - 1]})`;
  if (n <= 19) return `(?:${TEEN_ORDINALS[n - 10]}|${TEENS[n - 10]})`;
  if (n === 20) return '(?:twentieth|twenty)';
  if (n === 30) return '(?:thirtieth|thirty)';
  const tens = n < 30 ? 'twenty' : 'thirty';
  const unit = n % 10;
  return `(?:${compound(tens, UNIT_ORDINALS[unit - 1]!)}|${compound(tens, UNITS[unit - 1]!)})`;
}

const DAY_WORDS: readonly string[] = Array.from({ length: 31 }, (_, index) => dayWords(index + 1));

let anyDayAndMonth: readonly string[] | undefined;

function buildAnyDayAndMonth(): readonly string[] {
  const day = `(?:[0-3]?\\d(?:st|nd|rd|th)?|${ordinalDayWords().join('|')})`;
  const month = `(?:${MONTH_NAMES.join('|')})`;
  return [
    wordBounded(`(?:the\\s+)?${day}(?:\\s+of)?${WORD_SEPARATOR}${month}(?:${WORD_SEPARATOR}\\d{2,4})?`),
    wordBounded(`${month}${WORD_SEPARATOR}(?:the\\s+)?${day}(?:${WORD_SEPARATOR}\\d{2,4})?`),
    wordBounded(`${month}${WORD_SEPARATOR}\\d{4}`),
  ];
}

/** Ordinal day words only (`first` … `thirty-first`): cardinals like `one` are too common in prose to scrub blindly. */
function ordinalDayWords(): string[] {
  const words: string[] = [...UNIT_ORDINALS, ...TEEN_ORDINALS, 'twentieth', 'thirtieth'];
  for (const unit of UNIT_ORDINALS) words.push(compound('twenty', unit));
  words.push(compound('thirty', 'first'));
  return words;
}
