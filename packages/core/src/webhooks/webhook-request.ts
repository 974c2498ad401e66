/**
 * Turning whatever a web framework hands over (a fetch `Headers`, Node's
 * `IncomingHttpHeaders`, a plain object; a string, Buffer or ArrayBuffer body)
 * into the two shapes the verifiers work on: lower-cased header names with one
 * string each, and the body's raw bytes.
 */
import { WebhookVerificationError } from '../errors.js';

/** Header input as frameworks provide it: fetch `Headers`, Node `IncomingHttpHeaders`, or a plain record. */
export type WebhookHeadersInput = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** A request body as frameworks provide it, before any JSON parsing. */
export type RawWebhookBody = string | Uint8Array | ArrayBuffer | Buffer;

/**
 * Lower-cases header names (HTTP names are case-insensitive, and providers,
 * proxies and frameworks all disagree on casing) and gives each one string.
 *
 * A header sent several times (a `string[]`, or two keys differing only in case)
 * is joined with `', '` as HTTP does, except signature headers: their values
 * are lists in the scheme's own syntax (`v1,<base64> v1,<base64>` for Standard
 * Webhooks, `t=…,v1=…,v1=…` for timestamped HMAC), so they are joined with that
 * scheme's separator and every entry reaches the verifier intact.
 *
 * Values are kept byte for byte (no trimming, no splitting): the verifiers parse
 * them. Entries that are not strings (`undefined`, or garbage from untyped
 * callers) are dropped as if the header were absent.
 */
export function normalizeHeaders(headers: WebhookHeadersInput): Record<string, string> {
  // Built in place (no Map of arrays, no entry pairs): this runs on every delivery,
  // duplicates included, and a header is almost never repeated.
  const collected = new CollectedHeaders();
  if (isFetchHeaders(headers)) {
    // `Headers` already lower-cases names and has merged repeated lines with ', '.
    headers.forEach((value: unknown, name: unknown) => {
      if (typeof name === 'string' && typeof value === 'string') collected.add(name, value);
    });
  } else if (typeof headers === 'object' && headers !== null) {
    const record = headers as Readonly<Record<string, unknown>>;
    const copied = copyOfLowerCaseRecord(record);
    if (copied !== undefined) return copied;
    for (const name in record) {
      if (!Object.hasOwn(record, name)) continue;
      const value = record[name];
      if (typeof value === 'string') {
        collected.add(name, value);
      } else if (Array.isArray(value)) {
        for (const item of value as unknown[]) if (typeof item === 'string') collected.add(name, item);
      }
    }
  }

  const { out, repeated } = collected;
  if (repeated !== undefined) {
    for (const [name, values] of repeated) setOwn(out, name, values.join(listSeparator(name)));
  }
  return out;
}

/**
 * The usual record (Node's `IncomingHttpHeaders`: names already lower-case, one string each) copied in one
 * step, then checked; `undefined` for anything else (upper-case or `__proto__` names, arrays, non-strings),
 * which the general path then reads. Lower-case names in one object are distinct, so nothing can repeat.
 * Only own enumerable properties are copied, as the general path reads them (a symbol-keyed one rides
 * along unseen: no header name reaches it).
 */
function copyOfLowerCaseRecord(record: Readonly<Record<string, unknown>>): Record<string, string> | undefined {
  const out: Record<string, unknown> = { ...record };
  const names = Object.keys(out);
  // One server sends the same header names in the same order delivery after delivery: when they are the
  // names last found lower-case (compared with `===`, which V8 answers at once for the same interned
  // string), only the values are checked.
  if (!sameNames(names, lowerCaseNames)) {
    for (let index = 0; index < names.length; index++) {
      const name = names[index]!;
      if (name === '__proto__' || name.toLowerCase() !== name) return undefined;
    }
    lowerCaseNames = names;
  }
  for (let index = 0; index < names.length; index++) if (typeof out[names[index]!] !== 'string') return undefined;
  return out as Record<string, string>;
}

/** The header names of the last record copied whole, all lower-case and none `__proto__`. */
let lowerCaseNames: readonly string[] = [];

function sameNames(names: readonly string[], known: readonly string[]): boolean {
  if (names.length !== known.length) return false;
  for (let index = 0; index < names.length; index++) if (names[index] !== known[index]) return false;
  return true;
}

/** The lower-cased headers so far, and the values of names seen more than once (a class: no closure per delivery). */
class CollectedHeaders {
  readonly out: Record<string, string> = {};
  repeated: Map<string, string[]> | undefined;

  add(rawName: string, value: string): void {
    const name = rawName.toLowerCase();
    if (!Object.hasOwn(this.out, name)) {
      setOwn(this.out, name, value);
      return;
    }
    this.repeated ??= new Map();
    let values = this.repeated.get(name);
    if (values === undefined) {
      values = [this.out[name]!];
      this.repeated.set(name, values);
    }
    values.push(value);
  }
}

/** An own property, even for `__proto__` (plain assignment would set the prototype instead). */
function setOwn(target: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}

/**
 * The exact bytes that were signed. Strings are encoded as UTF-8 (what an HTTP
 * client sent when the framework decoded the body to text); bytes are used as they
 * are. Never pass `JSON.stringify(parsedBody)`: re-serialised JSON differs from
 * what the provider signed (spacing, key order, number and unicode formatting).
 *
 * @throws WebhookVerificationError `malformed_body` for anything else, e.g. an
 *   already-parsed object.
 */
export function toRawBytes(body: RawWebhookBody): Uint8Array {
  if (typeof body === 'string') return new Uint8Array(Buffer.from(body, 'utf8'));
  // Buffer is a Uint8Array. The tag checks also accept bytes from another realm (vm, workers).
  if (body instanceof Uint8Array || (ArrayBuffer.isView(body) && tagOf(body) === 'Uint8Array')) {
    return body as Uint8Array;
  }
  if (body instanceof ArrayBuffer || tagOf(body) === 'ArrayBuffer') return new Uint8Array(body as ArrayBuffer);
  throw new WebhookVerificationError(
    'malformed_body',
    `The webhook body must be the raw request bytes (string, Uint8Array, Buffer or ArrayBuffer), got ${describeType(body)}. ` +
      'Read the body before any JSON parsing and pass it unchanged.',
  );
}

/** Header names whose value is a space-separated list (the Standard Webhooks signature header). */
const SPACE_SEPARATED_SIGNATURE_HEADERS: ReadonlySet<string> = new Set(['webhook-signature']);

function listSeparator(name: string): string {
  if (SPACE_SEPARATED_SIGNATURE_HEADERS.has(name)) return ' ';
  // `t=…,v1=…` style headers (Technest-Signature, Stripe-Signature…) are comma lists.
  if (name === 'signature' || name.endsWith('-signature')) return ',';
  return ', ';
}

function isFetchHeaders(headers: unknown): headers is Headers {
  if (typeof Headers !== 'undefined' && headers instanceof Headers) return true;
  // Duck typing for a `Headers` from another fetch implementation or realm. A plain
  // header record holds strings, never functions, so it cannot look like this.
  return (
    typeof headers === 'object' &&
    headers !== null &&
    !Array.isArray(headers) &&
    typeof (headers as { forEach?: unknown }).forEach === 'function' &&
    typeof (headers as { get?: unknown }).get === 'function' &&
    typeof (headers as { has?: unknown }).has === 'function'
  );
}

function tagOf(value: unknown): string {
  return Object.prototype.toString.call(value).slice(8, -1);
}

/** The kind of value, never its content (messages must not carry body data). */
function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${tagOf(value)})`;
  return typeof value;
}
