import { z } from 'zod';

/** Something the end-user must provide before review can continue (status `needs_info`). */
export const requirementSchema = z.object({
  kind: z.enum(['document', 'field', 'contact_verification']),
  /** Provider-neutral name: a document type (`proof_of_address`), a field path (`address`), or `email` / `phone`. */
  name: z.string(),
  /** Safe to show to the end-user as is. */
  message: z.string(),
  /** The provider's own code, for operators. */
  providerCode: z.string().optional(),
});
export type Requirement = z.infer<typeof requirementSchema>;

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
export const rejectionSchema = z.object({
  code: z.enum(REJECTION_CODES),
  /** Safe to show to the end-user as is. */
  message: z.string(),
  /** The provider's raw reason, for operators only: never show it to end-users. */
  providerReason: z.string().optional(),
  /** Whether a new submission can succeed. */
  retryable: z.boolean(),
});
export type Rejection = z.infer<typeof rejectionSchema>;
export type RejectionCode = Rejection['code'];
