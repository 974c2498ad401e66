import { REDACTED } from '../logging/redact.js';
import { collectSubmittedValues, type SubmittedValues } from './submitted-values.js';
import { scrubByHeuristics } from './text-heuristics.js';
import { valuePatterns, type SubmittedValue } from './value-patterns.js';

/**
 * Provider text (error messages, refusal details, rejection reasons, unknown
 * codes) is untrusted: providers echo what they were sent, reformatted at will.
 * A scrubber replaces every submitted value — in every form it may come back
 * in — with `[redacted]` before the text reaches an error, a log line or an
 * event. Adapters build one per operation from what they send, and hand it to
 * the HTTP toolkit (`scrubber` on the client or the request) and to their own
 * error mapping; nothing else in an adapter sanitizes text.
 *
 * ```ts
 * const scrubber = providerTextScrubber({ application });
 * scrubber.scrub('date_of_birth 15 May 1990 does not match P-1234-5678'); // 'date_of_birth [redacted] does not match [redacted]'
 * ```
 */
export interface ProviderTextScrubber {
  /**
   * `text` with every submitted value and everything that looks like a
   * personal value replaced by `[redacted]`, whitespace collapsed, at most
   * {@link MAX_SCRUBBED_LENGTH} characters.
   */
  scrub(text: string): string;
  /** True when `scrub` would leave `text` as it is (apart from whitespace): it carries nothing to hide. */
  isClean(text: string): boolean;
}

/** What replaces a scrubbed value in provider text. */
export const SCRUBBED_VALUE_MARKER = REDACTED;

/** Longest text a scrubber returns; provider text beyond it is cut (after scrubbing, so no value is left half). */
export const MAX_SCRUBBED_LENGTH = 1000;

/** Provider text is looked at this far; the rest is dropped before scrubbing so a huge body cannot stall it. */
const MAX_INPUT_LENGTH = 16 * 1024;

/**
 * A scrubber for the values in `submitted` (an application, customer details,
 * extra values), plus value-independent heuristics (quoted text, e-mail
 * addresses, digit runs, mixed letter-and-digit words, dates in words) that
 * also apply when nothing was submitted: `providerTextScrubber()` is the one
 * for refreshes and webhooks.
 */
export function providerTextScrubber(submitted: SubmittedValues = {}): ProviderTextScrubber {
  // The values are taken now (later changes to `submitted` do not count); their patterns and the regex are
  // built on the first text to scrub. An adapter makes a scrubber per operation, and most operations get
  // no provider text at all: compiling it up front was a visible part of every submit.
  const submittedValues = collectSubmittedValues(submitted);
  let values: RegExp | undefined | null = null;
  const valuesPattern = (): RegExp | undefined => {
    if (values === null) values = submittedValuesPattern(submittedValues);
    return values;
  };

  const scrubRaw = (text: string): string => {
    const input = text.normalize('NFC');
    const pattern = valuesPattern();
    const withoutValues = pattern === undefined ? input : input.replace(pattern, SCRUBBED_VALUE_MARKER);
    return scrubByHeuristics(withoutValues, SCRUBBED_VALUE_MARKER);
  };

  return {
    scrub(text) {
      if (typeof text !== 'string' || text === '') return '';
      const cut = text.length > MAX_INPUT_LENGTH ? text.slice(0, MAX_INPUT_LENGTH) : text;
      const flat = scrubRaw(cut).replace(/\s+/g, ' ').trim();
      return flat.length > MAX_SCRUBBED_LENGTH ? `${flat.slice(0, MAX_SCRUBBED_LENGTH)}…` : flat;
    },
    isClean(text) {
      if (typeof text !== 'string') return false;
      if (text.length > MAX_INPUT_LENGTH) return false;
      return scrubRaw(text) === text.normalize('NFC');
    },
  };
}

/** The scrubber for text that comes with no submitted values: heuristics only. */
export const defaultProviderTextScrubber: ProviderTextScrubber = providerTextScrubber();

/** One regex for every form of every submitted value; undefined when there are none. */
function submittedValuesPattern(submittedValues: readonly SubmittedValue[]): RegExp | undefined {
  const sources = [...new Set(submittedValues.flatMap(valuePatterns))];
  // Longest first: where two values overlap, the longer one is replaced whole.
  sources.sort((a, b) => b.length - a.length);
  return sources.length === 0 ? undefined : new RegExp(sources.join('|'), 'giu');
}
