import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoInstant } from '../../src/values/iso-instant.js';

describe('isoInstant', () => {
  it('is toISOString for any instant, in any order of calls (same second, other seconds, any year)', () => {
    const near = fc.integer({ min: 0, max: 3_000 }).map((ms) => Date.UTC(2026, 11, 5) + ms);
    const any = fc.integer({ min: -8_640_000_000_000_000, max: 8_640_000_000_000_000 });
    const edges = fc.constantFrom(0, 999, 1_000, 253_402_300_799_999, 253_402_300_800_000, -1, -1_001);
    fc.assert(
      fc.property(fc.array(fc.oneof(near, any, edges), { minLength: 1, maxLength: 30 }), (times) => {
        for (const ms of times) expect(isoInstant(new Date(ms))).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 1_000 },
    );
  });

  it('throws like toISOString for an invalid date', () => {
    expect(() => isoInstant(new Date(Number.NaN))).toThrow(RangeError);
  });
});
