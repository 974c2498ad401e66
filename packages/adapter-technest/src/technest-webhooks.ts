import { createHash } from 'node:crypto';
import {
  assertWebhookSecrets,
  assertWebhookTolerance,
  defaultProviderTextScrubber,
  parseWebhookJson,
  verifyTimestampedHmac,
  WebhookVerificationError,
  type CustomerStatus,
  type ProviderReport,
  type ProviderWebhooks,
  type WebhookParseResult,
  type WebhookPeek,
  type WebhookRequest,
  lazySchema,
} from '@openkyc/core';
import { match } from 'ts-pattern';
import type { z } from 'zod';
import { normalizeTimestamp } from './technest-api.js';
import { mapTechnestRejection } from './map-technest-rejection.js';
import { parseTechnestStatus, type TechnestStatus } from './map-technest-status.js';

/**
 * Technest webhooks: `Technest-Signature: t=<unix>,v1=<hex>[,v1=…]` over
 * `"<t>.<raw body>"` (HMAC-SHA256), checked with core's `verifyTimestampedHmac`
 * against every configured secret (rotation) within the tolerance.
 *
 * Three body shapes exist (Technest's docs changed over time); all are read:
 *
 * | shape   | event                                      | id, created_at |
 * |---------|--------------------------------------------|----------------|
 * | current | `customer.status_changed` (status in data)  | yes            |
 * | dotted  | `customer.verified` / `customer.rejected`   | yes            |
 * | legacy  | `customer_verified` / `customer_rejected`   | no             |
 *
 * Dedupe key: the event id; for an event without one (legacy),
 * `legacy:<customer id>:<status>:<verified_at | rejected_at as sent>`.
 * `occurredAt`: the status's own timestamp (`verified_at`, `rejected_at`,
 * `kyc_submitted_at`), else the event's `created_at`.
 * Unknown event types, and status values Technest may add, are `ignored`
 * (a later GET, which maps unknown statuses conservatively, catches up).
 */
export const TECHNEST_SIGNATURE_HEADER = 'technest-signature';

export interface TechnestWebhookOptions {
  readonly secrets: readonly string[];
  readonly toleranceSeconds: number;
}

export function createTechnestWebhooks(options: TechnestWebhookOptions): ProviderWebhooks {
  // Fail at construction, not at the first delivery.
  assertWebhookSecrets(options.secrets, ['webhookSecret']);
  assertWebhookTolerance(options.toleranceSeconds, ['webhookToleranceSeconds']);
  const secrets = [...options.secrets];

  return {
    verify(request: WebhookRequest): void {
      verifyTimestampedHmac({
        header: request.headers[TECHNEST_SIGNATURE_HEADER],
        rawBody: request.rawBody,
        secrets,
        toleranceSeconds: options.toleranceSeconds,
        now: request.now,
      });
    },
    parse: parseTechnestWebhook,
    peekDedupeKey: peekTechnestDedupeKey,
    peekDelivery: peekTechnestDelivery,
  };
}

/**
 * The event id, read from the JSON alone (no schema): it is the dedupe key whenever the event has one, so
 * core can answer a redelivery before the full parse. The parsed JSON is kept for `parse` of the same
 * request (one `JSON.parse` per delivery either way). `undefined` (never a throw) when there is no id or the
 * body is unreadable: `parse` then decides, and explains.
 */
export function peekTechnestDedupeKey(request: WebhookRequest): string | undefined {
  let json: unknown;
  try {
    json = parseWebhookJson(request.rawBody, 'Technest');
  } catch {
    return undefined;
  }
  lastPeek.request = request;
  lastPeek.rawBody = request.rawBody;
  lastPeek.json = json;
  if (typeof json !== 'object' || json === null) return undefined;
  const { id, event } = json as { id?: unknown; event?: unknown };
  // Only what the envelope schema would accept as the key: a non-empty string id of an event with a name.
  return typeof id === 'string' && id.length > 0 && typeof event === 'string' && event.length > 0 ? id : undefined;
}

/**
 * The event id and `data.id` (the Technest customer id in every shape that has an event id), read like
 * `peekTechnestDedupeKey`; the customer id only when it is a non-empty string. Core checks both against the parse.
 */
export function peekTechnestDelivery(request: WebhookRequest): WebhookPeek | undefined {
  const dedupeKey = peekTechnestDedupeKey(request);
  if (dedupeKey === undefined) return undefined;
  const data = (lastPeek.json as { data?: unknown }).data;
  const providerCustomerId = typeof data === 'object' && data !== null ? (data as { id?: unknown }).id : undefined;
  return typeof providerCustomerId === 'string' && providerCustomerId.length > 0 ? { dedupeKey, providerCustomerId } : { dedupeKey };
}

/**
 * The JSON the last peek read, for the `parse` of that same request (same object, same body bytes). One slot,
 * not a map: the parse follows its peek after one dedupe lookup; when another delivery peeked in between,
 * the body is simply parsed again. A WeakMap entry per delivery cost more than the JSON.parse it saved.
 */
const lastPeek: { request: WebhookRequest | undefined; rawBody: Uint8Array | undefined; json: unknown } = {
  request: undefined,
  rawBody: undefined,
  json: undefined,
};

function requestJson(request: WebhookRequest): unknown {
  if (lastPeek.request === request && lastPeek.rawBody === request.rawBody) {
    const json = lastPeek.json;
    lastPeek.request = undefined;
    lastPeek.rawBody = undefined;
    lastPeek.json = undefined;
    return json;
  }
  return parseWebhookJson(request.rawBody, 'Technest');
}

// ---------------------------------------------------------------------------
// Parsing

const envelopeSchema = lazySchema((z) =>
  z.object({
    id: z.string().min(1).nullish(),
    event: z.string().min(1),
    created_at: z.string().nullish(),
    data: z.unknown(),
  }),
);

/** The customer part every shape carries in `data`; extra fields (dotted: the whole customer) are dropped. */
const eventCustomerSchema = lazySchema((z) =>
  z.object({
    id: z.string().min(1),
    status: z.string().nullish(),
    verified_at: z.string().nullish(),
    rejected_at: z.string().nullish(),
    kyc_submitted_at: z.string().nullish(),
    rejection_reason: z.string().nullish(),
  }),
);
type EventCustomer = z.output<ReturnType<typeof eventCustomerSchema>>;

type EventKind =
  | { readonly shape: 'current' }
  | { readonly shape: 'dotted' | 'legacy'; readonly status: 'verified' | 'rejected' }
  | { readonly shape: 'unknown' };

function eventKind(event: string): EventKind {
  return match(event)
    .returnType<EventKind>()
    .with('customer.status_changed', () => ({ shape: 'current' }))
    .with('customer.verified', () => ({ shape: 'dotted', status: 'verified' }))
    .with('customer.rejected', () => ({ shape: 'dotted', status: 'rejected' }))
    .with('customer_verified', () => ({ shape: 'legacy', status: 'verified' }))
    .with('customer_rejected', () => ({ shape: 'legacy', status: 'rejected' }))
    .otherwise(() => ({ shape: 'unknown' }));
}

export function parseTechnestWebhook(request: WebhookRequest): WebhookParseResult {
  const envelope = envelopeSchema().safeParse(requestJson(request));
  if (!envelope.success) throw malformed('it is not a Technest event ({ event, data })');
  const { id, event, created_at: createdAt } = envelope.data;
  const kind = eventKind(event);

  if (kind.shape === 'unknown') {
    return { kind: 'ignored', dedupeKey: id ?? contentKey(request.rawBody), reason: `unknown event type ${safeLabel(event)}` };
  }

  const customer = eventCustomerSchema().safeParse(envelope.data.data);
  if (!customer.success) throw malformed(`the ${safeLabel(event)} event has no customer in data`);
  const data = customer.data;

  const rawStatus = kind.shape === 'current' ? data.status : kind.status;
  if (rawStatus === undefined || rawStatus === null) throw malformed('the customer.status_changed event has no data.status');
  const status = parseTechnestStatus(rawStatus);

  const statusTimestamp = rawStatusTimestamp(status, data);
  const dedupeKey = id ?? `legacy:${data.id}:${status === 'unknown' ? rawStatus : status}:${statusTimestamp ?? ''}`;
  if (status === 'unknown') {
    return { kind: 'ignored', dedupeKey, reason: `unknown Technest status ${safeLabel(rawStatus)}` };
  }

  const occurredAt = normalizeTimestamp(statusTimestamp ?? '') ?? normalizeTimestamp(createdAt ?? '');
  const normalized: CustomerStatus = status;
  const report: ProviderReport = {
    providerCustomerId: data.id,
    status: normalized,
    rawStatus,
    ...(occurredAt === undefined ? {} : { occurredAt }),
    ...(status === 'rejected' ? { rejection: mapTechnestRejection(data.rejection_reason) } : {}),
  };
  return { kind: 'report', dedupeKey, report };
}

/** The status's own timestamp, exactly as sent (it is part of the legacy dedupe key). */
function rawStatusTimestamp(status: TechnestStatus | 'unknown', data: EventCustomer): string | undefined {
  return match(status)
    .with('verified', () => data.verified_at ?? undefined)
    .with('rejected', () => data.rejected_at ?? undefined)
    .with('pending', () => data.kyc_submitted_at ?? undefined)
    // Two arms rather than P.union: a union pattern costs ~0.4 µs per call here, on every delivery.
    .with('created', () => undefined)
    .with('unknown', () => undefined)
    .exhaustive();
}

function malformed(why: string): WebhookVerificationError {
  return new WebhookVerificationError('malformed_body', `The Technest webhook body could not be read: ${why}. Answer 400.`);
}

/** For events without an id: the same bytes give the same key. */
function contentKey(rawBody: Uint8Array): string {
  return `sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
}

/** Event and status names go into reasons (logged, stored) only when they look like names and carry no personal value. */
function safeLabel(value: string): string {
  return /^[A-Za-z0-9_.:-]{1,64}$/.test(value) && defaultProviderTextScrubber.isClean(value) ? `'${value}'` : '(unreadable)';
}
