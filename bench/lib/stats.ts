/** Small, dependency-free statistics for benchmark rounds. */

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Interquartile range (linear interpolation between closest ranks). */
  readonly q1: number;
  readonly q3: number;
  readonly n: number;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const a = sorted[lower]!;
  const b = sorted[upper]!;
  return a + (b - a) * (position - lower);
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    n: sorted.length,
  };
}

export function median(values: readonly number[]): number {
  return spread(values).median;
}
