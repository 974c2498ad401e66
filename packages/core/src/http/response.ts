import type { Dispatcher } from 'undici';
import type { ZodType } from 'zod';
import { formatPath, ProviderError } from '../errors.js';
import type { HttpHeaders } from './types.js';

/** A response whose status was expected; the body is fully read. */
export interface HttpResponse {
  /** The HTTP status (one of the expected ones). */
  status: number;
  /** Response headers, names lower-cased. */
  headers: HttpHeaders;
  /** The whole body. */
  body: Buffer;
  /**
   * The body parsed as JSON, checked against `schema` when one is given.
   * Throws a non-retryable ProviderError when the body is not JSON or does not
   * match (the message lists paths and issue codes, never values).
   */
  json(): unknown;
  /**
   * The body parsed as JSON and validated with `schema`; throws a non-retryable `ProviderError` (paths and
   * issue codes, never values) when it does not match.
   */
  json<T>(schema: ZodType<T>): T;
  /** The body decoded as UTF-8. */
  text(): string;
}

export interface ResponseContext {
  provider: string;
  method: string;
  /** What messages show: path, or origin + path for another host. */
  display: string;
}

export function createHttpResponse(
  context: ResponseContext,
  status: number,
  headers: HttpHeaders,
  body: Buffer,
): HttpResponse {
  return new ReadResponse(context, status, headers, body);
}

/** One class for every response: its methods live on the prototype, not in closures made per response. */
class ReadResponse implements HttpResponse {
  readonly status: number;
  readonly headers: HttpHeaders;
  readonly body: Buffer;
  readonly #context: ResponseContext;
  #parsed: { value: unknown } | undefined;

  constructor(context: ResponseContext, status: number, headers: HttpHeaders, body: Buffer) {
    this.#context = context;
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  json(): unknown;
  json<T>(schema: ZodType<T>): T;
  json<T>(schema?: ZodType<T>): unknown {
    const value = this.#parse();
    if (schema === undefined) return value;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const issues = result.error.issues;
    const shown = issues
      .slice(0, 5)
      .map((issue) => `${formatPath(issue.path.filter((part): part is string | number => typeof part !== 'symbol'))}: ${issue.code}`)
      .join('; ');
    const more = issues.length > 5 ? ` (+${issues.length - 5} more)` : '';
    const { provider } = this.#context;
    throw new ProviderError(
      `${provider} answered ${this.#where()} (HTTP ${this.status}) with a body of an unexpected shape: ${shown}${more}.`,
      { provider, status: this.status, retryable: false },
    );
  }

  text(): string {
    return this.body.toString('utf8');
  }

  #parse(): unknown {
    if (this.#parsed) return this.#parsed.value;
    const { provider } = this.#context;
    if (this.body.length === 0) {
      throw new ProviderError(`${provider} answered ${this.#where()} (HTTP ${this.status}) with an empty body where JSON was expected.`, {
        provider,
        status: this.status,
        retryable: false,
      });
    }
    try {
      this.#parsed = { value: JSON.parse(this.body.toString('utf8')) as unknown };
    } catch {
      // No `cause`: JSON.parse's SyntaxError quotes the body, and bodies echo what was sent.
      throw new ProviderError(`${provider} answered ${this.#where()} (HTTP ${this.status}) with a body that is not valid JSON.`, {
        provider,
        status: this.status,
        retryable: false,
      });
    }
    return this.#parsed.value;
  }

  #where(): string {
    return `${this.#context.method} ${this.#context.display}`;
  }
}

/** undici's header object → lower-cased names, repeated values joined with `, `. */
export function normalizeHeaders(headers: Dispatcher.ResponseData['headers'] | Record<string, string | string[] | undefined>): HttpHeaders {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
