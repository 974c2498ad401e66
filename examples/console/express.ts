/**
 * The operator console under `/ops` in an Express 5 app.
 *
 * `app.use('/ops', …)` strips the prefix from `req.url`; the console needs the full path (`req.originalUrl`),
 * since every link it renders starts with its `basePath`. Mount it BEFORE any global body parser
 * (`express.urlencoded()`): the console reads its form bodies itself, and a parser that ran first leaves it an
 * empty stream (every action would then fail its CSRF check with 403).
 *
 * ```ts
 * const app = express();
 * app.use('/ops', consoleMiddleware(createConsole({ kyc, authorize, basePath: '/ops' })));
 * app.use(express.urlencoded({ extended: false })); // after the console
 * ```
 */
import express, { type Express, type RequestHandler } from 'express';
import type { OpsConsole } from '@openkyc/console';
import { sendWebResponse, toWebRequest } from './web-bridge.js';

/** Hands every request under the mount point to the console. */
export function consoleMiddleware(ops: OpsConsole): RequestHandler {
  return (req, res, next) => {
    ops.fetch(toWebRequest(req, req.originalUrl)).then((response) => sendWebResponse(res, response), next);
  };
}

/** An app with the console under `basePath` and a route of its own. */
export function createExpressConsoleApp(ops: OpsConsole, basePath: string): Express {
  const app = express();
  app.use(basePath, consoleMiddleware(ops));
  app.use(express.urlencoded({ extended: false }));
  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  return app;
}
