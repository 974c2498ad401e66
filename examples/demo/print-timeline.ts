import type { Customer, KycEvent } from '@openkyc/core';
import type { JournalEntry } from './demo-journal.js';

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/** ANSI styling, or none (when `NO_COLOR` is set or the output is not a terminal). */
export function createStyle(color: boolean): Style {
  const wrap = (open: number, close: number) => (text: string) => (color ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return { bold: wrap(1, 22), dim: wrap(2, 22), green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}

/**
 * One customer's story: what the demo did (▸), each normalized event (time
 * since the customer was created, provider, from → to, source, type), the
 * requirements and the end-user-safe rejection message, and what the platform
 * told the end-user (✉). Only the platform's reference and statuses are shown:
 * never names, e-mails, document numbers or the provider's raw reason.
 */
export function formatTimeline(title: string, customer: Customer | undefined, entries: readonly JournalEntry[], style: Style): string[] {
  const lines: string[] = [];
  const reference = customer === undefined ? '' : style.dim(` · ${customer.reference}`);
  lines.push(style.bold(title) + reference);
  const start = entries.map(entryTime).reduce((min, at) => Math.min(min, at), Number.POSITIVE_INFINITY);
  for (const entry of entries) {
    const time = style.dim(elapsed(entryTime(entry) - start));
    switch (entry.kind) {
      case 'step':
        lines.push(`  ${time}  ${style.dim(`▸ ${entry.text}`)}`);
        break;
      case 'notice':
        lines.push(`  ${' '.repeat(9)}      ${style.yellow(`✉ to the customer: ${entry.text}`)}`);
        break;
      case 'event':
        lines.push(`  ${time}  ${formatEvent(entry.event, style)}`);
        for (const detail of eventDetails(entry.event)) lines.push(`  ${' '.repeat(9)}      ${detail}`);
        break;
    }
  }
  return lines;
}

function formatEvent(event: KycEvent, style: Style): string {
  const from = (event.from ?? '—').padEnd(10);
  const to = event.to.padEnd(10);
  const colored = event.type === 'customer.rejected' ? style.red(to) : event.to === 'verified' || event.to === 'active' ? style.green(to) : style.cyan(to);
  return `${event.provider.padEnd(16)} ${from} → ${colored} ${event.source.padEnd(8)} ${style.dim(event.type)}`;
}

function eventDetails(event: KycEvent): string[] {
  switch (event.type) {
    case 'customer.needs_info':
      return [`requirements: ${event.requirements.map((requirement) => `${requirement.kind} '${requirement.name}'`).join(', ')}`];
    case 'customer.rejected':
      return [`rejection: ${event.rejection.code}, ${event.rejection.retryable ? 'retryable' : 'not retryable'}`];
    case 'customer.verified':
      return event.verificationLevel === undefined ? [] : [`verification level ${event.verificationLevel}`];
    default:
      return [];
  }
}

function entryTime(entry: JournalEntry): number {
  return entry.kind === 'event' ? Date.parse(entry.event.at) : entry.at.getTime();
}

/** `+H:MM:SS` since the customer's first entry. */
function elapsed(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return `+${hours}:${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

export interface SummaryRow {
  readonly provider: string;
  readonly scenario: string;
  /** `undefined` when the scenario does not apply to the provider. */
  readonly final?: string;
  readonly expected?: string;
  readonly ok?: boolean;
  readonly events?: number;
  /** Why it failed, or why it does not apply. */
  readonly notes: readonly string[];
}

export function formatSummary(rows: readonly SummaryRow[], style: Style): string[] {
  const header = ['provider', 'scenario', 'final', 'expected', 'ok', 'events'];
  const cells = rows.map((row) => [
    row.provider,
    row.scenario,
    row.final ?? '—',
    row.expected ?? '—',
    row.ok === undefined ? 'n/a' : row.ok ? '✓' : '✗',
    row.events === undefined ? '—' : String(row.events),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((row) => row[column]!.length)));
  const line = (values: readonly string[]) => values.map((value, column) => value.padEnd(widths[column]!)).join('  ').trimEnd();
  const lines = [style.bold(line(header)), style.dim(widths.map((width) => '─'.repeat(width)).join('  '))];
  rows.forEach((row, index) => {
    const text = line(cells[index]!);
    lines.push(row.ok === undefined ? style.dim(text) : row.ok ? text : style.red(text));
    for (const note of row.notes) lines.push(style.dim(`    ${row.ok === false ? '✗ ' : ''}${note}`));
  });
  return lines;
}
