import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { applicationSchema, customerStatusSchema, kycConfigSchema } from '@openkyc/core/schemas';
import { technestOptionsSchema } from '@openkyc/adapter-technest/schemas';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAIN_ENTRIES } from './support/package-entries.js';

/**
 * Import cost (issue 16, bench figure 6): zod costs ~40 ms of startup, so the main entries build
 * their schemas on first use and must not load zod when imported. The `./schemas` entries are the
 * place that does (and prove the checks below can see zod being loaded).
 */
const ENTRIES = MAIN_ENTRIES;
const SCHEMA_ENTRIES = [
  '@openkyc/core/schemas',
  '@openkyc/adapter-technest/schemas',
  '@openkyc/adapter-patch-style/schemas',
  '@openkyc/adapter-clients-command/schemas',
];

const cwd = fileURLToPath(new URL('..', import.meta.url));
const guard = fileURLToPath(new URL('./support/zod-import-guard.mjs', import.meta.url));

describe('importing openkyc does not load zod', () => {
  it.each(ENTRIES)('require(%j) leaves zod unloaded', async (entry) => {
    expect(await zodFilesAfterRequire(entry)).toEqual([]);
  });

  it.each(ENTRIES)('import(%j) leaves zod unloaded', async (entry) => {
    expect(await zodFilesAfterImport(entry)).toEqual([]);
  });

  it.each(SCHEMA_ENTRIES)('%j loads zod (the checks above see it)', async (entry) => {
    expect((await zodFilesAfterRequire(entry)).length).toBeGreaterThan(0);
    // The ES module build loads zod through createRequire, so it shows in require.cache too.
    expect((await zodFilesAfterImport(entry)).length).toBeGreaterThan(0);
  });

  it('the import guard fails an ES import of zod', async () => {
    await expect(zodFilesAfterImport('zod')).rejects.toThrow(/zod loaded at import: zod/);
  });

  it('validates without zod loaded up front, loading it on first use', async () => {
    const script = `
      const core = require('@openkyc/core');
      const zodLoaded = () => Object.keys(require.cache).some((file) => file.includes('/node_modules/zod/'));
      const before = zodLoaded();
      const options = core.fromConfig({ providers: { stub: {} } }, { stub: () => ({ id: 'stub' }) });
      console.log(JSON.stringify({ before, after: zodLoaded(), providers: options.providers.length }));
    `;
    const { stdout } = await run(['-e', script]);
    expect(JSON.parse(stdout)).toEqual({ before: false, after: true, providers: 1 });
  });
});

describe('the ./schemas entries', () => {
  it("hand out zod schemas that compose into the application's own zod (its ES copy)", () => {
    const body = z.object({ status: customerStatusSchema, application: applicationSchema });
    expect(applicationSchema).toBeInstanceOf(z.ZodObject);
    expect(body.shape.status.parse('verified')).toBe('verified');
    const result = body.safeParse({ status: 'approved', application: {} });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['status', 'application.person', 'application.address', 'application.documents']);
    expect(z.toJSONSchema(z.object({ status: customerStatusSchema })).properties?.status).toEqual({
      type: 'string',
      enum: ['created', 'pending', 'needs_info', 'verified', 'active', 'rejected', 'deactivated'],
    });
  });

  it('validate as the packages do (strict options, config shape)', () => {
    expect(technestOptionsSchema.safeParse({ baseUrl: 'https://api.technest.example', clientId: 'a', clientSecret: 'b', webhookSecret: 'c', extra: 1 }).success).toBe(false);
    expect(kycConfigSchema.safeParse({ providers: { technest: {} } }).success).toBe(true);
    expect(kycConfigSchema.safeParse({ providers: [] }).success).toBe(false);
  });
});

async function zodFilesAfterRequire(entry: string): Promise<string[]> {
  const script = `require(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(require.cache).filter((file) => file.includes('/node_modules/zod/'))));`;
  const { stdout } = await run(['-e', script]);
  return JSON.parse(stdout) as string[];
}

/** zod files in require.cache after an ES import; an ES import of zod itself fails (see the guard). */
async function zodFilesAfterImport(entry: string): Promise<string[]> {
  const script = `
    import { createRequire } from 'node:module';
    await import(${JSON.stringify(entry)});
    const cache = createRequire(import.meta.url).cache;
    console.log(JSON.stringify(Object.keys(cache).filter((file) => file.includes('/node_modules/zod/'))));
  `;
  const { stdout } = await run(['--import', guard, '--input-type=module', '-e', script]);
  return JSON.parse(stdout) as string[];
}

function run(args: string[]): Promise<{ stdout: string }> {
  return promisify(execFile)(process.execPath, args, { cwd });
}
