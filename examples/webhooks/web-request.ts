/**
 * Webhook endpoint as a Web-standard handler, `(request: Request) => Promise<Response>`:
 * the shape of Next.js route handlers, Hono, Remix/React Router actions, SvelteKit,
 * Bun.serve, Deno.serve and Cloudflare Workers. Core's `webhookHandler` reads the
 * raw body (`request.arrayBuffer()`-style, never `request.json()`), verifies and
 * answers 200 / 400 / 401 / 404 / 405 / 413 / 500, so the endpoint is one line.
 *
 * In a Next.js app (App Router):
 *
 * ```ts
 * // app/api/webhooks/technest/route.ts
 * import { webhookHandler } from '@openkyc/core';
 * import { kyc } from '@/lib/kyc'; // your createKyc(...) instance
 *
 * export const POST = webhookHandler(kyc, 'technest');
 * ```
 *
 * `createWebhookRoutes` below is that line per provider. `createWebRequestServer`
 * mounts the routes on node:http with the small Request/Response bridge that
 * Next.js and Hono's Node adapter do for you, so the example runs (and is tested)
 * without a framework.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { webhookHandler, type Kyc, type WebhookHandlerOptions } from '@openkyc/core';

export interface WebhookRoutes {
  readonly technest: { readonly POST: (request: Request) => Promise<Response> };
  readonly 'patch-style': { readonly POST: (request: Request) => Promise<Response> };
}

/** One route module per provider, exactly what `route.ts` files export. */
export function createWebhookRoutes(kyc: Pick<Kyc, 'handleWebhook'>, options: WebhookHandlerOptions = {}): WebhookRoutes {
  return {
    technest: { POST: webhookHandler(kyc, 'technest', options) },
    'patch-style': { POST: webhookHandler(kyc, 'patch-style', options) },
  };
}

/** `/webhooks/technest` and `/webhooks/patch-style` on node:http. */
export function createWebRequestServer(kyc: Pick<Kyc, 'handleWebhook'>, options: WebhookHandlerOptions = {}): Server {
  const routes = createWebhookRoutes(kyc, options);
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    const route = url.pathname === '/webhooks/technest' ? routes.technest : url.pathname === '/webhooks/patch-style' ? routes['patch-style'] : undefined;
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
      return;
    }
    // Every method goes to the handler: it answers 405 itself for anything but POST.
    route.POST(toRequest(req, url)).then(
      (response) => writeResponse(res, response),
      () => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal_error"}');
      },
    );
  });
}

/** Node request → fetch `Request`, streaming the body through untouched. */
function toRequest(req: IncomingMessage, url: URL): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(url, {
    method: req.method ?? 'GET',
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  // The handler may answer (413) without reading an oversized body: close rather than read the rest.
  const close = res.req.complete ? {} : { connection: 'close' };
  res.writeHead(response.status, { ...headers, ...close, 'content-length': body.length });
  res.end(body);
}
