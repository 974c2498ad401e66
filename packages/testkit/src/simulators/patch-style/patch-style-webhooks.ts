import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PatchStyleCustomerStatus, PatchStyleStatusChange } from './patch-style-state.js';

/**
 * `customer.state_changed` events and their Standard Webhooks signatures
 * (https://www.standardwebhooks.com): headers `webhook-id`, `webhook-timestamp`
 * (unix seconds) and `webhook-signature: v1,<base64>` — one space-separated
 * entry per secret during rotation — where `<base64>` is
 * HMAC-SHA256(base64-decoded secret after `whsec_`, "<id>.<timestamp>.<raw body>").
 */

export const PATCH_STYLE_WEBHOOK_TOLERANCE_SECONDS = 300;

export interface PatchStyleWebhookPayload {
  readonly customerId: string;
  readonly oldStatus: PatchStyleCustomerStatus;
  readonly newStatus: PatchStyleCustomerStatus;
  readonly requiredDocuments?: readonly string[];
  readonly reason?: string;
}

/** A `customer.state_changed` webhook body. */
export interface PatchStyleWebhookEvent {
  /** `evt_…`; also the `webhook-id` header (the same on every redelivery). */
  readonly id: string;
  /** The only event type the provider sends. */
  readonly type: 'customer.state_changed';
  /** When the change happened (ISO 8601). */
  readonly createdAt: string;
  /** The customer, its old and new status, and what the provider needs or why it rejected. */
  readonly payload: PatchStyleWebhookPayload;
}

export function buildPatchStyleWebhookEvent(change: PatchStyleStatusChange, eventId: string): PatchStyleWebhookEvent {
  return {
    id: eventId,
    type: 'customer.state_changed',
    createdAt: change.at.toISOString(),
    payload: {
      customerId: change.customer.id,
      oldStatus: change.oldStatus,
      newStatus: change.newStatus,
      ...(change.requiredDocuments && change.requiredDocuments.length > 0 ? { requiredDocuments: [...change.requiredDocuments] } : {}),
      ...(change.reason === undefined ? {} : { reason: change.reason }),
    },
  };
}

/** A new `whsec_<base64 of 24 random bytes>` secret. */
export function generatePatchStyleWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export interface SignPatchStyleWebhookInput {
  /** `webhook-id` (the event id). */
  readonly id: string;
  /** Unix seconds, or a Date (floored to seconds). */
  readonly timestamp: number | Date;
  /** The exact raw body that will be sent. */
  readonly body: string | Uint8Array;
  /** One secret or several (one signature each, as during rotation). Give this or `secrets`. */
  readonly secret?: string | readonly string[];
  readonly secrets?: readonly string[];
}

export interface PatchStyleWebhookHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
  readonly [name: string]: string;
}

/**
 * The three Standard Webhooks headers for a body, as the provider sends them.
 * Use it to sign hand-made deliveries in tests.
 */
export function signPatchStyleWebhook(input: SignPatchStyleWebhookInput): PatchStyleWebhookHeaders {
  const secrets = secretList(input.secret, input.secrets);
  if (secrets.length === 0) throw new Error('signPatchStyleWebhook needs at least one secret');
  const timestamp = String(input.timestamp instanceof Date ? Math.floor(input.timestamp.getTime() / 1000) : Math.floor(input.timestamp));
  const signature = secrets.map((secret) => `v1,${signatureFor(secret, input.id, timestamp, input.body)}`).join(' ');
  return { 'webhook-id': input.id, 'webhook-timestamp': timestamp, 'webhook-signature': signature };
}

export interface VerifyPatchStyleWebhookInput {
  /** Header names in any case; `Headers` works too. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>> | Headers;
  readonly body: string | Uint8Array;
  readonly secret?: string | readonly string[];
  readonly secrets?: readonly string[];
  /** Default 300 s (both directions). */
  readonly toleranceSeconds?: number;
  /** Default: the wall clock. */
  readonly now?: Date;
}

export type PatchStyleWebhookVerification =
  | { readonly ok: true; readonly id: string; readonly timestamp: number; readonly event: unknown }
  | { readonly ok: false; readonly reason: 'missing_headers' | 'malformed_timestamp' | 'signature_mismatch' | 'timestamp_out_of_tolerance' };

/**
 * Checks a delivery the way a Standard Webhooks receiver does: any `v1`
 * signature matching any secret, then the timestamp within tolerance. A test
 * helper (core has the production verifier).
 */
export function verifyPatchStyleWebhook(input: VerifyPatchStyleWebhookInput): PatchStyleWebhookVerification {
  const header = (name: string): string | undefined => {
    if (input.headers instanceof Headers) return input.headers.get(name) ?? undefined;
    for (const [key, value] of Object.entries(input.headers)) {
      if (key.toLowerCase() !== name || value === undefined) continue;
      return typeof value === 'string' ? value : value.join(' ');
    }
    return undefined;
  };
  const id = header('webhook-id')?.trim();
  const timestamp = header('webhook-timestamp')?.trim();
  const signatureHeader = header('webhook-signature')?.trim();
  if (!id || !timestamp || !signatureHeader) return { ok: false, reason: 'missing_headers' };
  if (!/^\d+$/.test(timestamp)) return { ok: false, reason: 'malformed_timestamp' };

  const given = signatureHeader
    .split(/\s+/)
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  const matches = secretList(input.secret, input.secrets).some((secret) => {
    const expected = Buffer.from(signatureFor(secret, id, timestamp, input.body), 'base64');
    return given.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
  });
  if (!matches) return { ok: false, reason: 'signature_mismatch' };

  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > (input.toleranceSeconds ?? PATCH_STYLE_WEBHOOK_TOLERANCE_SECONDS)) {
    return { ok: false, reason: 'timestamp_out_of_tolerance' };
  }
  const raw = typeof input.body === 'string' ? input.body : Buffer.from(input.body).toString('utf8');
  let event: unknown;
  try {
    event = JSON.parse(raw) as unknown;
  } catch {
    event = undefined;
  }
  return { ok: true, id, timestamp: Number(timestamp), event };
}

/** The HMAC key: the base64-decoded part after `whsec_` (a bare secret is read as base64 too). */
export function patchStyleWebhookKey(secret: string): Buffer {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) throw new Error('webhook secret must be whsec_<base64>');
  return key;
}

function signatureFor(secret: string, id: string, timestamp: string, body: string | Uint8Array): string {
  const hmac = createHmac('sha256', patchStyleWebhookKey(secret));
  hmac.update(`${id}.${timestamp}.`, 'utf8');
  hmac.update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  return hmac.digest('base64');
}

function secretList(secret: string | readonly string[] | undefined, secrets: readonly string[] | undefined): string[] {
  const list: string[] = [];
  if (typeof secret === 'string') list.push(secret);
  else if (secret) list.push(...secret);
  if (secrets) list.push(...secrets);
  return list;
}
