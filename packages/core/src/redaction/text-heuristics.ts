import { anyDayAndMonthPatterns } from './date-patterns.js';

/**
 * What may be a personal value in provider text even when the submitted values
 * are not known (a refresh, a webhook) or were changed beyond recognition:
 *
 * - quoted text (`"…"`, `'…'`, `` `…` ``, `“…”`, `‘…’`): providers quote the value they refuse;
 * - e-mail addresses;
 * - runs of four or more digits, separators allowed: dates, phones, ids (`ISO 3166-1` stays);
 * - words of six or more letters and digits with at least two digits (`PZ8K4Q7M3`);
 * - a day and a month written together (`15 May`, `May fifteenth`), or a month and a year.
 *
 * Field names and the provider's wording stay: `phoneNumber must be in E.164 format`.
 */
export function scrubByHeuristics(text: string, marker: string): string {
  const { quoted, email, digitRun, word, dayAndMonth } = patterns();
  // Dates in words before digit runs, so `15 May 1990` goes as one.
  return text
    .replace(quoted, marker)
    .replace(email, marker)
    .replace(dayAndMonth, marker)
    .replace(digitRun, marker)
    .replace(word, (match) => (looksLikeIdentifier(match) ? marker : match));
}

function looksLikeIdentifier(word: string): boolean {
  if (word.length < 6) return false;
  const digits = word.replace(/\D/g, '').length;
  return digits >= 2 && digits < word.length;
}

interface HeuristicPatterns {
  readonly quoted: RegExp;
  readonly email: RegExp;
  readonly digitRun: RegExp;
  readonly word: RegExp;
  readonly dayAndMonth: RegExp;
}

let compiled: HeuristicPatterns | undefined;

/** Compiled on first use (the day-and-month alternation is large). */
function patterns(): HeuristicPatterns {
  compiled ??= {
    quoted: /"[^"\n]{0,200}"|`[^`\n]{0,200}`|“[^”\n]{0,200}”|‘[^’\n]{0,200}’|(?<![\p{L}\p{N}])'[^'\n]{1,200}'(?![\p{L}\p{N}])/gu,
    email: /[^\s@;,<>"'()[\]]+@[^\s@;,<>"'()[\]]+/gu,
    digitRun: /(?<![\p{L}\p{N}])(?<!\bISO[\s-]?)\p{L}*\+?\d(?:[\d\s().\/-]*\d){3,}[\p{L}\p{N}]*/gu,
    word: /[\p{L}\p{N}]+/gu,
    dayAndMonth: new RegExp(anyDayAndMonthPatterns().join('|'), 'giu'),
  };
  return compiled;
}
