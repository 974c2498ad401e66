import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { E164_PATTERN, isE164Phone } from '../../src/values/phone.js';

const REFERENCE = /^\+[1-9]\d{1,14}$/;

describe('isE164Phone', () => {
  it.each(['+14155551234', '+442071838750', '+12', '+123456789012345'])('accepts %s', (value) => {
    expect(isE164Phone(value)).toBe(true);
  });

  it.each([
    '14155551234',
    '+04155551234',
    '+1',
    '+1234567890123456', // 16 digits
    '+1 415 555 1234',
    '+1-415-555-1234',
    '+1(415)5551234',
    '++14155551234',
    '+14155551234\n',
    '+١٤١٥٥٥٥١٢٣٤', // Arabic-Indic digits
    '',
    '+',
  ])('refuses %j', (value) => {
    expect(isE164Phone(value)).toBe(false);
  });

  it('refuses non-strings', () => {
    for (const value of [undefined, null, 14155551234, {}, ['+14155551234']]) expect(isE164Phone(value)).toBe(false);
  });

  it('exports the pattern it implements', () => {
    expect(E164_PATTERN.source).toBe(REFERENCE.source);
  });

  it('agrees with the regex on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 24, unit: 'binary' }), (value) => {
        expect(isE164Phone(value)).toBe(REFERENCE.test(value));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with the regex on phone-like strings', () => {
    const phoneChar = fc.constantFrom('+', '0', '1', '5', '9', ' ', '-', 'a', '\n', '٣');
    const phoneLike = fc.array(phoneChar, { maxLength: 18 }).map((chars) => chars.join(''));
    const nearValid = fc
      .tuple(fc.constantFrom('+', '', '++'), fc.stringMatching(/^\d{0,17}$/))
      .map(([prefix, digits]) => prefix + digits);
    fc.assert(
      fc.property(fc.oneof(phoneLike, nearValid), (value) => {
        expect(isE164Phone(value)).toBe(REFERENCE.test(value));
      }),
      { numRuns: 5000 },
    );
  });
});
