import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// `npm run demo -- --console`: the demo runs, then serves the console on 127.0.0.1 and prints its URL and
// password; the console shows the demo's customers; Ctrl-C (SIGINT) stops it cleanly.
const examplesDir = fileURLToPath(new URL('..', import.meta.url));

it('serves the operator console over the demo data after the run, until SIGINT', async () => {
  const { KYC_PROVIDER: _inherited, ...parentEnv } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/run-demo.ts', '--console', '--provider', 'technest'], {
    cwd: examplesDir,
    env: { ...parentEnv, NO_COLOR: '1', OPENKYC_CONSOLE_PORT: '0', OPENKYC_DEMO_DATA_DIR: mkdtempSync(join(tmpdir(), 'openkyc-demo-')) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  let stdout = '';
  const line = await new Promise<RegExpExecArray>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /Console: (http:\/\/127\.0\.0\.1:\d+\/ops\/)\s+\(user operator, password (\S+)\)/.exec(stdout);
      if (match !== null) resolve(match);
    });
    child.on('close', () => reject(new Error(`the demo ended without serving the console:\n${stdout}`)));
  });
  try {
    const [, url, password] = line;
    const authorization = `Basic ${Buffer.from(`operator:${password}`).toString('base64')}`;
    expect(stdout).toContain('✓ every expected outcome happened');
    expect((await fetch(url!)).status).toBe(401);
    const overview = await fetch(url!, { headers: { authorization } });
    expect(overview.status).toBe(200);
    expect(await overview.text()).toMatch(/technest<\/a><\/td><td class="n">[1-9]/);
  } finally {
    child.kill('SIGINT');
  }
  expect(await exited).toBe(0);
}, 90_000);
