import fc from 'fast-check';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { normalizeTimestamp, technestCustomerSchema } from '../../src/technest-api.js';

/**
 * The customer schema reads its lenient fields in one transform over the object (reconcile parses one customer
 * per poll); the plain model is the same schema written field by field, one transform per field.
 */
describe('technestCustomerSchema', () => {
  it('accepts, refuses and reads any body as the field-by-field schema does', () => {
    const text = fc.oneof(fc.constantFrom('', 'individual', 'ref-1', ' x '), fc.string({ maxLength: 6 }));
    const time = fc.oneof(
      fc.constantFrom('2026-05-05T12:34:56Z', '2026-05-05T14:34:56+02:00', '2026-05-06T00:00:00.123456', '2026-02-30T00:00:00Z', 'soon', ''),
      fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
    );
    const odd = fc.oneof(fc.constant(null), fc.integer(), fc.boolean(), fc.constant([]), fc.constant({ a: 1 }));
    const field = (value: fc.Arbitrary<unknown>) => fc.oneof(value, odd);
    const files = fc.oneof(
      fc.constant(null),
      odd,
      fc.record(
        { id_file: field(text), id_file_back: field(text), proof_of_address_file: field(text), liveness_check_file: field(text), other: text },
        { requiredKeys: [] },
      ),
    );
    const body = fc.record(
      {
        id: fc.oneof(fc.constantFrom('ckcust_1', ''), fc.integer()),
        status: fc.oneof(fc.constantFrom('pending', 'in_review'), fc.integer()),
        type: field(text),
        customer_reference: field(text),
        email: field(text),
        created_at: field(time),
        kyc_submitted_at: field(time),
        verified_at: field(time),
        rejected_at: field(time),
        rejection_reason: field(text),
        files,
        first_name: text,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(body, odd), (input) => {
        const actual = technestCustomerSchema().safeParse(input);
        const expected = fieldByField.safeParse(input);
        expect(actual.success).toBe(expected.success);
        if (actual.success && expected.success) expect(actual.data).toEqual(expected.data);
        if (!actual.success && !expected.success) expect(actual.error.issues.map((issue) => issue.path)).toEqual(expected.error.issues.map((issue) => issue.path));
      }),
      { numRuns: 1000 },
    );
  });
});

const optionalString = z
  .unknown()
  .optional()
  .transform((value): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined));
const timestamp = z
  .unknown()
  .optional()
  .transform((value): string | undefined => (typeof value === 'string' ? normalizeTimestamp(value) : undefined));
const fieldByField = z.object({
  id: z.string().min(1),
  status: z.string(),
  type: optionalString,
  customer_reference: optionalString,
  email: optionalString,
  created_at: timestamp,
  kyc_submitted_at: timestamp,
  verified_at: timestamp,
  rejected_at: timestamp,
  rejection_reason: optionalString,
  files: z
    .object({ id_file: optionalString, id_file_back: optionalString, proof_of_address_file: optionalString, liveness_check_file: optionalString })
    .nullish()
    .transform((files) => files ?? {}),
});
