import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { fmt } from '../lib/rounds.js';
import { spread } from '../lib/stats.js';
import { judge, type BenchContext, type FigureResult } from '../lib/types.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGES = ['core', 'adapter-technest', 'adapter-patch-style', 'adapter-clients-command', 'testkit'] as const;

/**
 * Figure 6 — import cost: `node -e "require('@openkyc/core')"` against
 * `node -e ""` (spawned alternately, wall time, median of N), and the
 * min+gzip size of each package's own code: its dist ESM entry files bundled
 * with esbuild (relative imports — tsup's shared chunks — followed, every
 * package import left external), minified, then gzip -9.
 */
export async function importCost(ctx: BenchContext): Promise<FigureResult[]> {
  const spawns = ctx.short ? 8 : 30;
  ctx.log(`  [6] import cost: ${spawns} alternating spawns each; package sizes`);
  // Wall time of the spawn; the child also reports its own CPU time (user + system, read at exit),
  // which moves far less than wall time when other work loads the machine.
  const cpu = { empty: [] as number[], core: [] as number[], adapter: [] as number[] };
  const timeOf = async (code: string, cpuInto?: number[]): Promise<number> => {
    const started = performance.now();
    const { stdout } = await run(process.execPath, ['-e', `${code};${REPORT_CPU_AT_EXIT}`], { cwd: ROOT });
    const wall = performance.now() - started;
    cpuInto?.push(Number(stdout) / 1000);
    return wall;
  };
  const requireCore = "require('@openkyc/core')";
  const requireAdapter = "require('@openkyc/adapter-technest')";
  // Warm the file-system cache.
  await timeOf('');
  await timeOf(requireCore);
  await timeOf(requireAdapter);
  const empty: number[] = [];
  const core: number[] = [];
  const adapter: number[] = [];
  for (let i = 0; i < spawns; i++) {
    empty.push(await timeOf('', cpu.empty));
    core.push(await timeOf(requireCore, cpu.core));
    adapter.push(await timeOf(requireAdapter, cpu.adapter));
  }
  const emptyS = spread(empty);
  const coreS = spread(core);
  const adapterS = spread(adapter);
  const pairRatios = spread(core.map((value, i) => value / empty[i]!));

  const sizes = [];
  for (const name of PACKAGES) sizes.push(await packageSize(name));
  const sizeLine = sizes
    .map(
      (size) =>
        `${size.name} ${fmt(size.minGzipBytes / 1024)} KiB (min ${fmt(size.minBytes / 1024)} KiB, dist ESM ${fmt(size.distBytes / 1024)} KiB; ` +
        `per entry ${size.perEntry.map((entry) => `${entry.entry} ${fmt(entry.minGzipBytes / 1024)} KiB`).join(', ')})`,
    )
    .join('; ');

  // Added time per pair (the spawn right before it), so a load spike hits both sides of a difference.
  const coreAdded = spread(core.map((value, i) => value - empty[i]!));
  const adapterAdded = spread(adapter.map((value, i) => value - empty[i]!));
  const coreTarget = { op: '<=' as const, value: CORE_IMPORT_TARGET_MS, label: `≤ ${CORE_IMPORT_TARGET_MS} ms` };
  const adapterTarget = { op: '<=' as const, value: ADAPTER_IMPORT_TARGET_MS, label: `≤ ${ADAPTER_IMPORT_TARGET_MS} ms` };
  const addedCore = coreS.median - emptyS.median;
  const addedAdapter = adapterS.median - emptyS.median;
  const cpuMedian = { empty: spread(cpu.empty).median, core: spread(cpu.core).median, adapter: spread(cpu.adapter).median };
  const cpuNote =
    `CPU time per spawn (user + system, median): node -e "" ${fmt(cpuMedian.empty)} ms, core ${fmt(cpuMedian.core)} ms ` +
    `(+${fmt(cpuMedian.core - cpuMedian.empty)}), adapter-technest ${fmt(cpuMedian.adapter)} ms (+${fmt(cpuMedian.adapter - cpuMedian.empty)})`;

  return [
    {
      id: 'import-cost',
      title: "6. Import cost: added ms, require('@openkyc/core')",
      baselineLabel: 'node -e ""',
      subjectLabel: "require('@openkyc/core')",
      unit: 'ms',
      baseline: emptyS,
      subject: coreS,
      value: addedCore,
      valueLabel: `+${fmt(addedCore)} ms (${(coreS.median / emptyS.median).toFixed(2)}×)`,
      valueSpread: { min: coreAdded.min, max: coreAdded.max },
      target: coreTarget,
      pass: judge(addedCore, coreTarget),
      notes: [
        `median of each side, then the difference; the spread is the min–max of the per-pair differences`,
        cpuNote,
        `own code, min+gzip -9 (esbuild, externals excluded): ${sizeLine}`,
      ],
      raw: { empty, core, adapter, cpu, sizes },
    },
    {
      id: 'import-cost-adapter',
      title: "6b. Import cost: added ms, require('@openkyc/adapter-technest') (core included)",
      baselineLabel: 'node -e ""',
      subjectLabel: "require('@openkyc/adapter-technest')",
      unit: 'ms',
      baseline: emptyS,
      subject: adapterS,
      value: addedAdapter,
      valueLabel: `+${fmt(addedAdapter)} ms (${(adapterS.median / emptyS.median).toFixed(2)}×)`,
      valueSpread: { min: adapterAdded.min, max: adapterAdded.max },
      target: adapterTarget,
      pass: judge(addedAdapter, adapterTarget),
      notes: ['the same spawns as 6, alternating: empty, core, adapter'],
      raw: {},
    },
  ];
}

/** Appended to each child's code: prints the child's CPU time in µs when it exits. */
const REPORT_CPU_AT_EXIT = "process.on('exit',()=>{const u=process.cpuUsage();process.stdout.write(String(u.user+u.system))})";

/** Targets of issue 16: added wall time of the first `require`, on top of `node -e ""`. */
const CORE_IMPORT_TARGET_MS = 40;
const ADAPTER_IMPORT_TARGET_MS = 60;

/** A package's own code: its ESM entry points (and the chunks they import), bundled, minified, gzipped. */
async function packageSize(name: string): Promise<{ name: string; perEntry: { entry: string; minGzipBytes: number }[]; entries: string[]; distBytes: number; minBytes: number; minGzipBytes: number }> {
  const dir = join(ROOT, 'packages', name);
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
    exports: Record<string, { import?: { default?: string } } | string>;
  };
  const entries = Object.values(manifest.exports)
    .map((target) => (typeof target === 'string' ? undefined : target.import?.default))
    .filter((entry): entry is string => entry !== undefined)
    .map((entry) => join(dir, entry));
  const require = createRequire(import.meta.url);
  const esbuild = (await import(require.resolve('esbuild', { paths: [dirname(require.resolve('tsup/package.json'))] }))) as typeof import('esbuild');
  // Every bare import is external. (Not `packages: 'external'` alone: esbuild would first apply the
  // packages' tsconfig `paths`, which point @openkyc/* at the sources, and bundle core into adapters.)
  const externalBare: import('esbuild').Plugin = {
    name: 'external-bare-imports',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => (args.kind === 'entry-point' ? undefined : { path: args.path, external: true }));
    },
  };
  const common: import('esbuild').BuildOptions & { write: false; metafile: true } = {
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    metafile: true,
    logLevel: 'silent',
    plugins: [externalBare],
  };
  // One virtual entry re-exporting every public entry point, so shared chunks count once.
  const stdin = { contents: entries.map((entry, i) => `export * as e${i} from ${JSON.stringify(entry)};`).join('\n'), resolveDir: dir, loader: 'js' as const };
  const plain = await esbuild.build({ ...common, stdin, minify: false });
  const minified = await esbuild.build({ ...common, stdin, minify: true });
  const min = minified.outputFiles[0]!.contents;
  const distBytes = Object.entries(plain.metafile.inputs)
    .filter(([path]) => !path.startsWith('<stdin>'))
    .reduce((sum, [, input]) => sum + input.bytes, 0);
  const perEntry = [];
  for (const entry of entries) {
    const one = await esbuild.build({ ...common, entryPoints: [entry], minify: true });
    perEntry.push({ entry: entry.slice(dir.length + 1), minGzipBytes: gzipSync(one.outputFiles[0]!.contents, { level: 9 }).length });
  }
  return {
    name,
    perEntry,
    entries: entries.map((entry) => entry.slice(dir.length + 1)),
    distBytes,
    minBytes: min.length,
    minGzipBytes: gzipSync(min, { level: 9 }).length,
  };
}
