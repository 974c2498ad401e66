/**
 * The operator console under `/ops` in a Fastify 5 app.
 *
 * Fastify answers `415` for a content type it has no parser for, and the console's forms are
 * `application/x-www-form-urlencoded`: the console's plugin registers a parser that keeps that body as a string
 * (scoped to the plugin; the rest of the app is untouched) and hands it over with the full URL.
 *
 * ```ts
 * const app = Fastify();
 * await app.register(consolePlugin(createConsole({ kyc, authorize, basePath: '/ops' })), { prefix: '/ops' });
 * ```
 */
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyReply, type FastifyRequest } from 'fastify';
import type { OpsConsole } from '@openkyc/console';
import { toWebRequest } from './web-bridge.js';

export function consolePlugin(ops: OpsConsole): FastifyPluginAsync {
  return async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8 * 1024 }, (_req, body, done) => done(null, body));
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const body = typeof request.body === 'string' ? request.body : undefined;
      const response = await ops.fetch(toWebRequest(request.raw, request.raw.url ?? request.url, body));
      reply.code(response.status).headers(Object.fromEntries(response.headers));
      return reply.send(Buffer.from(await response.arrayBuffer()));
    };
    scope.all('/', handler);
    scope.all('/*', handler);
  };
}

export function createFastifyConsoleApp(ops: OpsConsole, basePath: string): FastifyInstance {
  const app = Fastify();
  void app.register(consolePlugin(ops), { prefix: basePath });
  app.get('/health', async () => ({ ok: true }));
  return app;
}
