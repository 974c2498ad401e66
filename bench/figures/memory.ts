import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { fmt } from '../lib/rounds.js';
import { spread } from '../lib/stats.js';
import { judge, type BenchContext, type FigureResult } from '../lib/types.js';

const run = promisify(execFile);

interface ChildResult {
  count: number;
  bytesPerCustomer: number;
  heapBefore: number;
  heapAfter: number;
  events: number;
  eventsPerCustomer: number;
  histogram: Record<string, number>;
  populateMs: number;
}

/**
 * Figure 4 — retained heap per tracked customer in memoryStore (customer +
 * event history, 2–8 events each), after GC, minus the heap before. Each
 * measurement runs in a fresh child process (`memory-child.ts`, --expose-gc).
 */
export async function memoryPerCustomer(ctx: BenchContext): Promise<FigureResult> {
  const count = ctx.customers ?? (ctx.short ? 10_000 : 100_000);
  const runs = ctx.short ? 1 : 3;
  const child = fileURLToPath(new URL('./memory-child.ts', import.meta.url));
  ctx.log(`  [4] memory per customer: ${runs} run(s) × ${count} customers, each in a fresh process`);
  const results: ChildResult[] = [];
  for (let i = 0; i < runs; i++) {
    const { stdout } = await run(process.execPath, [...process.execArgv, '--expose-gc', child, String(count)], {
      maxBuffer: 1 << 20,
    });
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult;
    results.push(result);
    ctx.log(`    run ${i + 1}/${runs}: ${fmt(result.bytesPerCustomer)} bytes/customer (${result.eventsPerCustomer.toFixed(2)} events each, built in ${(result.populateMs / 1000).toFixed(1)} s)`);
  }
  // The figure depends on memoryStore's compact encoding: prove it gives back what was committed.
  const roundTrip = fileURLToPath(new URL('../lib/store-roundtrip.ts', import.meta.url));
  const checked = await run(process.execPath, [...process.execArgv, roundTrip], { maxBuffer: 1 << 20 }).catch((error: { stdout?: string }) => {
    throw new Error(`memoryStore round trip failed:\n${error.stdout ?? String(error)}`);
  });
  const roundTripLine = checked.stdout.trim().split('\n').pop() ?? '';
  ctx.log(`    ${roundTripLine}`);
  const perCustomer = spread(results.map((r) => r.bytesPerCustomer));
  const target = { op: '<=' as const, value: 1024, label: '≤ 1 KiB' };
  return {
    id: 'memory-per-customer',
    title: '4. Memory per tracked customer (memoryStore)',
    baselineLabel: 'heap before the customers',
    subjectLabel: 'retained heap / customer',
    unit: 'bytes',
    baseline: undefined,
    subject: perCustomer,
    value: perCustomer.median,
    valueLabel: `${fmt(perCustomer.median)} B`,
    valueSpread: { min: perCustomer.min, max: perCustomer.max },
    target,
    pass: judge(perCustomer.median, target),
    notes: [
      roundTripLine,
      `${count.toLocaleString('en-US')} customers, ${results[0]!.eventsPerCustomer.toFixed(2)} events each on average (histogram events→customers: ${JSON.stringify(results[0]!.histogram)}); heapUsed after gc(), fresh process per run`,
      `= ${(perCustomer.median / 1024).toFixed(2)} KiB per customer (${((perCustomer.median / 1024) * 100).toFixed(0)} % of the target); webhook dedupe keys are extra (one per delivery, kept forever), not counted here`,
    ],
    raw: { results, count },
  };
}
