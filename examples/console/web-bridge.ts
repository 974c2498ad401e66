/**
 * The few lines every Node framework needs to hand a request to a Web `Request → Response` handler such as the
 * console's `ops.fetch` (Next.js, Hono, Bun and Deno do this for you). The URL keeps the full path, mount
 * prefix included: the console matches its `basePath` against it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/** Node request → fetch `Request`; `path` is the full path and query as the browser sent it. */
export function toWebRequest(req: IncomingMessage, path: string, body?: string | Buffer): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const url = new URL(path, `http://${req.headers.host ?? '127.0.0.1'}`);
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return new Request(url, { method, headers });
  // A framework that already read the body passes it; otherwise stream it through untouched.
  const init = body !== undefined ? { body } : { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' };
  return new Request(url, { method, headers, ...init } as RequestInit);
}

/** fetch `Response` → Node response. */
export async function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(body);
}
