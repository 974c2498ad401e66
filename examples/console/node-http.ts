/**
 * The operator console under `/ops` on plain `node:http`, beside the app's own routes.
 *
 * ```ts
 * const ops = createConsole({ kyc, authorize, basePath: '/ops' });
 * createNodeConsoleServer(ops, '/ops').listen(3000, '127.0.0.1');
 * ```
 */
import { createServer, type Server } from 'node:http';
import type { OpsConsole } from '@openkyc/console';
import { sendWebResponse, toWebRequest } from './web-bridge.js';

export function createNodeConsoleServer(ops: OpsConsole, basePath: string): Server {
  return createServer((req, res) => {
    const path = req.url ?? '/';
    const pathname = path.split('?')[0]!;
    if (pathname === basePath || pathname.startsWith(`${basePath}/`)) {
      ops.fetch(toWebRequest(req, path)).then(
        (response) => sendWebResponse(res, response),
        () => res.writeHead(500).end(),
      );
      return;
    }
    // The app's own routes.
    if (pathname === '/health') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
  });
}
