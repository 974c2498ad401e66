/**
 * What a webhook endpoint answers, whatever the framework. Shared by the
 * node:http, Express and Fastify examples; `web-request.ts` gets the same
 * behaviour from core's `webhookHandler`.
 *
 * Why these codes: providers retry anything that is not 2xx, so
 * - 200 as soon as the delivery is stored, also for a duplicate (it was handled
 *   before) and for a report that changed nothing (nothing will change on retry);
 * - 401 / 400 for a delivery that can never be accepted (forged, tampered,
 *   replayed, garbage), so nobody mistakes it for an outage;
 * - 500 for anything else (store down…), so the provider tries again later.
 * Bodies carry fixed codes and counts only: never an error message, a header,
 * part of the body, customer data or a secret.
 */
import { WebhookVerificationError, type Kyc, type WebhookDelivery } from '@openkyc/core';

export interface WebhookAnswer {
  readonly status: number;
  readonly body: { readonly received: boolean; readonly events?: number; readonly duplicate?: boolean; readonly error?: string };
}

/** Called with every error behind a non-200 answer (log it, count it). Keep it quick: the provider is waiting. */
export type WebhookErrorHook = (error: unknown, context: { readonly providerId: string; readonly status: number }) => void;

/** Logs the error's class and reason; openkyc messages carry no personal data, but the detail stays in your logs only. */
export const logWebhookError: WebhookErrorHook = (error, { providerId, status }) => {
  const reason = WebhookVerificationError.isInstance(error) ? error.reason : error instanceof Error ? error.name : 'unknown';
  console.warn(`[webhooks] ${providerId}: answered ${status} (${reason})`);
};

/** Hands one delivery to openkyc and turns the outcome into a status code and a safe body. */
export async function answerWebhook(
  kyc: Pick<Kyc, 'handleWebhook'>,
  providerId: string,
  delivery: WebhookDelivery,
  onError: WebhookErrorHook = logWebhookError,
): Promise<WebhookAnswer> {
  try {
    // Verifies the signature over the raw bytes, dedupes, applies and stores. Event handlers
    // (`kyc.on(...)`) run after the commit and are not awaited, so slow work there does not delay the 200.
    const result = await kyc.handleWebhook(providerId, delivery);
    return { status: 200, body: { received: true, events: result.events.length, duplicate: result.duplicate } };
  } catch (error) {
    const answer = refusal(error);
    reportWebhookError(onError, error, { providerId, status: answer.status });
    return answer;
  }
}

/** Calls the hook; a hook that throws must not change the answer to the provider. */
export function reportWebhookError(onError: WebhookErrorHook, error: unknown, context: { readonly providerId: string; readonly status: number }): void {
  try {
    onError(error, context);
  } catch {
    // ignored on purpose
  }
}

function refusal(error: unknown): WebhookAnswer {
  if (WebhookVerificationError.isInstance(error)) {
    switch (error.reason) {
      case 'missing_signature':
      case 'malformed_signature':
      case 'signature_mismatch':
      case 'missing_timestamp':
      case 'timestamp_out_of_tolerance':
        return { status: 401, body: { received: false, error: 'invalid_signature' } };
      case 'malformed_body':
        return { status: 400, body: { received: false, error: 'malformed_body' } };
      case 'unknown_provider':
      case 'not_supported':
        return { status: 404, body: { received: false, error: 'unknown_provider' } };
    }
  }
  return { status: 500, body: { received: false, error: 'internal_error' } };
}

/** The body size limit of every example endpoint: provider events are a few KiB. */
export const WEBHOOK_MAX_BODY_BYTES = 1024 * 1024;
