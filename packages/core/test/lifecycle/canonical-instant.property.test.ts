import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalInstantMs, parseLifecycleTimestamp } from '../../src/lifecycle/timestamp.js';

/**
 * `canonicalInstantMs` reads `toISOString`'s form from its digits instead of `Date.parse`: it must give exactly
 * `Date.parse`'s answer whenever it answers, answer for every real instant core writes, and step aside
 * (undefined) for everything `Date.parse` would read differently (roll-overs, 24:00, two-digit years).
 */
const digits = (length: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: length, maxLength: length }).map((d) => d.join(''));
const canonicalShaped = fc
  .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), digits(3))
  .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
const edgeShaped = fc
  .tuple(
    fc.constantFrom('0000', '0099', '0999', '1000', '1900', '2000', '2024', '2025', '2100', '9999'),
    fc.constantFrom('00', '01', '02', '04', '12', '13'),
    fc.constantFrom('00', '01', '28', '29', '30', '31', '32'),
    fc.constantFrom('00', '23', '24', '25'),
    fc.constantFrom('00', '59', '60'),
    fc.constantFrom('00', '59', '60'),
    fc.constantFrom('000', '999'),
  )
  .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);

describe('canonicalInstantMs', () => {
  it("answers Date.parse's value or nothing, for any string of the canonical shape", () => {
    fc.assert(
      fc.property(fc.oneof(canonicalShaped, edgeShaped), (value) => {
        const ms = canonicalInstantMs(value);
        if (ms !== undefined) expect(ms).toBe(Date.parse(value));
        // Never a value where Date.parse rolls over into another day (its text would not be the instant's).
        if (ms !== undefined) expect(new Date(ms).toISOString()).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('answers for every instant toISOString writes from year 1000 on', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }), (ms) => {
        expect(canonicalInstantMs(new Date(ms).toISOString())).toBe(ms);
      }),
      { numRuns: 2000 },
    );
  });

  it('steps aside for other forms, which parseLifecycleTimestamp still reads (or refuses) as before', () => {
    for (const value of ['2025-01-15T12:00:00Z', '2025-01-15T12:00:00.000+00:00', '2025-01-15T12:00:00.0000Z', '2025-02-29T00:00:00.000Z', '2024-12-31T24:00:00.000Z', '0099-01-01T00:00:00.000Z', '2025-01-15t12:00:00.000Z']) {
      expect(canonicalInstantMs(value)).toBeUndefined();
    }
    expect(parseLifecycleTimestamp('2025-01-15T12:00:00Z', 'f')).toBe(Date.UTC(2025, 0, 15, 12));
    expect(parseLifecycleTimestamp('2024-12-31T24:00:00.000Z', 'f')).toBe(Date.UTC(2025, 0, 1));
    expect(() => parseLifecycleTimestamp('2025-13-01T00:00:00.000Z', 'f')).toThrow(TypeError);
  });
});
