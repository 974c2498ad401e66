import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConsole } from '@openkyc/console';
import type { Kyc } from '@openkyc/core';
import { createNodeConsoleServer } from '../console/node-http.js';

/**
 * `npm run demo -- --console`: after the onboardings, the operator console on 127.0.0.1 over the demo's
 * customers (the simulators keep running, so "Refresh now" asks them), until Ctrl-C. Basic auth with a password
 * made up for this run; personal data masked, as in production by default.
 */
export async function serveDemoConsole(kyc: Kyc, write: (line: string) => void, port = DEFAULT_CONSOLE_PORT): Promise<void> {
  const password = randomBytes(9).toString('base64url');
  const expected = `Basic ${Buffer.from(`operator:${password}`).toString('base64')}`;
  const ops = createConsole({ kyc, basePath: '/ops', authorize: (request) => request.headers.get('authorization') === expected, operator: () => 'operator' });
  const server = createNodeConsoleServer(ops, '/ops');
  const address = await listen(server, port).catch(() => listen(server, 0)); // the port is taken: any free one
  write('');
  write(`Console: http://127.0.0.1:${address.port}/ops/  (user operator, password ${password}) · Ctrl-C to stop`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** Where the console listens unless OPENKYC_CONSOLE_PORT says otherwise (0: any free port). */
export const DEFAULT_CONSOLE_PORT = 4400;

function listen(server: Server, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}
