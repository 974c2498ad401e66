import type { z } from 'zod';
import { lazySchema } from '../values/lazy-schema.js';

/** Something the end-user must provide before review can continue (status `needs_info`). */
export const requirementSchema = lazySchema((z) =>
  z.object({
  /**
   * `document`: a document to upload; `field`: application data to add or fix; `contact_verification`:
   * confirm the e-mail address or phone number.
   */
  kind: z.enum(['document', 'field', 'contact_verification']),
  /** Provider-neutral name: a document type (`proof_of_address`), a field path (`address`), or `email` / `phone`. */
  name: z.string(),
  /** Safe to show to the end-user as is. */
  message: z.string(),
  /** The provider's own code, for operators. */
  providerCode: z.string().optional(),
  }),
);
/** Something the end-user must provide while the customer is `needs_info`. */
export type Requirement = z.infer<ReturnType<typeof requirementSchema>>;

/** The normalized rejection codes every adapter maps its provider's reasons to. */
export const REJECTION_CODES = [
  'document_unreadable',
  'document_expired',
  'document_unsupported',
  'data_mismatch',
  'underage',
  'fraud_suspected',
  'sanctions',
  'duplicate',
  'other',
] as const;

/** Why a provider rejected the customer. Only `message` is for end-users. */
export const rejectionSchema = lazySchema((z) =>
  z.object({
  /** Normalized reason; see {@link REJECTION_CODES}. */
  code: z.enum(REJECTION_CODES),
  /** Safe to show to the end-user as is. */
  message: z.string(),
  /** The provider's raw reason, for operators only: never show it to end-users. */
  providerReason: z.string().optional(),
  /** Whether a new submission can succeed. */
  retryable: z.boolean(),
  }),
);
/**
 * Why a provider rejected the customer. Show `message` to end-users; `providerReason` is for operators only.
 */
export type Rejection = z.infer<ReturnType<typeof rejectionSchema>>;
/** One of {@link REJECTION_CODES}. */
export type RejectionCode = Rejection['code'];
