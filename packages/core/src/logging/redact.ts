import { silentLogger, type KycLogger } from './logger.js';

/**
 * Redaction for everything openkyc logs or puts in an error message.
 *
 * `redact(value)` returns a deep copy in which
 * - values under sensitive keys (credentials, signatures, dates of birth,
 *   national ids, document numbers, identifier values, file contents…) are
 *   replaced by `'[redacted]'` — whatever their type, nested objects included;
 * - bytes (`Uint8Array`, `Buffer`, `ArrayBuffer`) anywhere become `'[n bytes]'`;
 * - URL query strings inside any string become `?[redacted]` (pre-signed URLs
 *   carry their signature there), and `Bearer …` / `Basic …` credentials in
 *   free text become `Bearer [redacted]`;
 * - cycles become `'[circular]'` and anything deeper than `maxDepth` becomes
 *   `'[truncated]'`, so nothing below the limit leaks either.
 *
 * Keys are compared case-insensitively with `_`, `-` and other separators
 * ignored: `access_token`, `Access-Token` and `accessToken` are the same key.
 */

export const REDACTED = '[redacted]';
const CIRCULAR = '[circular]';
const TRUNCATED = '[truncated]';

export interface RedactOptions {
  /**
   * More keys to redact. A string matches a key exactly after normalisation
   * (case and separators ignored); a RegExp is tested against the raw key.
   */
  extraKeys?: readonly (string | RegExp)[];
  /** Nesting depth after which values are replaced by `'[truncated]'`. Default 12. */
  maxDepth?: number;
}

/** Keys whose value is redacted wherever they appear (normalised: lower case, letters and digits only). */
const EXACT_KEYS = new Set([
  'authorization',
  'proxyauthorization',
  'auth',
  'cookie',
  'setcookie',
  'dob',
  'birthdate',
  'birthday',
  'dateofbirth',
  'ssn',
  'itin',
  'tin',
  'taxid',
  'taxidnumber',
  'taxnumber',
  'nationalid',
  'documentnumber',
  'documentkey',
  'passportnumber',
  'idnumber',
  'value',
  'content',
  'contents',
  'bytes',
  'base64',
  'pin',
]);

/** Fragments that make any key containing them sensitive. */
const KEY_FRAGMENTS = [
  'authorization',
  'cookie',
  'token',
  'secret',
  'password',
  'passwd',
  'passphrase',
  'apikey',
  'signature',
  'credential',
  'privatekey',
  'dateofbirth',
  'nationalid',
  'documentnumber',
  'passportnumber',
];

/** Keys containing a fragment that are nonetheless harmless and useful in logs. */
const SAFE_KEYS = new Set(['tokentype']);

/** Under a key containing one of these, `number` and `key` are document data. */
const DOCUMENT_CONTEXT_FRAGMENTS = ['document', 'identifier'];
const DOCUMENT_CONTEXT_KEYS = new Set(['number', 'key']);
/** A list of plain strings under a key containing this is a list of identifier values. */
const IDENTIFIER_LIST_FRAGMENT = 'identifier';

export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

interface Context {
  readonly extraExact: ReadonlySet<string>;
  readonly extraPatterns: readonly RegExp[];
  readonly maxDepth: number;
  readonly ancestors: Set<object>;
}

function isSensitiveKey(key: string, ctx: Context, inDocument: boolean): boolean {
  const normalized = normalizeKey(key);
  if (ctx.extraExact.has(normalized)) return true;
  for (const pattern of ctx.extraPatterns) {
    pattern.lastIndex = 0;
    if (pattern.test(key)) return true;
  }
  if (SAFE_KEYS.has(normalized)) return false;
  if (EXACT_KEYS.has(normalized)) return true;
  if (inDocument && DOCUMENT_CONTEXT_KEYS.has(normalized)) return true;
  return KEY_FRAGMENTS.some((fragment) => normalized.includes(fragment));
}

function isDocumentContextKey(key: string): boolean {
  const normalized = normalizeKey(key);
  return DOCUMENT_CONTEXT_FRAGMENTS.some((fragment) => normalized.includes(fragment));
}

// Absolute URLs followed by a query string or fragment. The path runs to
// whitespace or `?`/`#`; the query runs to whitespace or a character that a
// serialised URL always percent-encodes there (`"`, `<`, `>`), so quotes and
// XML around a URL survive while everything that may belong to the query goes.
const URL_QUERY = /\b([a-z][a-z0-9+.-]*:\/\/[^\s?#]*)([?#])[^\s"<>]*/gi;
// A bare path with a query string: '/v1/customers?customer_reference=…'.
const PATH_WITH_QUERY = /^(\/[^\s?#]*)([?#])[^\s"<>]*/;
// Credentials written inline, e.g. in an echoed header or an error message.
const INLINE_BEARER = /\bBearer\s+[A-Za-z0-9._~+/=-]+/g;
const INLINE_BASIC = /\bBasic\s+([A-Za-z0-9+/]{4,}={0,2})(?![A-Za-z0-9+/=])/g;

/** Removes URL query strings and inline credentials from free text. */
export function redactString(text: string): string {
  let out = text;
  if (out.includes('?') || out.includes('#')) {
    out = out.replace(URL_QUERY, `$1$2${REDACTED}`);
    if (out.startsWith('/')) out = out.replace(PATH_WITH_QUERY, `$1$2${REDACTED}`);
  }
  if (out.includes('Bearer')) out = out.replace(INLINE_BEARER, `Bearer ${REDACTED}`);
  if (out.includes('Basic')) {
    // Only what looks like base64 credentials, not the English word followed by text.
    out = out.replace(INLINE_BASIC, (match, token: string) =>
      /[0-9+/=]/.test(token) || token.length >= 16 ? `Basic ${REDACTED}` : match,
    );
  }
  return out;
}

/** A URL or path with its query string and fragment removed: safe to log. */
export function stripQuery(url: string | URL): string {
  const text = typeof url === 'string' ? url : url.href;
  const cut = text.search(/[?#]/);
  return cut === -1 ? text : text.slice(0, cut);
}

function byteLength(value: unknown): number | undefined {
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  return undefined;
}

function bytesLabel(length: number): string {
  return `[${length} bytes]`;
}

/** What replaces a value found under a sensitive key. */
function replacement(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  const length = byteLength(value);
  if (length !== undefined) return bytesLabel(length);
  return REDACTED;
}

function redactValue(value: unknown, ctx: Context, depth: number, inDocument: boolean): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function') return '[function]';
    if (typeof value === 'symbol') return value.toString();
    return value;
  }

  const length = byteLength(value);
  if (length !== undefined) return bytesLabel(length);
  if (depth >= ctx.maxDepth) return TRUNCATED;
  if (ctx.ancestors.has(value)) return CIRCULAR;

  ctx.ancestors.add(value);
  try {
    return redactObject(value, ctx, depth, inDocument);
  } finally {
    ctx.ancestors.delete(value);
  }
}

function redactObject(value: object, ctx: Context, depth: number, inDocument: boolean): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof URL) return redactString(value.href);
  if (value instanceof URLSearchParams) return REDACTED;
  if (value instanceof RegExp) return value.toString();

  if (Array.isArray(value)) {
    return value.map((item) => redactValue(item, ctx, depth + 1, inDocument));
  }

  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of value) {
      assignEntry(out, String(key), item, ctx, depth, inDocument);
    }
    return out;
  }

  if (value instanceof Set) {
    return [...value].map((item) => redactValue(item, ctx, depth + 1, inDocument));
  }

  if (value instanceof Error) return redactError(value, ctx, depth, inDocument);

  if (isHeadersLike(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of value.entries()) assignEntry(out, key, item, ctx, depth, inDocument);
    return out;
  }

  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      let json: unknown;
      try {
        json = toJSON.call(value);
      } catch {
        return REDACTED;
      }
      // A toJSON result is a new value; guard against toJSON returning `this`.
      if (json !== value) return redactValue(json, ctx, depth, inDocument);
    }
  }

  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    let item: unknown;
    try {
      item = (value as Record<string, unknown>)[key];
    } catch {
      item = '[unreadable]';
    }
    assignEntry(out, key, item, ctx, depth, inDocument);
  }
  return out;
}

function assignEntry(
  out: Record<string, unknown>,
  key: string,
  item: unknown,
  ctx: Context,
  depth: number,
  inDocument: boolean,
): void {
  let redacted: unknown;
  if (isSensitiveKey(key, ctx, inDocument)) {
    redacted = replacement(item);
  } else if (Array.isArray(item) && normalizeKey(key).includes(IDENTIFIER_LIST_FRAGMENT)) {
    // `identifiers: ['123-45-6789', …]`: the strings are the identifiers themselves.
    redacted = redactValue(
      item.map((entry: unknown) => (typeof entry === 'string' || typeof entry === 'number' ? REDACTED : entry)),
      ctx,
      depth + 1,
      true,
    );
  } else {
    redacted = redactValue(item, ctx, depth + 1, inDocument || isDocumentContextKey(key));
  }
  // defineProperty so a key named `__proto__` stays a plain own property.
  Object.defineProperty(out, key, { value: redacted, enumerable: true, writable: true, configurable: true });
}

function redactError(error: Error, ctx: Context, depth: number, inDocument: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: error.name,
    message: redactString(error.message),
  };
  for (const key of Object.keys(error)) {
    if (key === 'name' || key === 'message' || key === 'stack' || key === 'cause') continue;
    assignEntry(out, key, (error as unknown as Record<string, unknown>)[key], ctx, depth, inDocument);
  }
  const code = (error as { code?: unknown }).code;
  if (code !== undefined && !('code' in out)) out.code = redactValue(code, ctx, depth + 1, inDocument);
  if (error.cause !== undefined) out.cause = redactValue(error.cause, ctx, depth + 1, inDocument);
  if (error instanceof AggregateError) out.errors = redactValue(error.errors, ctx, depth + 1, inDocument);
  if (typeof error.stack === 'string') out.stack = redactString(error.stack);
  return out;
}

function isHeadersLike(value: object): value is { entries(): IterableIterator<[string, string]> } {
  const tag = Object.prototype.toString.call(value);
  return (
    (tag === '[object Headers]' || tag === '[object HeadersList]') &&
    typeof (value as { entries?: unknown }).entries === 'function'
  );
}

function createContext(options: RedactOptions): Context {
  const extraExact = new Set<string>();
  const extraPatterns: RegExp[] = [];
  for (const key of options.extraKeys ?? []) {
    if (typeof key === 'string') extraExact.add(normalizeKey(key));
    else extraPatterns.push(key);
  }
  return { extraExact, extraPatterns, maxDepth: options.maxDepth ?? 12, ancestors: new Set() };
}

/** Deep copy of `value` with sensitive data replaced; never mutates its input. */
export function redact(value: Record<string, unknown>, options?: RedactOptions): Record<string, unknown>;
export function redact(value: unknown, options?: RedactOptions): unknown;
export function redact(value: unknown, options: RedactOptions = {}): unknown {
  return redactValue(value, createContext(options), 0, false);
}

const WRAPPED = Symbol.for('openkyc.redactingLogger');

/**
 * What wrapping `silentLogger` gives: nothing is written, so nothing is redacted
 * (redaction is a deep copy of every line: real work per HTTP request for a
 * logger that drops it).
 */
const SILENT_WRAPPED: KycLogger = Object.freeze(
  Object.defineProperty({ ...silentLogger, child: () => SILENT_WRAPPED }, WRAPPED, { value: true }) as KycLogger,
);

/** True for the silent logger (wrapped or not): skip building lines nobody reads. */
export function isSilent(logger: KycLogger): boolean {
  return logger === SILENT_WRAPPED || logger === silentLogger;
}

/**
 * Wraps a pino-compatible logger so every object (and message) it receives
 * goes through `redact` first. Wrapping an already wrapped logger returns it
 * unchanged; wrapping `silentLogger` returns a silent logger that skips redaction.
 */
export function redactingLogger(logger: KycLogger, options: RedactOptions = {}): KycLogger {
  if (logger === silentLogger || logger === SILENT_WRAPPED) return SILENT_WRAPPED;
  if ((logger as unknown as Record<symbol, unknown>)[WRAPPED] === true && options.extraKeys === undefined) {
    return logger;
  }
  const forward =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (obj: Record<string, unknown>, msg?: string): void => {
      const safe = toRecord(redact(obj, options));
      if (msg === undefined) logger[level](safe);
      else logger[level](safe, redactString(msg));
    };
  const wrapped: KycLogger = {
    debug: forward('debug'),
    info: forward('info'),
    warn: forward('warn'),
    error: forward('error'),
    child: (bindings) => redactingLogger(childOf(logger, toRecord(redact(bindings, options))), options),
  };
  Object.defineProperty(wrapped, WRAPPED, { value: true });
  return wrapped;
}

/** The logger's own `child` when it has one; otherwise one that merges the (already redacted) bindings into each line. */
function childOf(logger: KycLogger, bindings: Record<string, unknown>): KycLogger {
  if (typeof logger.child === 'function') return logger.child(bindings);
  const merge =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (obj: Record<string, unknown>, msg?: string): void => {
      if (msg === undefined) logger[level]({ ...bindings, ...obj });
      else logger[level]({ ...bindings, ...obj }, msg);
    };
  return { debug: merge('debug'), info: merge('info'), warn: merge('warn'), error: merge('error') };
}

function toRecord(value: unknown): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  return { value };
}
