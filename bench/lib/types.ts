import type { SimProcess } from './sim-process.js';

export interface BenchContext {
  readonly short: boolean;
  readonly profile: boolean;
  /**
   * `--customers=N`: the population of the figures that have one (2 and 3: customers in the store, 4 and 5:
   * customers tracked), for the scaling table in bench/README.md. Undefined: each figure's own default.
   */
  readonly customers?: number;
  /** `--only=…`: the figure numbers asked for (undefined: all); figures run together may skip the parts not asked for. */
  readonly only?: readonly string[];
  /** Simulator child process, started lazily by the figures that need it. */
  sim(): Promise<SimProcess>;
  log(line: string): void;
  /**
   * Runs the timed phase of a subject round; with `--profile`, the first
   * measured one (round 0) runs under the CPU profiler (and the simulator's,
   * when `withSimulator`), and the top functions are printed.
   */
  timedPhase<T>(name: string, round: number, work: () => Promise<T>, withSimulator?: boolean): Promise<T>;
}

export interface FigureResult {
  readonly id: string;
  readonly title: string;
  /** What the baseline is, in a few words. */
  readonly baselineLabel: string;
  readonly subjectLabel: string;
  readonly unit: string;
  readonly baseline: { median: number; min: number; max: number; q1?: number; q3?: number } | undefined;
  readonly subject: { median: number; min: number; max: number; q1?: number; q3?: number };
  /** The figure judged against the target (a ratio for most, bytes for memory). */
  readonly value: number;
  readonly valueLabel: string;
  /** min–max of the per-pair ratios (or of the value across rounds). */
  readonly valueSpread?: { min: number; max: number };
  readonly target?: { op: '>=' | '<='; value: number; label: string };
  readonly pass?: boolean;
  readonly notes: string[];
  readonly raw: unknown;
}

export function judge(value: number, target: FigureResult['target']): boolean | undefined {
  if (target === undefined) return undefined;
  return target.op === '>=' ? value >= target.value : value <= target.value;
}
