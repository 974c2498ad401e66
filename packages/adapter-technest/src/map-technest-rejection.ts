import { defaultProviderTextScrubber, type ProviderTextScrubber, type Rejection, type RejectionCode } from '@openkyc/core';

/**
 * Technest's rejection reasons are free text from the upstream rail
 * (`"ID document unreadable"`). They map here to core's rejection codes and a
 * message an end-user may see. The text goes to `providerReason` only
 * (operators), never into `message` — scrubbed first: events and logs carry
 * it, and the upstream rail quotes the data it checked.
 *
 * Matching is case-insensitive, first row wins; rows are ordered so the
 * gravest reading of a reason is taken ("forged document, expired" is fraud).
 * A reason no rule matches is `other`, retryable. No reason at all is `other`
 * too, but not retryable: nothing says the end-user can fix it. It happens
 * when a `customer.status_changed` webhook leaves `rejection_reason` out (the
 * contract does not promise it there); a guess of "retryable" would let a
 * blacklisted customer try again. The next read of the customer says why and
 * replaces this rejection.
 */
interface RejectionRule {
  readonly code: RejectionCode;
  readonly patterns: readonly RegExp[];
}

const RULES: readonly RejectionRule[] = [
  {
    code: 'fraud_suspected',
    patterns: [/fraud/i, /forg(?:ed|ery)/i, /falsif/i, /tamper/i, /counterfeit/i, /\bfake\b/i, /manipulat/i, /blacklist/i, /\bstolen\b/i, /impersonat/i],
  },
  {
    code: 'sanctions',
    patterns: [/sanction/i, /watch\s*-?list/i, /\bofac\b/i, /\bsdn\b/i, /embargo/i, /\baml\b.*\bhit\b/i],
  },
  {
    code: 'underage',
    patterns: [/under\s*-?\s*age/i, /\bunder\s*(?:the\s+age\s+of\s+)?18\b/i, /too young/i, /\bminor\b(?!\s+(?:issue|error|problem|discrepanc))/i, /below (?:the )?(?:minimum|legal) age/i, /age requirement/i],
  },
  {
    code: 'duplicate',
    patterns: [/duplicate/i, /already (?:exists|registered|onboarded|verified)/i, /existing (?:customer|account)/i],
  },
  {
    code: 'document_expired',
    patterns: [/expired/i, /expiry/i, /no longer valid/i, /out of date/i],
  },
  {
    code: 'document_unsupported',
    patterns: [
      /not (?:an? )?(?:accepted|supported|allowed)/i,
      /unsupported/i,
      /national (?:identity|id)/i,
      /\bid card\b/i,
      /(?:wrong|invalid|unacceptable) document(?: type)?/i,
      /document type/i,
    ],
  },
  {
    code: 'data_mismatch',
    patterns: [/mismatch/i, /does(?: not|n't) match/i, /do(?: not|n't) match/i, /inconsisten/i, /discrepanc/i, /differ/i, /not matching/i],
  },
  {
    code: 'document_unreadable',
    patterns: [
      /unreadable/i,
      /illegible/i,
      /not (?:clear|legible|readable)/i,
      /unclear/i,
      /blurr?(?:y|ed)?\b/i,
      /\bglare\b/i,
      /cropped|cut off/i,
      /(?:poor|low|bad) (?:image )?quality/i,
      /image quality/i,
      /too dark/i,
    ],
  },
];

interface RejectionText {
  readonly message: string;
  readonly retryable: boolean;
}

/** End-user-safe wording per code, and whether a new attempt (a new Technest record) can succeed. */
const TEXT: Readonly<Record<RejectionCode, RejectionText>> = {
  document_unreadable: {
    message: "We couldn't read your ID document. Please try again with a clear, well-lit photo that shows the whole document.",
    retryable: true,
  },
  document_expired: {
    message: 'Your ID document has expired. Please try again with a document that is still valid.',
    retryable: true,
  },
  document_unsupported: {
    message: "This type of document isn't accepted. Please try again with a passport, driver's license or residence permit.",
    retryable: true,
  },
  data_mismatch: {
    message: "The details you entered don't match your ID document. Please check your name and date of birth and try again.",
    retryable: true,
  },
  underage: {
    message: 'We can only verify customers who are 18 or older.',
    retryable: false,
  },
  fraud_suspected: {
    message: "We couldn't verify your identity. Please contact support.",
    retryable: false,
  },
  sanctions: {
    message: "We couldn't verify your identity. Please contact support.",
    retryable: false,
  },
  duplicate: {
    message: 'An account already exists for these details. Please contact support.',
    retryable: false,
  },
  other: {
    message: "We couldn't verify your identity. Please check your details and documents and try again.",
    retryable: true,
  },
};

/** Classifies a free-text reason (case-insensitive); `other` when nothing matches. */
export function rejectionCodeFor(reason: string | null | undefined): RejectionCode {
  if (reason === null || reason === undefined || reason.trim() === '') return 'other';
  return RULES.find((rule) => rule.patterns.some((pattern) => pattern.test(reason)))?.code ?? 'other';
}

/** The normalized rejection for a Technest `rejection_reason`; `scrubber` knows what was submitted, if anything. */
export function mapTechnestRejection(
  reason: string | null | undefined,
  scrubber: ProviderTextScrubber = defaultProviderTextScrubber,
): Rejection {
  const raw = reason?.trim();
  if (raw === undefined || raw === '') return { ...UNEXPLAINED };
  // The code is read from the raw text; only the scrubbed text is kept (it reaches events and logs).
  const code = rejectionCodeFor(raw);
  const text = TEXT[code];
  const scrubbed = scrubber.scrub(raw);
  return { code, message: text.message, retryable: text.retryable, ...(scrubbed === '' ? {} : { providerReason: scrubbed }) };
}

/** A rejection Technest gave no reason for (yet). */
const UNEXPLAINED: Rejection = {
  code: 'other',
  message: "We couldn't verify your identity. Please contact support.",
  retryable: false,
};
