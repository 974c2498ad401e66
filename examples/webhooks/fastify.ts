/**
 * Webhook endpoint in a Fastify 5 app.
 *
 *   POST /webhooks/:provider   raw body → kyc.handleWebhook
 *   (the rest of the app keeps Fastify's JSON parsing)
 *
 * Fastify parses `application/json` into an object before the handler runs, and
 * a re-serialised object no longer matches the provider's signature. The webhook
 * route lives in its own encapsulated plugin whose content-type parsers keep the
 * body as a Buffer; content-type parsers are scoped to the plugin, so the rest of
 * the app still gets parsed JSON.
 *
 * ```ts
 * await createFastifyApp(kyc).listen({ port: 3000 });
 * ```
 */
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyRequest } from 'fastify';
import type { Kyc } from '@openkyc/core';
import { answerWebhook, logWebhookError, WEBHOOK_MAX_BODY_BYTES, type WebhookErrorHook } from './webhook-answer.js';

export interface FastifyWebhookOptions {
  readonly onError?: WebhookErrorHook;
}

export function createFastifyApp(kyc: Pick<Kyc, 'handleWebhook'>, options: FastifyWebhookOptions = {}): FastifyInstance {
  const app = Fastify();
  void app.register(webhookRoutes(kyc, options), { prefix: '/webhooks' });
  // Other routes: JSON bodies are parsed as usual out here.
  app.get('/health', async () => ({ ok: true }));
  return app;
}

/** The plugin: register it on any Fastify instance. */
export function webhookRoutes(kyc: Pick<Kyc, 'handleWebhook'>, options: FastifyWebhookOptions = {}): FastifyPluginAsync {
  const onError = options.onError ?? logWebhookError;

  return async (scope) => {
    // Inside this plugin only: no parser turns the body into anything but bytes.
    scope.removeAllContentTypeParsers();
    const keepBuffer = (_req: FastifyRequest, body: Buffer, done: (error: Error | null, body?: Buffer) => void): void => done(null, body);
    // What providers send…
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: WEBHOOK_MAX_BODY_BYTES }, keepBuffer);
    // …and any other type (or none): verification, not the Content-Type, decides what is accepted.
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_MAX_BODY_BYTES }, keepBuffer);

    // Fastify's own failures here (body too large, aborted) answer with fixed codes, never error messages.
    scope.setErrorHandler((error: { statusCode?: number }, _request, reply) => {
      const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      const code = status === 413 ? 'payload_too_large' : status < 500 ? 'unreadable_body' : 'internal_error';
      return reply.code(status).send({ received: false, error: code });
    });

    scope.post<{ Params: { provider: string } }>('/:provider', async (request, reply) => {
      // No body at all leaves request.body undefined: verification will refuse it.
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const answer = await answerWebhook(kyc, request.params.provider, { headers: request.headers, body }, onError);
      return reply.code(answer.status).send(answer.body);
    });
  };
}
