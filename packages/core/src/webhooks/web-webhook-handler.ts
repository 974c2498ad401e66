/**
 * A Web-standard (`Request` → `Response`) webhook endpoint in one line:
 *
 * ```ts
 * // app/api/webhooks/technest/route.ts (Next.js), or Hono, Bun, Deno, Cloudflare Workers…
 * export const POST = webhookHandler(kyc, 'technest');
 * ```
 *
 * It reads the raw body bytes (never a parsed and re-serialised object, which
 * would no longer match the signature), hands them and the headers to
 * `kyc.handleWebhook`, and maps the outcome to a status code the provider
 * understands: 2xx stops its retries, 4xx says "this delivery will never be
 * accepted", 5xx says "try again later".
 *
 * | outcome                                                         | status |
 * |-----------------------------------------------------------------|--------|
 * | applied, ignored or duplicate                                   | 200    |
 * | missing / malformed / wrong signature, timestamp missing or old | 401    |
 * | signed, but not a body the provider sends (`malformed_body`)    | 400    |
 * | no such provider, or one without webhooks                       | 404    |
 * | not a POST                                                      | 405    |
 * | body larger than `maxBodyBytes`                                 | 413    |
 * | anything else (store down, bug…)                                | 500    |
 *
 * Response bodies carry only fixed codes and counts: never an error message,
 * header, body excerpt, customer data or secret.
 */
import { WebhookVerificationError, type WebhookVerificationReason } from '../errors.js';
import type { HandleWebhook } from './webhook-delivery.js';

/** 1 MiB: provider events are a few KiB; anything near this is not a webhook. */
export const DEFAULT_WEBHOOK_MAX_BODY_BYTES = 1024 * 1024;

/** Options of {@link webhookHandler}. */
export interface WebhookHandlerOptions {
  /** Larger bodies are refused with 413 before they are buffered (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /**
   * Called with every error that made the handler answer something other than
   * 200 (verification failures, unreadable bodies, unexpected errors), e.g. to log
   * or count them. The response does not wait for it, and a hook that throws or
   * rejects changes nothing.
   */
  readonly onError?: (error: unknown, context: WebhookErrorContext) => void | Promise<void>;
}

/** What `WebhookHandlerOptions.onError` is told besides the error. */
export interface WebhookErrorContext {
  /** The provider id the endpoint serves. */
  readonly providerId: string;
  /** The status the handler answered with. */
  readonly status: number;
}

/** The JSON body of a 200 answer. */
export interface WebhookHandlerReceipt {
  /** Always true. */
  readonly received: true;
  /** How many lifecycle events this delivery caused (0 for a duplicate or an ignored report). */
  readonly events: number;
  /** True when the delivery had been processed before. */
  readonly duplicate: boolean;
}

/** A `(request) => Promise<Response>` function, the shape of Next.js route handlers, Hono, Bun.serve, Workers… */
export type WebRequestHandler = (request: Request) => Promise<Response>;

/** Reasons meaning "this delivery cannot be proven to come from the provider". */
const UNAUTHENTICATED: ReadonlySet<WebhookVerificationReason> = new Set<WebhookVerificationReason>([
  'missing_signature',
  'malformed_signature',
  'signature_mismatch',
  'timestamp_out_of_tolerance',
  'missing_timestamp',
]);

/**
 * Returns a Web-standard handler that verifies, dedupes and applies webhook
 * deliveries for one provider through `kyc.handleWebhook`.
 *
 * @param kyc the client from `createKyc` (only `handleWebhook` is used).
 * @param providerId the adapter's id, e.g. `'technest'`: one endpoint per provider.
 */
export function webhookHandler(
  kyc: { readonly handleWebhook: HandleWebhook },
  providerId: string,
  options: WebhookHandlerOptions = {},
): WebRequestHandler {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_WEBHOOK_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 0) {
    throw new RangeError(`webhookHandler: maxBodyBytes must be a whole number of bytes >= 0, got ${String(maxBodyBytes)}`);
  }

  const fail = (error: unknown, status: number, code: string): Response => {
    notify(options.onError, error, { providerId, status });
    return json(status, { received: false, error: code });
  };

  return async function handleWebhookRequest(request: Request): Promise<Response> {
    if (request.method !== 'POST') {
      return json(405, { received: false, error: 'method_not_allowed' }, { allow: 'POST' });
    }

    // Refuse an announced oversized body before reading a byte of it.
    const declared = declaredLength(request.headers.get('content-length'));
    if (declared !== undefined && declared > maxBodyBytes) return tooLarge(request);

    if (request.bodyUsed) {
      // Something (a middleware, `await request.json()`) read the body first: the signed bytes are gone.
      // 500, not 4xx: the provider retries, and the delivery succeeds once the app is fixed.
      return fail(new Error('webhookHandler: the request body was already read; pass the untouched Request'), 500, 'internal_error');
    }

    let body: Uint8Array;
    try {
      const read = await readBody(request, maxBodyBytes);
      if (read === undefined) return tooLarge(request);
      body = read;
    } catch (error) {
      // The client went away or sent a broken stream: nothing to verify.
      return fail(error, 400, 'unreadable_body');
    }

    try {
      const result = await kyc.handleWebhook(providerId, { headers: request.headers, body });
      const receipt: WebhookHandlerReceipt = { received: true, events: result.events.length, duplicate: result.duplicate };
      return json(200, receipt);
    } catch (error) {
      if (WebhookVerificationError.isInstance(error)) {
        if (UNAUTHENTICATED.has(error.reason)) return fail(error, 401, 'invalid_signature');
        if (error.reason === 'malformed_body') return fail(error, 400, 'malformed_body');
        // `unknown_provider` (wrong URL) and `not_supported` (a provider that sends no webhooks): no such endpoint.
        if (error.reason === 'unknown_provider' || error.reason === 'not_supported') return fail(error, 404, 'unknown_provider');
      }
      // No detail: messages may name configuration, and the caller is not necessarily the provider.
      return fail(error, 500, 'internal_error');
    }
  };
}

/** A `Content-Length` we can trust, or undefined (absent or garbage: the actual size is checked while reading). */
function declaredLength(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  const length = Number(value);
  return Number.isSafeInteger(length) ? length : Number.POSITIVE_INFINITY;
}

/**
 * The body's bytes, or undefined as soon as it grows past `limit` (the rest is
 * not read). Streams chunk by chunk so a body without (or lying about) its
 * `Content-Length` is never buffered whole.
 */
async function readBody(request: Request, limit: number): Promise<Uint8Array | undefined> {
  const stream = request.body;
  if (stream === null || typeof stream.getReader !== 'function') {
    // No body, or a Request implementation without streams.
    const bytes = new Uint8Array(await request.arrayBuffer());
    return bytes.byteLength > limit ? undefined : bytes;
  }
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const chunk: Uint8Array = value;
    size += chunk.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(chunk);
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function tooLarge(request: Request): Response {
  // Dropping the unread rest is up to the server; do not keep a reference to it.
  void request.body?.cancel().catch(() => undefined);
  return json(413, { received: false, error: 'payload_too_large' });
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

function notify(hook: WebhookHandlerOptions['onError'], error: unknown, context: WebhookErrorContext): void {
  if (hook === undefined) return;
  try {
    const result = hook(error, context);
    if (result instanceof Promise) result.catch(() => undefined);
  } catch {
    // A logging hook must never change the answer to the provider.
  }
}
