import fc from 'fast-check';
import type { WebhookRequest } from '@openkyc/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseTechnestWebhook } from '../../src/technest-webhooks.js';

/*
 * The parse reads the envelope and `data` with plain type checks when they are exactly what its zod schemas
 * accept, and leaves everything else to the schemas. Whatever path a body takes, what is accepted must be what
 * the documented schemas (restated here as the oracle) accept, and the report must carry the values sent.
 */

const oracleEnvelope = z.object({
  id: z.string().min(1).nullish(),
  event: z.string().min(1),
  created_at: z.string().nullish(),
  data: z.unknown(),
});
const oracleCustomer = z.object({
  id: z.string().min(1),
  status: z.string().nullish(),
  verified_at: z.string().nullish(),
  rejected_at: z.string().nullish(),
  kyc_submitted_at: z.string().nullish(),
  rejection_reason: z.string().nullish(),
});
const KNOWN_EVENTS = new Set(['customer.status_changed', 'customer.verified', 'customer.rejected', 'customer_verified', 'customer_rejected']);

const now = new Date('2026-05-05T12:00:00Z');
const requestOf = (body: string): WebhookRequest => ({ headers: {}, rawBody: new TextEncoder().encode(body), now });

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const text = fc.oneof(fc.constantFrom('', 'evt_1', 'ckcust_1', 'verified', 'rejected', 'pending', '2026-05-05T12:00:00Z'), fc.string({ maxLength: 6 }));
const anyValue = fc.oneof(text, fc.integer(), fc.constant(null), fc.boolean(), fc.array(text, { maxLength: 2 }), fc.constant({}));
const field = fc.oneof({ weight: 4, arbitrary: maybe(text) }, { weight: 1, arbitrary: anyValue });
const customer = fc.record(
  {
    id: field,
    status: fc.oneof(fc.constantFrom('verified', 'rejected', 'pending', 'created'), field),
    verified_at: field,
    rejected_at: field,
    kyc_submitted_at: field,
    rejection_reason: field,
    extra: maybe(anyValue),
  },
  { requiredKeys: [] },
);
const envelope = fc.record(
  {
    id: field,
    event: fc.oneof(fc.constantFrom(...KNOWN_EVENTS), field),
    created_at: field,
    data: fc.oneof({ weight: 4, arbitrary: customer }, { weight: 1, arbitrary: anyValue }),
  },
  { requiredKeys: [] },
);
const json = fc.oneof({ weight: 6, arbitrary: envelope }, { weight: 1, arbitrary: anyValue });

describe('Technest webhook body: fast path and schemas agree', () => {
  it('accepts exactly what the schemas accept, and reports the values sent', () => {
    fc.assert(
      fc.property(json, (value) => {
        let result: ReturnType<typeof parseTechnestWebhook> | undefined;
        let refused: string | undefined;
        try {
          result = parseTechnestWebhook(requestOf(JSON.stringify(value)));
        } catch (error) {
          refused = (error as { reason?: string }).reason;
        }
        const env = oracleEnvelope.safeParse(value);
        const data = env.success ? oracleCustomer.safeParse(env.data.data) : undefined;
        if (!env.success) {
          expect(refused).toBe('malformed_body');
        } else if (!KNOWN_EVENTS.has(env.data.event)) {
          expect(result?.kind).toBe('ignored');
        } else if (!data!.success || refused !== undefined) {
          // Refused by the schemas, or a readable body without a status where the shape needs one.
          expect(refused).toBe('malformed_body');
        } else {
          if (typeof env.data.id === 'string') expect(result!.dedupeKey).toBe(env.data.id);
          if (result!.kind === 'report') expect(result!.report.providerCustomerId).toBe(data!.data!.id);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
