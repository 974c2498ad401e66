import type { ListWrite } from './child-list-cache.js';
import { CUSTOMER_COLUMNS, EVENT_COLUMNS } from './customer-rows.js';

/** What a commit writes besides the customer row; each combination is its own prepared statement. */
export interface CommitShape {
  /** A new customer (INSERT) or a change (version-checked UPDATE). */
  readonly insert: boolean;
  /** Child tables written (their lists changed, or are not known to be unchanged); `rewrite` also deletes rows past the list. */
  readonly attempts: ListWrite;
  readonly requirements: ListWrite;
  readonly ignored: ListWrite;
  /** Events appended, and the requirements of its needs_info events. */
  readonly events: number;
  readonly eventRequirements: number;
  /** A dedupe key recorded. */
  readonly dedupe: boolean;
}

/** The key a statement of this shape is cached under. */
export function shapeKey(shape: CommitShape): string {
  const list = (write: ListWrite, letter: string): string => (write === false ? '' : write === 'upsert' ? letter : letter.toUpperCase());
  return `${shape.insert ? 'i' : 'u'}${list(shape.attempts, 'a')}${list(shape.requirements, 'r')}${list(shape.ignored, 'g')}e${shape.events}q${shape.eventRequirements}${shape.dedupe ? 'd' : ''}`;
}

/**
 * One commit as one statement (data-modifying CTEs: one round trip, atomic on its own), holding only the
 * writes this shape needs, so the database plans and runs nothing idle. Parameters, in the order
 * `runCommit` builds them: customer id, expected version, the customer's columns, its reconcile due time; for each child table
 * written its columns as arrays; each event's columns; each event requirement's columns; the dedupe provider
 * and key. Every write after `changed` happens only when the customer row was written; a unique violation
 * anywhere undoes all. The statement answers `written` (1 or 0).
 */
export function commitStatement(s: string, shape: CommitShape): string {
  let count = 0;
  const param = (type: string): string => `$${++count}::${type}`;
  const id = param('text');
  const expected = param('integer');
  const customer = [...CUSTOMER_COLUMNS, ['reconcile_due_at', 'timestamptz'] as const].map(([column, type]) => ({ column, value: param(type) }));
  const provider = customer.find(({ column }) => column === 'provider')!.value;
  const ctes: string[] = [];
  ctes.push(
    shape.insert
      ? `changed AS (
      INSERT INTO ${s}.customers (id, ${customer.map(({ column }) => column).join(', ')})
      SELECT ${id}, ${customer.map(({ value }) => value).join(', ')} WHERE ${expected} = 0
      ON CONFLICT (id) DO NOTHING
      RETURNING id)`
      : `changed AS (
      UPDATE ${s}.customers SET ${customer.map(({ column, value }) => `${column} = ${value}`).join(', ')}
       WHERE id = ${id} AND version = ${expected}
      RETURNING id)`,
  );
  if (shape.attempts) ctes.push(...childTable(s, 'attempts', ATTEMPT_COLUMNS, 'given', shape.attempts, param, provider));
  if (shape.requirements) ctes.push(...childTable(s, 'customer_requirements', REQUIREMENT_COLUMNS, 'ordinal', shape.requirements, param));
  if (shape.ignored) ctes.push(...childTable(s, 'ignored_reports', IGNORED_COLUMNS, 'ordinal', shape.ignored, param));
  if (shape.events > 0) {
    const names = EVENT_COLUMNS.map(([column]) => column);
    const rows = Array.from({ length: shape.events }, (_, i) => `(${i + 1}, ${EVENT_COLUMNS.map(([, type]) => param(type)).join(', ')})`);
    ctes.push(`events_added AS (
      INSERT INTO ${s}.events (customer_id, ${names.join(', ')})
      SELECT changed.id, ${names.map((name) => `x.${name}`).join(', ')}
        FROM changed, (VALUES ${rows.join(', ')}) AS x(ordinal, ${names.join(', ')})
       ORDER BY x.ordinal
      RETURNING position, id)`);
  }
  if (shape.eventRequirements > 0) {
    const rows = Array.from({ length: shape.eventRequirements }, () => `(${['text', 'integer', 'text', 'text', 'text', 'text'].map(param).join(', ')})`);
    ctes.push(`event_requirements_added AS (
      INSERT INTO ${s}.event_requirements (event_position, number, kind, name, message, provider_code)
      SELECT e.position, x.number, x.kind, x.name, x.message, x.provider_code
        FROM (VALUES ${rows.join(', ')}) AS x(event_id, number, kind, name, message, provider_code)
        JOIN events_added e ON e.id = x.event_id)`);
  }
  if (shape.dedupe) {
    ctes.push(`delivery AS (
      INSERT INTO ${s}.processed_deliveries (provider, dedupe_key, customer_id)
      SELECT ${param('text')}, ${param('text')}, changed.id FROM changed)`);
  }
  return `WITH ${ctes.join(',\n    ')}\n    SELECT count(*)::int AS written FROM changed`;
}

const ATTEMPT_COLUMNS = [
  ['number', 'integer'],
  ['provider_customer_id', 'text'],
  ['provider_reference', 'text'],
  ['status', 'text'],
  ['raw_status', 'text'],
  ['started_at', 'timestamptz'],
] as const;
const REQUIREMENT_COLUMNS = [
  ['kind', 'text'],
  ['name', 'text'],
  ['message', 'text'],
  ['provider_code', 'text'],
] as const;
const IGNORED_COLUMNS = [
  ['at', 'timestamptz'],
  ['source', 'text'],
  ['status', 'text'],
  ['raw_status', 'text'],
  ['occurred_at', 'timestamptz'],
  ['reason', 'text'],
] as const;

/**
 * A child list written from arrays: its rows upserted and, for `rewrite`, the rows past the new list deleted
 * (never a delete and an insert of one key in one statement). `given`: the list carries its numbers
 * (attempts); `ordinal`: numbered by position from 1.
 */
function childTable(
  s: string,
  table: string,
  columns: readonly (readonly [string, string])[],
  numbered: 'given' | 'ordinal',
  write: 'upsert' | 'rewrite',
  param: (type: string) => string,
  provider?: string,
): string[] {
  const arrays = columns.map(([column, type]) => ({ column, value: param(`${type}[]`) }));
  const names = arrays.map(({ column }) => column);
  const inserted = numbered === 'given' ? names : [...names, 'number'];
  const kept = numbered === 'given' ? `<> ALL(${arrays[0]!.value})` : `> cardinality(${arrays[0]!.value})`;
  const withProvider = provider === undefined ? [] : ['provider'];
  return [
    ...(write === 'rewrite' ? [`${table}_dropped AS (
      DELETE FROM ${s}.${table} t USING changed WHERE t.customer_id = changed.id AND t.number ${kept})`] : []),
    `${table}_written AS (
      INSERT INTO ${s}.${table} (customer_id, ${[...withProvider, ...inserted].join(', ')})
      SELECT changed.id, ${[...(provider === undefined ? [] : [provider]), ...inserted.map((name) => `x.${name}`)].join(', ')}
        FROM changed, unnest(${arrays.map(({ value }) => value).join(', ')})${numbered === 'ordinal' ? ' WITH ORDINALITY' : ''} AS x(${inserted.join(', ')})
      ON CONFLICT (customer_id, number) DO UPDATE SET ${[...withProvider, ...inserted]
        .filter((name) => name !== 'number')
        .map((name) => `${name} = excluded.${name}`)
        .join(', ')})`,
  ];
}
