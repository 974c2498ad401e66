import { defaultProviderTextScrubber, type ProviderTextScrubber } from './provider-text-scrubber.js';

/**
 * A provider's documented error codes. A code enters an error message, an
 * error's `providerCode`, a log line or an event only when it belongs here —
 * and carries no submitted value; anything else (a code field echoing a
 * document number, a new code nobody reviewed) becomes
 * {@link UNRECOGNIZED_PROVIDER_CODE} in messages and `undefined` on the error.
 * Each adapter declares its provider's vocabulary from its contract.
 *
 * ```ts
 * const TECHNEST_CODES = providerCodeVocabulary(['validation_failed', 'token_expired', …]);
 * const FINERACT_CODES = providerCodeVocabulary([/^validation\.msg\.client\.[a-z][A-Za-z0-9]*\.[a-z.]+$/, …]);
 * ```
 */
export interface ProviderCodeVocabulary {
  /** True when `code` is documented (an exact entry, or a whole-string match of a pattern entry). */
  includes(code: string): boolean;
}

/** What messages say instead of a provider code outside the vocabulary. */
export const UNRECOGNIZED_PROVIDER_CODE = '[unrecognized code]';

/** Longest code accepted, whatever the vocabulary says. */
const MAX_CODE_LENGTH = 128;

/**
 * A vocabulary from exact codes and patterns. Patterns must match the whole
 * code (they are anchored here, whatever their source says); `g`/`y` flags are dropped.
 */
export function providerCodeVocabulary(entries: readonly (string | RegExp)[]): ProviderCodeVocabulary {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') exact.add(entry);
    else patterns.push(new RegExp(`^(?:${entry.source})$`, entry.flags.replace(/[gy]/g, '')));
  }
  return {
    includes(code) {
      if (typeof code !== 'string' || code.length === 0 || code.length > MAX_CODE_LENGTH) return false;
      return exact.has(code) || patterns.some((pattern) => pattern.test(code));
    },
  };
}

/**
 * `code` when it is in `vocabulary` and free of submitted values; otherwise
 * `undefined`. Without a vocabulary, only code-shaped text (letters, digits,
 * `_ . -`, starting with a letter) passes, and still only when clean.
 */
export function documentedProviderCode(
  code: unknown,
  vocabulary: ProviderCodeVocabulary | undefined,
  scrubber: ProviderTextScrubber = defaultProviderTextScrubber,
): string | undefined {
  if (typeof code !== 'string') return undefined;
  const trimmed = code.trim();
  const listed = vocabulary === undefined ? CODE_SHAPE.test(trimmed) : vocabulary.includes(trimmed);
  return listed && scrubber.isClean(trimmed) ? trimmed : undefined;
}

/**
 * How a provider code appears in a message: the code when documented, the
 * neutral placeholder when the provider sent one outside the vocabulary,
 * `undefined` when it sent none.
 */
export function describeProviderCode(
  code: unknown,
  vocabulary: ProviderCodeVocabulary | undefined,
  scrubber?: ProviderTextScrubber,
): string | undefined {
  if (code === undefined || code === null || code === '') return undefined;
  return documentedProviderCode(code, vocabulary, scrubber) ?? UNRECOGNIZED_PROVIDER_CODE;
}

const CODE_SHAPE = /^[A-Za-z][A-Za-z0-9_.-]{0,127}$/;
