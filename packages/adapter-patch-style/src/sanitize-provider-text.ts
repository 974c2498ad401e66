/**
 * Provider messages end up in error messages, so anything in them that may be
 * a submitted value is cut out first: quoted text, e-mail addresses, and runs
 * of digits long enough to be a date, a phone, an id or a document number.
 * Field names, enum lists and the provider's own wording stay ("phoneNumber
 * must be in E.164 format").
 */
export function sanitizeProviderText(text: string, maxLength = 300): string {
  const cleaned = text
    .replace(/"[^"]*"|'[^']*'|`[^`]*`|“[^”]*”/g, '[value]')
    .replace(/[^\s@;,]+@[^\s@;,]+/g, '[value]')
    // Four or more digits, possibly separated (1990-05-15, +1 415 555 1234, 123-45-6789, P12345678).
    .replace(/[A-Za-z]*\+?\d(?:[\d\s().\/-]*\d){3,}[A-Za-z0-9]*/g, '[value]')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.length > maxLength ? `${cleaned.slice(0, maxLength)}…` : cleaned;
}
