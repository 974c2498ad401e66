import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calendarDateIn,
  compareDates,
  formatClientsCommandDate,
  isEnglishLocale,
  parseClientsCommandDate,
} from '../../src/simulators/clients-command/clients-command-dates.js';

describe('clients-command dates (dd MMMM yyyy in, [y, m, d] out)', () => {
  it('parses the contract examples', () => {
    expect(parseClientsCommandDate('15 May 1990')).toEqual([1990, 5, 15]);
    expect(parseClientsCommandDate('22 November 2026')).toEqual([2026, 11, 22]);
    expect(parseClientsCommandDate('01 January 2000')).toEqual([2000, 1, 1]);
    expect(parseClientsCommandDate('29 February 2024')).toEqual([2024, 2, 29]);
  });

  it.each([
    ['5 May 1990', 'single-digit day (dd needs two digits)'],
    ['15 may 1990', 'lower-case month (month names are case-sensitive)'],
    ['15 MAY 1990', 'upper-case month'],
    ['15 Mai 1990', 'non-English month'],
    ['15 Sept 1990', 'abbreviated month'],
    ['15 May 90', 'two-digit year'],
    ['1990-05-15', 'ISO date'],
    ['15  May 1990', 'double space'],
    [' 15 May 1990', 'leading space'],
    ['15 May 1990 ', 'trailing space'],
    ['31 April 2026', 'day that does not exist'],
    ['29 February 2026', 'Feb 29 in a non-leap year'],
    ['29 February 1900', 'Feb 29 in a century non-leap year'],
    ['00 May 1990', 'day zero'],
    ['15 May 0000', 'year zero'],
    ['', 'empty'],
  ])('rejects %j (%s)', (text) => {
    expect(parseClientsCommandDate(text)).toBeUndefined();
  });

  it('formats with a two-digit day and the English month name', () => {
    expect(formatClientsCommandDate([1990, 5, 5])).toBe('05 May 1990');
    expect(formatClientsCommandDate(new Date('2026-11-22T23:59:59Z'))).toBe('22 November 2026');
  });

  it('round-trips every valid calendar date', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }), (date) => {
        const text = formatClientsCommandDate(date);
        expect(parseClientsCommandDate(text)).toEqual([date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()]);
      }),
    );
  });

  it('orders dates', () => {
    expect(compareDates([2026, 11, 22], [2026, 11, 22])).toBe(0);
    expect(compareDates([2026, 11, 21], [2026, 11, 22])).toBeLessThan(0);
    expect(compareDates([2027, 1, 1], [2026, 12, 31])).toBeGreaterThan(0);
  });

  it('computes "today" in the tenant time zone', () => {
    const instant = new Date('2026-11-22T03:00:00Z');
    expect(calendarDateIn(instant, 'UTC')).toEqual([2026, 11, 22]);
    expect(calendarDateIn(instant, 'America/New_York')).toEqual([2026, 11, 21]);
    expect(calendarDateIn(instant, 'Asia/Tokyo')).toEqual([2026, 11, 22]);
  });

  it('accepts English locales only', () => {
    expect(isEnglishLocale('en')).toBe(true);
    expect(isEnglishLocale('en_US')).toBe(true);
    expect(isEnglishLocale('en-GB')).toBe(true);
    expect(isEnglishLocale('fr')).toBe(false);
    expect(isEnglishLocale('english')).toBe(false);
  });
});
