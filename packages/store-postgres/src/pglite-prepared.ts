import { parse, protocol, type PGlite } from '@electric-sql/pglite';
import { createHash } from 'node:crypto';

/**
 * Named prepared statements on PGlite. `PGlite.query` parses, analyses and plans
 * its statement on every call (an unnamed statement, plus a describe round to
 * learn the parameter types); in its single-threaded WebAssembly engine that
 * planning costs more than running the store's statements. Here a statement is
 * parsed and described once per database (parameter types and result columns)
 * and then run as Bind + Execute + Sync in one protocol exchange, which lets
 * Postgres reuse its plan
 * (as node-postgres named statements do on a server). Calls take PGlite's own
 * locks, so they queue with everything else on the database, transactions
 * included.
 */
export function preparedStatements(db: PGlite): (text: string, params: readonly unknown[]) => Promise<Record<string, unknown>[]> {
  const statements = statementsOf(db);
  return (text, params) =>
    db._runExclusiveTransaction(() =>
      db._runExclusiveQuery(async () => {
        for (let attempt = 0; ; attempt++) {
          let statement = statements.get(text);
          if (statement === undefined) {
            statement = await prepare(db, text);
            statements.set(text, statement);
          }
          try {
            const messages = (await db.execProtocol(execute(statement, params, db.serializers))).messages;
            const described = statement.rowDescription === undefined ? messages : [statement.rowDescription, ...messages];
            return parse.parseResults(described, db.parsers)[0]?.rows as Record<string, unknown>[];
          } catch (error) {
            // The application sharing this database deallocated it (DEALLOCATE ALL, DISCARD ALL): prepare again.
            if (attempt > 0 || (error as { code?: unknown }).code !== INVALID_STATEMENT_NAME) throw error;
            statements.delete(text);
          }
        }
      }),
    );
}

interface Statement {
  readonly name: string;
  readonly parameterTypes: readonly number[];
  /** The result's columns, described once with the statement (not again on every execution). */
  readonly rowDescription: BackendMessage | undefined;
}

type BackendMessage = Awaited<ReturnType<PGlite['execProtocol']>>['messages'][number];

const serialize = protocol.serialize;

/** SQLSTATE: no prepared statement of that name. */
const INVALID_STATEMENT_NAME = '26000';

/** Prepared statements live in the database session: one map per PGlite, shared by every store on it. */
const prepared = new WeakMap<PGlite, Map<string, Statement>>();

function statementsOf(db: PGlite): Map<string, Statement> {
  let statements = prepared.get(db);
  if (statements === undefined) prepared.set(db, (statements = new Map()));
  return statements;
}

async function prepare(db: PGlite, text: string): Promise<Statement> {
  const name = `openkyc_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
  // A statement of that name may exist already (another map for this session was dropped): replace it.
  await db.execProtocol(concat([serialize.close({ type: 'S', name }), serialize.sync()]));
  const result = await db.execProtocol(concat([serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]));
  return {
    name,
    parameterTypes: parse.parseDescribeStatementResults(result.messages),
    rowDescription: result.messages.find((message) => message.name === 'rowDescription'),
  };
}

/** Bind (text parameters, serialized by PGlite's own serializers, text results) + Execute + Sync. */
function execute(statement: Statement, params: readonly unknown[], serializers: PGlite['serializers']): Uint8Array {
  const values = params.map((param, i) => {
    if (param === null || param === undefined) return null;
    const serializer = serializers[statement.parameterTypes[i]!];
    return serializer === undefined ? String(param) : (serializer(param) as string);
  });
  return concat([serialize.bind({ statement: statement.name, values }), serialize.execute({}), serialize.sync()]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((length, part) => length + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  return joined;
}
