import { spread, type Spread } from './stats.js';

/** One timed round: how many operations ran, how long it took, what it cost the client. */
export interface RoundResult {
  readonly ops: number;
  readonly wallMs: number;
  readonly opsPerSec: number;
  /** CPU time of this (the client) process per operation. */
  readonly clientCpuMicrosPerOp: number;
  /** CPU time of the simulator process per operation, when a simulator is involved. */
  readonly serverCpuMicrosPerOp?: number;
  /** Simulator CPU time / wall time during the round (1 = one core saturated). */
  readonly serverUtilisation?: number;
}

export interface AlternatingRounds {
  readonly baseline: RoundResult[];
  readonly subject: RoundResult[];
  /** subject / baseline throughput, per consecutive pair. */
  readonly pairRatios: number[];
}

export interface AlternateOptions {
  readonly warmupPairs: number;
  readonly pairs: number;
  baseline(round: number): Promise<RoundResult>;
  subject(round: number): Promise<RoundResult>;
  log?: (line: string) => void;
}

/** Warm-up pairs (discarded), then baseline, subject, baseline, subject… */
export async function alternate(options: AlternateOptions): Promise<AlternatingRounds> {
  const baseline: RoundResult[] = [];
  const subject: RoundResult[] = [];
  const pairRatios: number[] = [];
  for (let i = 0; i < options.warmupPairs; i++) {
    await options.baseline(-1 - i);
    await options.subject(-1 - i);
  }
  for (let i = 0; i < options.pairs; i++) {
    const b = await options.baseline(i);
    const s = await options.subject(i);
    baseline.push(b);
    subject.push(s);
    pairRatios.push(s.opsPerSec / b.opsPerSec);
    options.log?.(
      `    round ${i + 1}/${options.pairs}: baseline ${fmt(b.opsPerSec)}/s, subject ${fmt(s.opsPerSec)}/s, ratio ${(s.opsPerSec / b.opsPerSec).toFixed(3)}`,
    );
  }
  return { baseline, subject, pairRatios };
}

export interface Timer {
  /** Ends the timed phase. */
  stop(ops: number): Promise<RoundResult>;
}

/** Starts timing wall clock and client CPU (and the simulator's CPU when `serverCpu` is given). */
export async function startTimer(serverCpu?: () => Promise<{ cpuMicros: number; wallMs: number }>): Promise<Timer> {
  const serverBefore = serverCpu === undefined ? undefined : await serverCpu();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  return {
    async stop(ops) {
      const wallMs = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      const serverAfter = serverCpu === undefined ? undefined : await serverCpu();
      const serverMicros = serverBefore && serverAfter ? serverAfter.cpuMicros - serverBefore.cpuMicros : undefined;
      return {
        ops,
        wallMs,
        opsPerSec: (ops / wallMs) * 1000,
        clientCpuMicrosPerOp: (cpu.user + cpu.system) / ops,
        ...(serverMicros === undefined
          ? {}
          : { serverCpuMicrosPerOp: serverMicros / ops, serverUtilisation: serverMicros / 1000 / wallMs }),
      };
    },
  };
}

export interface SummarisedRounds {
  readonly baseline: Spread;
  readonly subject: Spread;
  /** median(subject) / median(baseline) */
  readonly ratio: number;
  readonly pairRatios: Spread;
  readonly baselineClientCpuMicrosPerOp: number;
  readonly subjectClientCpuMicrosPerOp: number;
  readonly baselineServerUtilisation?: number;
  readonly subjectServerUtilisation?: number;
  readonly baselineServerCpuMicrosPerOp?: number;
  readonly subjectServerCpuMicrosPerOp?: number;
}

export function summarise(rounds: AlternatingRounds): SummarisedRounds {
  const baseline = spread(rounds.baseline.map((r) => r.opsPerSec));
  const subject = spread(rounds.subject.map((r) => r.opsPerSec));
  const med = (values: (number | undefined)[]): number | undefined => {
    const defined = values.filter((v): v is number => v !== undefined);
    return defined.length === 0 ? undefined : spread(defined).median;
  };
  const bu = med(rounds.baseline.map((r) => r.serverUtilisation));
  const su = med(rounds.subject.map((r) => r.serverUtilisation));
  const bc = med(rounds.baseline.map((r) => r.serverCpuMicrosPerOp));
  const sc = med(rounds.subject.map((r) => r.serverCpuMicrosPerOp));
  return {
    baseline,
    subject,
    ratio: subject.median / baseline.median,
    pairRatios: spread(rounds.pairRatios),
    baselineClientCpuMicrosPerOp: spread(rounds.baseline.map((r) => r.clientCpuMicrosPerOp)).median,
    subjectClientCpuMicrosPerOp: spread(rounds.subject.map((r) => r.clientCpuMicrosPerOp)).median,
    ...(bu === undefined ? {} : { baselineServerUtilisation: bu }),
    ...(su === undefined ? {} : { subjectServerUtilisation: su }),
    ...(bc === undefined ? {} : { baselineServerCpuMicrosPerOp: bc }),
    ...(sc === undefined ? {} : { subjectServerCpuMicrosPerOp: sc }),
  };
}

export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function forEachConcurrent<T>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index]!, index);
    }
  });
  await Promise.all(workers);
}
