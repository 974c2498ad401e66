import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebhookVerificationError, type Kyc, type WebhookResult } from '@openkyc/core';

/** One delivery as the endpoint saw it (for the demo's summary; no payloads kept). */
export interface EndpointDelivery {
  readonly providerId: string;
  readonly status: number;
  readonly events: number;
  readonly duplicate: boolean;
  readonly ignored?: string;
}

export interface WebhookEndpoint {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Where a provider's simulator should POST: `<url>/webhooks/<providerId>`. */
  urlFor(providerId: string): string;
  deliveries(): readonly EndpointDelivery[];
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The platform's webhook receiver, as a plain `node:http` server: it reads the
 * raw body (signatures are computed over the exact bytes, so never parse and
 * re-serialise first), hands it to `kyc.handleWebhook`, and answers
 *  - 200 when the delivery was applied, was a duplicate, or changed nothing;
 *  - 401 when it cannot be proven to come from the provider;
 *  - 400 when the body is not what the provider sends;
 *  - 404 for an unknown provider path, 413 for oversized bodies,
 *  - 500 otherwise, so the provider delivers again later.
 */
export async function startWebhookEndpoint(kyc: Kyc): Promise<WebhookEndpoint> {
  const deliveries: EndpointDelivery[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { error: 'internal_error' });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/webhooks\/([a-z0-9._-]+)\/?$/i.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (req.method !== 'POST' || match === null) {
      send(res, 404, { error: 'not_found' });
      return;
    }
    const providerId = match[1]!;
    const body = await readBody(req);
    if (body === undefined) {
      send(res, 413, { error: 'payload_too_large' });
      return;
    }

    let result: WebhookResult;
    try {
      result = await kyc.handleWebhook(providerId, { headers: req.headers, body });
    } catch (error) {
      if (!WebhookVerificationError.isInstance(error)) throw error;
      const status = error.reason === 'malformed_body' ? 400 : error.reason === 'unknown_provider' || error.reason === 'not_supported' ? 404 : 401;
      deliveries.push({ providerId, status, events: 0, duplicate: false, ignored: error.reason });
      send(res, status, { error: error.reason });
      return;
    }
    deliveries.push({
      providerId,
      status: 200,
      events: result.events.length,
      duplicate: result.duplicate,
      ...(result.ignored === undefined ? {} : { ignored: result.ignored }),
    });
    send(res, 200, { received: true, duplicate: result.duplicate, events: result.events.length });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    urlFor: (providerId) => `${url}/webhooks/${encodeURIComponent(providerId)}`,
    deliveries: () => [...deliveries],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** The raw bytes, or undefined past the size limit. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
