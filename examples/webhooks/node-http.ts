/**
 * Webhook endpoint with plain `node:http`: no framework, no body parser.
 *
 *   POST /webhooks/technest      (Technest-Signature)
 *   POST /webhooks/patch-style   (Standard Webhooks headers)
 *
 * ```ts
 * const server = createNodeWebhookServer(kyc);
 * server.listen(3000);
 * ```
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Kyc } from '@openkyc/core';
import {
  answerWebhook,
  logWebhookError,
  reportWebhookError,
  WEBHOOK_MAX_BODY_BYTES,
  type WebhookAnswer,
  type WebhookErrorHook,
} from './webhook-answer.js';

export interface NodeWebhookServerOptions {
  readonly maxBodyBytes?: number;
  readonly onError?: WebhookErrorHook;
}

const WEBHOOK_PATH = /^\/webhooks\/([a-z0-9][a-z0-9._-]*)$/i;

export function createNodeWebhookServer(kyc: Pick<Kyc, 'handleWebhook'>, options: NodeWebhookServerOptions = {}): Server {
  const maxBodyBytes = options.maxBodyBytes ?? WEBHOOK_MAX_BODY_BYTES;
  const onError = options.onError ?? logWebhookError;

  return createServer((req, res) => {
    const match = WEBHOOK_PATH.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (match === null) return send(res, { status: 404, body: { received: false, error: 'not_found' } });
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return send(res, { status: 405, body: { received: false, error: 'method_not_allowed' } });
    }
    const providerId = match[1]!;

    readRawBody(req, maxBodyBytes).then(
      async (body) => {
        if (body === undefined) return send(res, { status: 413, body: { received: false, error: 'payload_too_large' } });
        // `req.headers` as Node gives them (lower-cased names) and the bytes as received.
        send(res, await answerWebhook(kyc, providerId, { headers: req.headers, body }, onError));
      },
      (error: unknown) => {
        // The connection broke mid-body: nothing to verify, nobody to answer in most cases.
        reportWebhookError(onError, error, { providerId, status: 400 });
        send(res, { status: 400, body: { received: false, error: 'unreadable_body' } });
      },
    );
  });
}

/**
 * Collects the body as raw chunks and concatenates the bytes: no `setEncoding`,
 * no string concatenation per chunk (a multi-byte UTF-8 character split across
 * two chunks would be mangled), no JSON.parse. The signature is over these exact
 * bytes. Resolves to undefined once the body passes `limit`: the rest is read and
 * dropped (as body-parser does), so the client gets its 413 instead of a reset.
 */
function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume(); // drain without buffering
      return resolve(undefined);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!tooLarge) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, answer: WebhookAnswer): void {
  if (res.headersSent) return;
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
