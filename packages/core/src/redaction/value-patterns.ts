import { datePatterns, parseIsoDate } from './date-patterns.js';

/**
 * One submitted value → regular-expression sources for every way a provider
 * may write it back. Matching ignores case (the caller compiles with `iu`),
 * so only the other variations are spelled out here:
 *
 * | kind         | variants                                                                 |
 * |--------------|--------------------------------------------------------------------------|
 * | `identifier` | any separators (space . / - _) or none between its characters; digits only |
 * | `phone`      | any separators, with or without `+` and the country code (and a trunk `0`) |
 * | `email`      | as sent                                                                  |
 * | `date`       | ISO, numeric d/m/y and m/d/y, compact, month names, day words (see date-patterns) |
 * | `text`       | any punctuation (up to 3 characters) or none between words; accents optional |
 *
 * A value shorter than six letters and digits must stand alone (not inside a
 * longer word or number); a longer one is scrubbed wherever it appears.
 */
export type SubmittedValueKind = 'identifier' | 'phone' | 'email' | 'date' | 'text';

/** A value the application sent, with the kind that decides its variants. */
export interface SubmittedValue {
  readonly kind: SubmittedValueKind;
  readonly value: string;
}

export function valuePatterns(submitted: SubmittedValue): string[] {
  switch (submitted.kind) {
    case 'identifier':
      return identifierPatterns(submitted.value);
    case 'phone':
      return phonePatterns(submitted.value);
    case 'email':
      return emailPatterns(submitted.value);
    case 'date':
      return datePatternsOrIdentifier(submitted.value);
    case 'text':
      return textPatterns(submitted.value);
  }
}

/** Values with fewer letters and digits than this are too short to mean anything on their own. */
const MIN_ALNUM = 2;
/** From this many letters and digits on, a value is scrubbed even inside a longer word. */
const LONG_ALNUM = 6;
/** Digits-only variants need at least this many digits. */
const MIN_DIGITS = 4;

const ID_SEPARATOR = '[\\s./_\\-]*';
const PHONE_SEPARATOR = '[\\s().\\-/]*';
const WORD_JOINER = '[^\\p{L}\\p{N}]{0,3}';

function identifierPatterns(value: string): string[] {
  const characters = alnumCharacters(value);
  if (characters.length < MIN_ALNUM) return [];
  const patterns = [bounded(characters.map(escapeCharacter).join(ID_SEPARATOR), characters.length)];
  const digits = characters.filter((character) => /\d/.test(character));
  if (digits.length >= MIN_DIGITS && digits.length < characters.length) {
    patterns.push(digitsBounded(digits.join(ID_SEPARATOR)));
  }
  return patterns;
}

function phonePatterns(value: string): string[] {
  const digits = value.replace(/\D/g, '');
  if (digits.length < MIN_DIGITS) return [];
  const variants = new Set([digits]);
  // Without the country code (1 to 3 digits), as written nationally, with or without a trunk 0.
  for (let cut = 1; cut <= 3; cut++) {
    const national = digits.slice(cut);
    if (national.length >= 7) {
      variants.add(national);
      variants.add(`0${national}`);
    }
  }
  return [...variants].map((variant) => digitsBounded(`(?:\\+\\s*)?${variant.split('').join(PHONE_SEPARATOR)}`));
}

function emailPatterns(value: string): string[] {
  const trimmed = value.trim();
  if (trimmed.length < MIN_ALNUM) return [];
  return [escapeRegExp(trimmed)];
}

function datePatternsOrIdentifier(value: string): string[] {
  const parts = parseIsoDate(value);
  return parts === undefined ? identifierPatterns(value) : datePatterns(parts);
}

function textPatterns(value: string): string[] {
  const words = value.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
  const length = words.reduce((sum, word) => sum + word.length, 0);
  if (length < MIN_ALNUM) return [];
  const source = words.map((word) => [...word].map(characterAllowingBase).join('')).join(WORD_JOINER);
  return [bounded(source, length)];
}

function alnumCharacters(value: string): string[] {
  return value.normalize('NFKC').match(/[\p{L}\p{N}]/gu) ?? [];
}

/** `é` → `(?:é|e)`: providers often drop accents. */
function characterAllowingBase(character: string): string {
  const base = character.normalize('NFD').replace(/\p{M}+/gu, '');
  return base === character || base === '' ? escapeCharacter(character) : `(?:${escapeCharacter(character)}|${escapeRegExp(base)})`;
}

function bounded(source: string, alnumLength: number): string {
  if (alnumLength >= LONG_ALNUM) return `(?:${source})`;
  return `(?<![\\p{L}\\p{N}])(?:${source})(?![\\p{L}\\p{N}])`;
}

function digitsBounded(source: string): string {
  return `(?<!\\d)(?:${source})(?!\\d)`;
}

function escapeCharacter(character: string): string {
  return escapeRegExp(character);
}

function escapeRegExp(text: string): string {
  // Syntax characters only: the `u` flag refuses escapes of anything else (`\-` included).
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}
