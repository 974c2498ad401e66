import { defaultProviderTextScrubber, type ProviderTextScrubber, type Rejection, type RejectionCode } from '@openkyc/core';

/**
 * A back-office rejection reason (a code value NAME, configured per tenant:
 * free text) → a normalized rejection. The name goes to `providerReason` for
 * operators only, scrubbed (it reaches events and logs); the end-user sees a fixed message per
 * code. Every rejection can be retried with `undoRejection`, but reasons that
 * a new submission cannot fix (fraud, sanctions, duplicates, age) are marked
 * not retryable.
 */

const RULES: readonly (readonly [RegExp, RejectionCode])[] = [
  [/fraud|forg|tamper|fake/, 'fraud_suspected'],
  [/sanction|\bpep\b|watch ?list|\bofac\b/, 'sanctions'],
  [/duplicate|already (exists|registered)/, 'duplicate'],
  [/under ?age|minor|too young/, 'underage'],
  [/expired/, 'document_expired'],
  [/unreadable|illegible|blurr|quality|not readable/, 'document_unreadable'],
  [/unsupported|not accepted/, 'document_unsupported'],
  [/mismatch|do(es)? not match|inconsistent/, 'data_mismatch'],
];

const OUTCOMES: Readonly<Record<RejectionCode, { readonly message: string; readonly retryable: boolean }>> = {
  document_unreadable: { message: 'We could not read your identity document. Please send a clear, complete photo of it.', retryable: true },
  document_expired: { message: 'Your identity document has expired. Please send a document that is still valid.', retryable: true },
  document_unsupported: { message: 'We cannot accept this type of document. Please send a different identity document.', retryable: true },
  data_mismatch: { message: 'Some of your details do not match your documents. Please check them and submit again.', retryable: true },
  underage: { message: 'We are unable to open an account for you.', retryable: false },
  fraud_suspected: { message: 'We could not verify your identity. Please contact support.', retryable: false },
  sanctions: { message: 'We are unable to open an account for you. Please contact support.', retryable: false },
  duplicate: { message: 'An account already exists for these details. Please contact support.', retryable: false },
  other: { message: 'We could not verify your identity. Please check your details and submit again.', retryable: true },
};

export function mapRejection(reasonName: string | undefined, scrubber: ProviderTextScrubber = defaultProviderTextScrubber): Rejection {
  const name = reasonName?.trim();
  const lower = name?.toLowerCase() ?? '';
  const code = RULES.find(([pattern]) => pattern.test(lower))?.[1] ?? 'other';
  const outcome = OUTCOMES[code];
  return {
    code,
    message: outcome.message,
    ...(name === undefined || name === '' ? {} : { providerReason: scrubber.scrub(name) }),
    retryable: outcome.retryable,
  };
}
