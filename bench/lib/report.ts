import { fmt } from './rounds.js';
import type { FigureResult } from './types.js';

/** Prints the results table, then each figure's notes. */
export function printTable(results: readonly FigureResult[], log: (line: string) => void): void {
  const header = ['figure', 'baseline: median [min–max]', 'openkyc: median [min–max]', 'result [pair spread]', 'target', ''];
  const rows = results.map((result) => [
    result.title,
    result.baseline === undefined ? '—' : `${range(result.baseline)} ${result.unit}`,
    `${range(result.subject)} ${result.unit}`,
    `${result.valueLabel}${result.valueSpread === undefined ? '' : ` [${fmtValue(result, result.valueSpread.min)}–${fmtValue(result, result.valueSpread.max)}]`}`,
    result.target?.label ?? '—',
    result.pass === undefined ? 'info' : result.pass ? 'PASS' : 'MISS',
  ]);
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' │ ');
  log(line(header));
  log(widths.map((w) => '─'.repeat(w)).join('─┼─'));
  for (const row of rows) log(line(row));
  log('');
  for (const result of results) {
    log(`${result.title}: ${result.baselineLabel} vs ${result.subjectLabel}`);
    for (const note of result.notes) log(`  - ${note}`);
  }
}

function range(value: { median: number; min: number; max: number }): string {
  return `${fmt(value.median)} [${fmt(value.min)}–${fmt(value.max)}]`;
}

function fmtValue(result: FigureResult, value: number): string {
  return result.unit === 'bytes' || result.valueLabel.endsWith('B') ? fmt(value) : value.toFixed(3);
}
