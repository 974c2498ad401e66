import { z } from 'zod';

/**
 * `{"error":"<CODE>","message":"…","statusCode":<n>}` (+ `customerStatus` with
 * `PATCH_NOT_ALLOWED`). Every field optional and unknown fields kept, so a
 * drifting envelope still yields what it has.
 */
export const errorEnvelopeSchema = z.looseObject({
  error: z.string().min(1).optional().catch(undefined),
  message: z.string().optional().catch(undefined),
  statusCode: z.number().optional().catch(undefined),
  customerStatus: z.string().optional().catch(undefined),
});
export type PatchStyleErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

/** The envelope of an error body, or `undefined` when the body is not one. */
export function parseErrorEnvelope(json: unknown): PatchStyleErrorEnvelope | undefined {
  const result = errorEnvelopeSchema.safeParse(json);
  return result.success ? result.data : undefined;
}
