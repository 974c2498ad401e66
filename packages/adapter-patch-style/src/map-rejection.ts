import { defaultProviderTextScrubber, type ProviderTextScrubber, type Rejection, type RejectionCode } from '@openkyc/core';

/**
 * `rejectionReason` (GET) or the webhook's `reason` → a normalized rejection.
 * `message` is for the end-user (it never says "fraud"); `providerReason` keeps
 * the provider's code or text for operators only, scrubbed (it reaches events
 * and logs). Fraud and age rejections cannot be fixed by resubmitting, so they
 * are not retryable; the other codes, and codes this adapter does not know yet,
 * can be.
 *
 * No reason at all is not retryable: the webhook's `reason` is optional, and a
 * `REJECTED` webhook without it may be a fraud rejection — guessing
 * "retryable" would let it be resubmitted. The next GET says why and replaces
 * this rejection.
 */
export function mapRejection(reason: string | null | undefined, scrubber: ProviderTextScrubber = defaultProviderTextScrubber): Rejection {
  const raw = reason?.trim() ?? '';
  if (raw === '') return { ...UNEXPLAINED };
  const known = REASONS[raw.toUpperCase()];
  return { ...(known ?? UNKNOWN), providerReason: known !== undefined ? raw : scrubber.scrub(raw) };
}

interface MappedReason {
  readonly code: RejectionCode;
  readonly message: string;
  readonly retryable: boolean;
}

const REASONS: Readonly<Record<string, MappedReason>> = {
  DOCUMENT_EXPIRED: {
    code: 'document_expired',
    message: 'Your identity document has expired. Submit a document that is still valid.',
    retryable: true,
  },
  DATA_MISMATCH: {
    code: 'data_mismatch',
    message: "The details you entered don't match your documents. Check your name, date of birth and address, then submit again.",
    retryable: true,
  },
  FRAUD_SUSPECTED: {
    code: 'fraud_suspected',
    message: "We couldn't verify your identity. Contact support if you think this is a mistake.",
    retryable: false,
  },
  UNDERAGE: {
    code: 'underage',
    message: 'You must be at least 18 years old to open an account.',
    retryable: false,
  },
};

const UNKNOWN: MappedReason = {
  code: 'other',
  message: "We couldn't verify your identity with the information provided. Check your details and documents, then submit again.",
  retryable: true,
};

/** A rejection patch-style gave no reason for (yet). */
const UNEXPLAINED: MappedReason = {
  code: 'other',
  message: "We couldn't verify your identity. Contact support if you think this is a mistake.",
  retryable: false,
};
