/**
 * undici (~40 ms to load) is loaded on first need, not at import: importing
 * core, its HTTP toolkit or an adapter leaves it unloaded, in CommonJS and in
 * ESM; the first request of a client that owns its Agent loads it. Each case
 * runs in a fresh Node process on the built packages, as users get them.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN_ENTRIES } from './support/package-entries.js';

const run = promisify(execFile);
const ENTRIES = MAIN_ENTRIES;

/** Prints how many of undici's modules are in the process's module cache after `body` ran. */
async function undiciModulesAfter(body: string, kind: 'cjs' | 'esm'): Promise<number> {
  const script =
    kind === 'cjs'
      ? `(async () => { ${body}; console.log(Object.keys(require.cache).filter((key) => /[\\\\/]node_modules[\\\\/]undici[\\\\/]/.test(key)).length); })()`
      : `import { createRequire } from 'node:module'; ${body}; const cache = createRequire(import.meta.url).cache; console.log(Object.keys(cache).filter((key) => /[\\\\/]node_modules[\\\\/]undici[\\\\/]/.test(key)).length);`;
  const args = kind === 'cjs' ? ['-e', script] : ['--input-type=module', '-e', script];
  const { stdout } = await run(process.execPath, args, { cwd: process.cwd() });
  return Number(stdout.trim());
}

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  baseUrl = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('undici is loaded lazily', () => {
  for (const kind of ['cjs', 'esm'] as const) {
    for (const entry of ENTRIES) {
      it(`importing ${entry} (${kind}) does not load undici`, async () => {
        const body = kind === 'cjs' ? `require('${entry}')` : `await import('${entry}')`;
        expect(await undiciModulesAfter(body, kind)).toBe(0);
      });
    }

    it(`the first request of a client with its own Agent loads it (${kind})`, async () => {
      const load = kind === 'cjs' ? `const { createHttpClient } = require('@openkyc/core/http')` : `const { createHttpClient } = await import('@openkyc/core/http')`;
      const body = `${load}; const http = createHttpClient({ provider: 'p', baseUrl: '${baseUrl}', mapError: () => ({}) }); const response = await http.request({ method: 'GET', path: '/x' }); if (response.json().ok !== true) throw new Error('bad answer'); await http.close()`;
      expect(await undiciModulesAfter(body, kind)).toBeGreaterThan(0);
    });
  }
});
