import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Customer } from '@openkyc/core';
import { pgliteStore, type SqlStore } from '@openkyc/store-postgres';

/**
 * The demo's durable store: PGlite on disk, under the repo (git-ignored), so a
 * second run finds the first one's customers. The provider simulators start
 * empty on every run, so each run keeps its customers in a schema of its own
 * (`demo_run_<n>`): earlier customers are shown, never polled against
 * providers that no longer know them.
 */
export const DEFAULT_DEMO_DATA_DIR = fileURLToPath(new URL('../.openkyc-demo', import.meta.url));

export interface DemoStore {
  readonly store: SqlStore;
  readonly dataDir: string;
  readonly run: number;
  /** The previous run in this directory and its customers, if there was one. */
  readonly previous: { readonly run: number; readonly startedAt: string; readonly customers: readonly Customer[] } | undefined;
}

interface RunRecord {
  readonly run: number;
  readonly schema: string;
  readonly startedAt: string;
}

export async function openDemoStore(dataDir: string, fresh: boolean): Promise<DemoStore> {
  const dir = resolve(dataDir);
  if (fresh) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const runsFile = join(dir, 'demo-runs.json');
  const runs: RunRecord[] = existsSync(runsFile) ? (JSON.parse(readFileSync(runsFile, 'utf8')) as RunRecord[]) : [];

  const last = runs.at(-1);
  let previous: DemoStore['previous'];
  if (last !== undefined) {
    const earlier = pgliteStore({ dataDir: dir, schema: last.schema });
    try {
      const customers: Customer[] = [];
      for await (const customer of earlier.list()) customers.push(customer);
      previous = { run: last.run, startedAt: last.startedAt, customers };
    } finally {
      await earlier.close();
    }
  }

  const run = (last?.run ?? 0) + 1;
  const schema = `demo_run_${run}`;
  const store = pgliteStore({ dataDir: dir, schema });
  await store.migrate();
  writeFileSync(runsFile, JSON.stringify([...runs, { run, schema, startedAt: new Date().toISOString() }], null, 2));
  return { store, dataDir: dir, run, previous };
}
