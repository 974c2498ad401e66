import { providerCodeVocabulary, lazySchema } from '@openkyc/core';
import type { z } from 'zod';

/**
 * The contract's error codes. Only these reach an error's `providerCode`, a
 * message or a log line; anything else in `error` (a new code, or one that
 * echoes a submitted value) is shown as `[unrecognized code]`.
 */
export const PATCH_STYLE_CODES = providerCodeVocabulary([
  'BAD_REQUEST',
  'PATCH_NOT_ALLOWED',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'RATE_LIMITED',
  'INTERNAL_ERROR',
]);

/**
 * `{"error":"<CODE>","message":"…","statusCode":<n>}` (+ `customerStatus` with
 * `PATCH_NOT_ALLOWED`). Every field optional and unknown fields kept, so a
 * drifting envelope still yields what it has.
 */
export const errorEnvelopeSchema = lazySchema((z) =>
  z.looseObject({
    error: z.string().min(1).optional().catch(undefined),
    message: z.string().optional().catch(undefined),
    statusCode: z.number().optional().catch(undefined),
    customerStatus: z.string().optional().catch(undefined),
  }),
);
export type PatchStyleErrorEnvelope = z.infer<ReturnType<typeof errorEnvelopeSchema>>;

/** The envelope of an error body, or `undefined` when the body is not one. */
export function parseErrorEnvelope(json: unknown): PatchStyleErrorEnvelope | undefined {
  const result = errorEnvelopeSchema().safeParse(json);
  return result.success ? result.data : undefined;
}
