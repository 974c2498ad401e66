import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A suite that passes against a broken adapter is a bug in the suite. This runs
 * the conformance suite (in a child vitest) against deliberately broken Technest
 * adapters and asserts that the scenarios guarding each fault fail.
 */
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

interface AssertionResult {
  readonly fullName: string;
  readonly status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo';
}

let results: Map<string, AssertionResult[]>;
let workDir: string;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'openkyc-teeth-'));
  const outputFile = join(workDir, 'results.json');
  const run = spawnSync(
    process.execPath,
    [
      join(packageRoot, '../../node_modules/vitest/vitest.mjs'),
      'run',
      '--config',
      'vitest.teeth.config.ts',
      '--reporter=json',
      `--outputFile=${outputFile}`,
    ],
    { cwd: packageRoot, encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 240_000 },
  );
  expect(run.status, `the suite must fail against broken adapters\n${run.stderr.slice(-2000)}`).toBe(1);
  const report = JSON.parse(readFileSync(outputFile, 'utf8')) as {
    testResults: { name: string; assertionResults: AssertionResult[] }[];
  };
  results = new Map(report.testResults.map((file) => [file.name.split('/').pop()!.replace('.conformance.ts', ''), file.assertionResults]));
}, 250_000);

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

const failed = (variant: string) => (results.get(variant) ?? []).filter((r) => r.status === 'failed').map((r) => r.fullName);

describe('the conformance suite has teeth', () => {
  it('catches a wrong status mapping', () => {
    expect(failed('status-mapping')).toEqual(
      expect.arrayContaining([expect.stringMatching(/happy path/), expect.stringMatching(/rejection carries a friendly message/)]),
    );
  });

  it('catches missing webhook dedupe', () => {
    expect(failed('no-dedupe')).toEqual(expect.arrayContaining([expect.stringMatching(/repeated 5 times/)]));
  });

  it('catches the bearer token sent to the pre-signed upload URL', () => {
    expect(failed('leaks-bearer')).toEqual(expect.arrayContaining([expect.stringMatching(/happy path/)]));
  });

  it('catches webhooks accepted without checking the signature', () => {
    expect(failed('unchecked-signature')).toEqual(expect.arrayContaining([expect.stringMatching(/bad signature/)]));
  });

  it("catches an adapter whose own submit sends malformed identifiers and document numbers instead of refusing them", () => {
    expect(failed('unchecked-input')).toEqual(expect.arrayContaining([expect.stringMatching(/refused by the adapter's own submit/)]));
  });

  it('ran every variant', () => {
    expect([...results.keys()].sort()).toEqual(['leaks-bearer', 'no-dedupe', 'status-mapping', 'unchecked-input', 'unchecked-signature']);
  });
});
