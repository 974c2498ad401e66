/**
 * Webhook endpoint in an Express 5 app that also serves a JSON API.
 *
 *   POST /webhooks/:provider   raw body → kyc.handleWebhook
 *   POST /api/customers        JSON body (express.json) → kyc.createCustomer
 *
 * THE TRAP: `express.json()` parses the body into an object. Whatever you then
 * hand to openkyc (`JSON.stringify(req.body)`) is a re-serialisation, not the
 * bytes the provider signed: spacing, key order, escapes (`\u00e9` vs `é`) and
 * number formats differ, so every genuine delivery fails verification (401) and
 * the provider retries until it gives up. The webhook route therefore gets
 * `express.raw()` — a Buffer of the exact bytes — and it must be registered
 * BEFORE the global `app.use(express.json())`: once one body parser has read the
 * stream, the next one skips the request (`req.body` stays the parsed object).
 *
 * ```ts
 * createExpressApp(kyc).listen(3000);
 * ```
 */
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { ValidationError, type Kyc } from '@openkyc/core';
import { answerWebhook, logWebhookError, reportWebhookError, WEBHOOK_MAX_BODY_BYTES, type WebhookErrorHook } from './webhook-answer.js';

export interface ExpressWebhookOptions {
  readonly onError?: WebhookErrorHook;
}

export function createExpressApp(kyc: Kyc, options: ExpressWebhookOptions = {}): Express {
  const app = express();

  // 1. The webhook route first, with its own raw body parser. `type: '*/*'` keeps the bytes
  //    whatever Content-Type the provider sends; the limit matches the other examples (Express's default is 100 kB).
  app.post('/webhooks/:provider', rawWebhookBody(), webhookRoute(kyc, options), webhookBodyErrors);

  // 2. Everything else speaks JSON.
  app.use(express.json());
  app.post('/api/customers', async (req, res) => {
    try {
      const customer = await kyc.createCustomer(req.body);
      res.status(201).json({ id: customer.id, status: customer.status });
    } catch (error) {
      if (ValidationError.isInstance(error)) res.status(400).json({ error: error.code, issues: error.issues });
      else res.status(500).json({ error: 'internal_error' });
    }
  });

  return app;
}

/** The route's body parser: the raw bytes as a Buffer in `req.body`. */
export function rawWebhookBody(): RequestHandler {
  return express.raw({ type: '*/*', limit: WEBHOOK_MAX_BODY_BYTES });
}

/** Hands `req.body` (a Buffer, thanks to `rawWebhookBody`) and `req.headers` to openkyc. */
export function webhookRoute(kyc: Pick<Kyc, 'handleWebhook'>, options: ExpressWebhookOptions = {}): RequestHandler {
  const onError = options.onError ?? logWebhookError;
  return async (req, res) => {
    const providerId = String(req.params.provider);
    // No body at all (no Content-Type, nothing sent) leaves req.body undefined: verification will refuse it.
    const body: unknown = req.body ?? Buffer.alloc(0);
    if (!Buffer.isBuffer(body)) {
      // Another body parser ran first (see the top of this file): the raw bytes are gone. Answer 500 so the
      // provider retries once the app is fixed, instead of verifying a re-serialisation that can never match.
      const misconfigured = new Error('the webhook route did not get the raw body: register it before express.json()');
      reportWebhookError(onError, misconfigured, { providerId, status: 500 });
      res.status(500).json({ received: false, error: 'internal_error' });
      return;
    }
    const answer = await answerWebhook(kyc, providerId, { headers: req.headers, body }, onError);
    res.status(answer.status).json(answer.body);
  };
}

/** Body parser failures (too large, aborted) as fixed JSON, not Express's HTML page with a stack trace. */
const webhookBodyErrors: ErrorRequestHandler = (error: { status?: unknown; type?: unknown }, _req, res, _next) => {
  const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
  const code = status === 413 ? 'payload_too_large' : status < 500 ? 'unreadable_body' : 'internal_error';
  res.status(status).json({ received: false, error: code });
};
