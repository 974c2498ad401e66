/**
 * `npm run bench` — what openkyc costs, as ratios against a floor measured in
 * the same run. See bench/README.md.
 *
 *   npm run bench                      full run (a few minutes)
 *   npm run bench -- --short           quick mode for CI (< 60 s), also BENCH_SHORT=1
 *   npm run bench -- --only=1,4        some figures only (1 adapter, 2 webhooks new, 3 duplicates, 4 memory, 5 reconcile, 6 import,
 *                                      7 durable ingest on PostgreSQL and PGlite: 7–10,
 *                                      11 commit → consumer latency and 12 consumer throughput on PostgreSQL)
 *   npm run bench -- --profile         CPU profiles of the subject side into bench/profiles/
 *   npm run bench -- --customers=N     population of figures 2–5 (the scaling table in bench/README.md)
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { adapterOverhead } from './figures/adapter-overhead.js';
import { importCost } from './figures/import-cost.js';
import { memoryPerCustomer } from './figures/memory.js';
import { reconcileFigure } from './figures/reconcile.js';
import { webhookIngest } from './figures/webhook-ingest.js';
import { durableIngest } from './figures/durable-ingest.js';
import { consumerDelivery } from './figures/consumer-delivery.js';
import { relative } from 'node:path';
import { PROFILE_DIR, profiled } from './lib/profile.js';
import { printTable } from './lib/report.js';
import { startSimProcess, type SimProcess } from './lib/sim-process.js';
import type { BenchContext, FigureResult } from './lib/types.js';

const argv = process.argv.slice(2);
const short = argv.includes('--short') || process.env.BENCH_SHORT === '1' || process.env.BENCH_SHORT === 'true';
const profile = argv.includes('--profile');
const only = argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',')
  .map((part) => part.trim());
const customersArg = argv.find((arg) => arg.startsWith('--customers='))?.slice('--customers='.length);
const customers = customersArg === undefined ? undefined : Number(customersArg);
if (customers !== undefined && (!Number.isSafeInteger(customers) || customers < 1)) throw new Error('--customers=N takes a positive whole number');
const resultsFile = fileURLToPath(new URL('./results.json', import.meta.url));

let simProcess: SimProcess | undefined;
const ctx: BenchContext = {
  short,
  profile,
  ...(customers === undefined ? {} : { customers }),
  ...(only === undefined ? {} : { only }),
  async sim() {
    simProcess ??= await startSimProcess();
    return simProcess;
  },
  log: (line) => console.log(line),
  async timedPhase(name, round, work, withSimulator = false) {
    if (!profile || round !== 0) return work();
    const sim = withSimulator ? await ctx.sim() : undefined;
    await sim?.call('profile.start');
    try {
      return await profiled(`${name}-client`, work, ctx.log);
    } finally {
      if (sim !== undefined) {
        const file = await sim.call<string>('profile.stop', { file: `${PROFILE_DIR}${name}-simulator.cpuprofile` });
        ctx.log(`    simulator profile: ${relative(process.cwd(), file)}`);
      }
    }
  },
};

const figures: { key: string; run: (context: BenchContext) => Promise<FigureResult | FigureResult[]> }[] = [
  { key: '1', run: adapterOverhead },
  { key: '2,3', run: webhookIngest },
  { key: '4', run: memoryPerCustomer },
  { key: '5', run: reconcileFigure },
  { key: '6', run: importCost },
  { key: '7,8,9,10', run: durableIngest },
  { key: '11,12', run: consumerDelivery },
];

async function main(): Promise<void> {
  const started = performance.now();
  const os = await import('node:os');
  const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.availableParallelism()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`;
  const load = (): string => os.loadavg().map((value) => value.toFixed(2)).join(' ');
  console.log(`openkyc benchmarks — ${short ? 'short' : 'full'} mode, node ${process.version}, ${new Date().toISOString()}`);
  console.log(`machine: ${machine}; load average at start ${load()} (other work on the machine moves wall-time figures; CPU-time notes less)`);
  const results: FigureResult[] = [];
  try {
    for (const figure of figures) {
      if (only !== undefined && !figure.key.split(',').some((key) => only.includes(key))) continue;
      const out = await figure.run(ctx);
      results.push(...(Array.isArray(out) ? out : [out]));
    }
  } finally {
    await simProcess?.close();
  }
  const elapsedS = (performance.now() - started) / 1000;
  console.log('');
  printTable(results, (line) => console.log(line));
  console.log(`load average at end ${load()}`);

  await writeFile(
    resultsFile,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
        cpus: (await import('node:os')).cpus().map((cpu) => cpu.model)[0],
        cores: (await import('node:os')).availableParallelism(),
        machine,
        loadAverageAtEnd: os.loadavg(),
        mode: short ? 'short' : 'full',
        elapsedSeconds: Math.round(elapsedS * 10) / 10,
        figures: results.map((result) => ({
          id: result.id,
          title: result.title,
          unit: result.unit,
          baseline: result.baseline === undefined ? undefined : { label: result.baselineLabel, ...result.baseline },
          subject: { label: result.subjectLabel, ...result.subject },
          value: result.value,
          valueLabel: result.valueLabel,
          valueSpread: result.valueSpread,
          target: result.target,
          pass: result.pass,
          notes: result.notes,
          raw: result.raw,
        })),
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nwrote ${resultsFile} (${elapsedS.toFixed(1)} s)`);
}

main().catch(async (error: unknown) => {
  console.error(error);
  await simProcess?.close();
  process.exitCode = 1;
});
