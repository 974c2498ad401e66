import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Runs the demo exactly as `npm run demo` does (tsx, from the examples folder), against the built packages.
const examplesDir = fileURLToPath(new URL('..', import.meta.url));

interface DemoRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runDemo(args: readonly string[] = [], env: Readonly<Record<string, string>> = {}): Promise<DemoRun> {
  return new Promise((resolve, reject) => {
    const { KYC_PROVIDER: _inherited, ...parentEnv } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', 'demo/run-demo.ts', ...args], {
      cwd: examplesDir,
      // Each run its own data directory unless the test shares one (runs may go in parallel).
      env: { ...parentEnv, NO_COLOR: '1', OPENKYC_DEMO_DATA_DIR: mkdtempSync(join(tmpdir(), 'openkyc-demo-')), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The summary table's rows as `provider | scenario | final | expected | ok | events`. */
function summaryRows(stdout: string): string[][] {
  const summary = stdout.slice(stdout.indexOf('\nSummary\n'));
  return summary
    .split('\n')
    .filter((line) => /^ {2}(technest|patch-style|clients-command) /.test(line))
    .map((line) => line.trim().split(/ {2,}/));
}

const ALL_ROWS = [
  ['technest', 'happy path', 'verified', 'verified', '✓', '3'],
  ['technest', 'needs info → resubmit', '—', '—', 'n/a', '—'],
  ['technest', 'rejected → retry', 'verified', 'verified', '✓', '5'],
  ['patch-style', 'happy path', 'active', 'active', '✓', '4'],
  ['patch-style', 'needs info → resubmit', 'active', 'active', '✓', '6'],
  ['patch-style', 'rejected → retry', 'active', 'active', '✓', '6'],
  ['clients-command', 'happy path', 'active', 'active', '✓', '4'],
  ['clients-command', 'needs info → resubmit', 'active', 'active', '✓', '5'],
  ['clients-command', 'rejected → retry', 'active', 'active', '✓', '7'],
];

describe('npm run demo', () => {
  it('runs every provider and scenario, and exits 0', async () => {
    const run = await runDemo();

    expect(run.stderr).not.toContain('openkyc demo failed');
    expect(run.code).toBe(0);
    expect(summaryRows(run.stdout)).toEqual(ALL_ROWS);
    expect(run.stdout).toContain('"defaultProvider": "technest"');
    expect(run.stdout).toContain('✓ every expected outcome happened');
    expect(run.stdout).toMatch(/✓ webhook endpoint: \d+ provider deliveries/);
    expect(run.stdout).toMatch(/✓ \d+ events through the durable consumer, every committed one/);
    expect(run.stdout).toContain('answered 401 (expected 401)');
    // No colours when NO_COLOR is set, and no personal data or secrets in the output.
    expect(run.stdout).not.toContain('\u001b[');
    expect(run.stdout).not.toMatch(/Jane|Smith|jane@example\.com|1990-05-15|533380006|123-45-6789/);
    expect(run.stdout).not.toMatch(/whsec_|tn_secret_|ID document unreadable|DOCUMENT_EXPIRED|Passport photo unreadable/);
  });

  it('runs one provider chosen with --provider, through the configuration only', async () => {
    const run = await runDemo(['--provider', 'patch-style']);

    expect(run.code).toBe(0);
    expect(summaryRows(run.stdout)).toEqual(ALL_ROWS.filter(([provider]) => provider === 'patch-style'));
    expect(run.stdout).toContain('"defaultProvider": "patch-style"');
    expect(run.stdout).not.toContain('"technest"');
    expect(run.stdout).not.toContain('"clients-command"');
  });

  it('runs one provider chosen with KYC_PROVIDER', async () => {
    const run = await runDemo([], { KYC_PROVIDER: 'clients-command' });

    expect(run.code).toBe(0);
    expect(summaryRows(run.stdout)).toEqual(ALL_ROWS.filter(([provider]) => provider === 'clients-command'));
    expect(run.stdout).toContain('"defaultProvider": "clients-command"');
    expect(run.stdout).toContain('found by reconcile()');
  });

  it('refuses an unknown provider with a clear message and a non-zero exit', async () => {
    const run = await runDemo(['--provider', 'acme-kyc']);

    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("Unknown provider 'acme-kyc'");
    expect(run.stderr).toContain('technest, patch-style, clients-command');
    expect(run.stdout).toBe('');
  });

  // Three demo runs (each opens PGlite on disk, ~8 s on a loaded 2-core machine): more than the default 30 s.
  it('keeps customers in an embedded store on disk: a second run shows the first one\'s, --fresh starts over', { timeout: 90_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'openkyc-demo-'));
    const first = await runDemo(['--provider', 'patch-style'], { OPENKYC_DEMO_DATA_DIR: dataDir });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`pgliteStore (embedded PostgreSQL) in ${dataDir} · run 1`);
    expect(first.stdout).toContain('no earlier run here');

    const second = await runDemo(['--provider', 'patch-style'], { OPENKYC_DEMO_DATA_DIR: dataDir });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('· run 2');
    expect(second.stdout).toMatch(/run 1 \(.+\) left 3 customers:/);
    expect(second.stdout).toMatch(/demo-patch-style-happy-1 +patch-style +active/);

    const fresh = await runDemo(['--provider', 'patch-style', '--fresh'], { OPENKYC_DEMO_DATA_DIR: dataDir });
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toContain('· run 1');
    expect(fresh.stdout).toContain('no earlier run here');
  });

  it('refuses an unknown provider in KYC_PROVIDER too', async () => {
    const run = await runDemo([], { KYC_PROVIDER: 'nope' });

    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("Unknown provider 'nope'");
  });
});
