/**
 * E.164 phone numbers: `+`, a country code not starting with 0, at most 15
 * digits in all, nothing else (no spaces, dashes or brackets). Equivalent to
 * `/^\+[1-9]\d{1,14}$/` (`E164_PATTERN`), checked without a regular expression.
 */
export const E164_PATTERN = /^\+[1-9]\d{1,14}$/;

const PLUS = 0x2b;
const ZERO = 0x30;
const ONE = 0x31;
const NINE = 0x39;

export function isE164Phone(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const length = value.length;
  if (length < 3 || length > 16 || value.charCodeAt(0) !== PLUS) return false;
  const first = value.charCodeAt(1);
  if (first < ONE || first > NINE) return false;
  for (let index = 2; index < length; index += 1) {
    const code = value.charCodeAt(index);
    if (code < ZERO || code > NINE) return false;
  }
  return true;
}
