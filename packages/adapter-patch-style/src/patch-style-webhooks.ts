import { createHash } from 'node:crypto';
import {
  defaultProviderTextScrubber,
  parseWebhookJson,
  verifyStandardWebhook,
  WebhookVerificationError,
  type ProviderWebhooks,
  type WebhookParseResult,
  type WebhookRequest,
  lazySchema,
} from '@openkyc/core';
import type { z } from 'zod';
import { toReport } from './customer-report.js';
import { mapPatchStyleStatus } from './map-patch-style-status.js';
import { toIsoInstant } from './patch-style-api.js';

/**
 * Webhooks: Standard Webhooks signatures (several secrets during rotation, a
 * timestamp tolerance), then `customer.state_changed` → a report. The dedupe key
 * is the event `id` (the same on every redelivery), else the `webhook-id`
 * header. Other event types are acknowledged and ignored; a body that is not
 * the documented envelope is `malformed_body`.
 */
export function createPatchStyleWebhooks(config: {
  readonly secrets: readonly string[];
  readonly toleranceSeconds: number;
}): ProviderWebhooks {
  return {
    verify(request) {
      verifyStandardWebhook({
        headers: request.headers,
        rawBody: request.rawBody,
        secrets: config.secrets,
        toleranceSeconds: config.toleranceSeconds,
        now: request.now,
      });
    },
    parse: parsePatchStyleWebhook,
  };
}

export const STATE_CHANGED = 'customer.state_changed';

const eventSchema = lazySchema((z) =>
  z.looseObject({
    id: z.string().min(1).optional().catch(undefined),
    type: z.string().min(1),
    createdAt: z.union([z.string(), z.number()]).optional().catch(undefined),
    payload: z.unknown(),
  }),
);

const codeList = lazySchema((z) =>
  z
    .array(z.unknown())
    .transform((items) => items.filter((item): item is string => typeof item === 'string' && item.trim() !== ''))
    .nullish()
    .catch(undefined),
);

const stateChangedPayloadSchema = lazySchema((z) =>
  z.looseObject({
    customerId: z.string().min(1),
    oldStatus: z.string().nullish().catch(undefined),
    newStatus: z.string().min(1),
    requiredDocuments: codeList(),
    requiredFields: codeList(),
    reason: z.string().nullish().catch(undefined),
  }),
);

export function parsePatchStyleWebhook(request: WebhookRequest): WebhookParseResult {
  const event = eventSchema().safeParse(parseWebhookJson(request.rawBody, 'patch-style'));
  if (!event.success) throw malformed('it is not a JSON event with a type');
  const dedupeKey = event.data.id ?? request.headers['webhook-id']?.trim() ?? contentKey(request.rawBody);

  if (event.data.type !== STATE_CHANGED) {
    return { kind: 'ignored', dedupeKey, reason: `event type ${safeLabel(event.data.type)} does not concern the lifecycle` };
  }
  const payload = stateChangedPayloadSchema().safeParse(event.data.payload);
  if (!payload.success) throw malformed(`its ${STATE_CHANGED} payload has no customerId or newStatus`);
  const { customerId, newStatus, requiredDocuments, requiredFields, reason } = payload.data;

  if (!mapPatchStyleStatus(newStatus).known) {
    // Unlike a poll, a webhook can simply be skipped: the next GET or event carries a status we know.
    return { kind: 'ignored', dedupeKey, reason: `unknown status ${safeLabel(newStatus)}` };
  }
  const occurredAt = event.data.createdAt === undefined ? undefined : toIsoInstant(event.data.createdAt);
  return {
    kind: 'report',
    dedupeKey,
    report: toReport({
      customerId,
      status: newStatus,
      requiredDocuments,
      requiredFields,
      rejectionReason: reason,
      ...(occurredAt === undefined ? {} : { occurredAt }),
    }),
  };
}

/** Event types and statuses go into reasons (logged, stored) only when they look like names and carry no personal value. */
function safeLabel(value: string): string {
  return /^[A-Za-z0-9_.:-]{1,64}$/.test(value) && defaultProviderTextScrubber.isClean(value) ? value : '(unreadable)';
}

function malformed(why: string): WebhookVerificationError {
  return new WebhookVerificationError('malformed_body', `The patch-style webhook body could not be used: ${why}. Answer 400.`);
}

function contentKey(rawBody: Uint8Array): string {
  return `sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
}
