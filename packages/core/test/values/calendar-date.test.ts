import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ageOn,
  calendarDateOfInstant,
  compareCalendarDates,
  isCalendarDate,
  parseCalendarDate,
} from '../../src/values/calendar-date.js';

/** Reference: a y/m/d names a real day when `Date.UTC` does not roll it over. */
function referenceIsRealDate(year: number, month: number, day: number): boolean {
  // Date.UTC maps years 0–99 to 1900–1999; the Gregorian calendar repeats every 400 years.
  const y = year < 100 ? year + 400 : year;
  const date = new Date(Date.UTC(y, month - 1, day));
  return date.getUTCFullYear() === y && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

describe('parseCalendarDate', () => {
  it.each(['2024-02-29', '2000-02-29', '1990-05-15', '2023-12-31', '2023-01-01', '1600-02-29'])('accepts %s', (value) => {
    expect(parseCalendarDate(value)).toBeDefined();
  });

  it.each([
    '2023-02-29', // not a leap year
    '2023-02-30',
    '1900-02-29', // divisible by 100, not by 400
    '2023-04-31',
    '2023-13-01',
    '2023-00-10',
    '2023-01-00',
    '2023-1-01',
    '23-01-01',
    '2023/01/01',
    '2023-01-01T00:00:00Z',
    ' 2023-01-01',
    '2023-01-01\n',
    '２０２３-01-01', // full-width digits
    '',
  ])('refuses %j', (value) => {
    expect(parseCalendarDate(value)).toBeUndefined();
    expect(isCalendarDate(value)).toBe(false);
  });

  it('returns the parts', () => {
    expect(parseCalendarDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
  });

  it('isCalendarDate refuses non-strings', () => {
    for (const value of [undefined, null, 20240229, new Date(), {}, []]) expect(isCalendarDate(value)).toBe(false);
  });

  it('agrees with a Date.UTC reference for random y/m/d (including out-of-range months and days)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), (y, m, d) => {
        const text = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
        const expected = m >= 1 && m <= 12 && d >= 1 && referenceIsRealDate(y, m, d);
        expect(parseCalendarDate(text) !== undefined).toBe(expected);
        if (expected) expect(parseCalendarDate(text)).toEqual({ year: y, month: m, day: d });
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with the reference around month ends', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 27, max: 32 }), (y, m, d) => {
        const text = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
        expect(parseCalendarDate(text) !== undefined).toBe(referenceIsRealDate(y, m, d));
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws and accepts only YYYY-MM-DD shaped strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (value) => {
        const parsed = parseCalendarDate(value);
        if (parsed !== undefined) expect(value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }),
    );
  });
});

describe('ageOn', () => {
  const d = (value: string) => parseCalendarDate(value)!;

  it('counts a birthday today as a completed year', () => {
    expect(ageOn(d('2008-03-15'), d('2026-03-15'))).toBe(18);
    expect(ageOn(d('2008-03-16'), d('2026-03-15'))).toBe(17);
    expect(ageOn(d('2008-03-14'), d('2026-03-15'))).toBe(18);
  });

  it('treats 29 February birthdays as 1 March in common years', () => {
    expect(ageOn(d('2008-02-29'), d('2026-02-28'))).toBe(17);
    expect(ageOn(d('2008-02-29'), d('2026-03-01'))).toBe(18);
    expect(ageOn(d('2008-02-29'), d('2028-02-29'))).toBe(20);
  });

  it('agrees with a Date.UTC based reference', () => {
    const dateArb = fc.date({ min: new Date(Date.UTC(1800, 0, 1)), max: new Date(Date.UTC(2200, 0, 1)), noInvalidDate: true });
    fc.assert(
      fc.property(dateArb, dateArb, (a, b) => {
        const [birth, on] = a <= b ? [a, b] : [b, a];
        // reference: the latest n with birth + n years (1 March for 29 Feb in common years) <= on
        let years = on.getUTCFullYear() - birth.getUTCFullYear();
        const anniversary = (n: number) => {
          const y = birth.getUTCFullYear() + n;
          const date = new Date(Date.UTC(y, birth.getUTCMonth(), birth.getUTCDate()));
          return date; // Date.UTC rolls 29 Feb over to 1 Mar in common years
        };
        const onDay = Date.UTC(on.getUTCFullYear(), on.getUTCMonth(), on.getUTCDate());
        if (anniversary(years).getTime() > onDay) years -= 1;
        expect(ageOn(calendarDateOfInstant(birth), calendarDateOfInstant(on))).toBe(years);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('compareCalendarDates / calendarDateOfInstant', () => {
  it('orders dates', () => {
    const d = (value: string) => parseCalendarDate(value)!;
    expect(compareCalendarDates(d('2024-01-01'), d('2024-01-02'))).toBeLessThan(0);
    expect(compareCalendarDates(d('2024-02-01'), d('2024-01-31'))).toBeGreaterThan(0);
    expect(compareCalendarDates(d('2024-02-01'), d('2024-02-01'))).toBe(0);
  });

  it('uses the UTC day', () => {
    expect(calendarDateOfInstant(new Date('2026-03-15T23:59:59.999Z'))).toEqual({ year: 2026, month: 3, day: 15 });
    expect(calendarDateOfInstant(new Date('2026-03-16T00:00:00.000+01:00'))).toEqual({ year: 2026, month: 3, day: 15 });
  });
});
