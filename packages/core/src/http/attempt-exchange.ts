import type { Dispatcher } from 'undici';
import { normalizeHeaders } from './response.js';
import type { HttpHeaders } from './types.js';

/**
 * One attempt's exchange with the provider, as the handler undici's `dispatcher.dispatch()` calls: the
 * response's status, headers and body bytes collected into a promise, with no response stream, no body
 * mixin and no promise per chunk in between (what `dispatcher.request()` would add to every call).
 *
 * Uses undici 7's controller API (`onRequestStart`…`onResponseError`), the one its types document as
 * current (the `onConnect`/`onHeaders` API is deprecated there) and the one its interceptors speak.
 *
 * Bodies are always consumed or the request aborted: a body past its limit, a timeout, a user abort each
 * abort the request through undici's controller (undici then drops that socket instead of reusing it).
 */
export class AttemptExchange implements Dispatcher.DispatchHandler {
  /** Settles when the response's last byte is read, the body passes its limit, or the exchange is cancelled. */
  readonly promise: Promise<ReadExchange>;
  /** Why `cancel()` ended the exchange, when it did. */
  cancelledBy: CancelKind | undefined;
  #resolve!: (read: ReadExchange) => void;
  #reject!: (error: unknown) => void;
  #settled = false;
  #controller: Dispatcher.DispatchController | undefined;
  readonly #expectStatus: readonly number[] | undefined;
  readonly #maxResponseBytes: number;
  readonly #errorBodyLimit: number;
  /** A HEAD answer's Content-Length describes a body that never comes. */
  readonly #bodyless: boolean;
  // The response, once its headers arrived.
  #status = 0;
  #headers: HttpHeaders = EMPTY_HEADERS;
  #expected = false;
  #limit = 0;
  #chunks: Buffer[] = [];
  #size = 0;

  constructor(method: string, expectStatus: readonly number[] | undefined, maxResponseBytes: number, errorBodyLimit: number) {
    this.#bodyless = method === 'HEAD';
    this.#expectStatus = expectStatus;
    this.#maxResponseBytes = maxResponseBytes;
    this.#errorBodyLimit = errorBodyLimit;
    this.promise = new Promise<ReadExchange>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /**
   * Ends the exchange now: the promise rejects with `CANCELLED` and the request is aborted (at once, or
   * as soon as undici starts it if it is still queued for a connection).
   */
  cancel(kind: CancelKind): void {
    if (this.#settled) return;
    this.cancelledBy = kind;
    this.#settled = true;
    this.#reject(CANCELLED);
    this.#controller?.abort(new Error(`attempt cancelled (${kind})`));
  }

  /** The caller no longer waits for this exchange (the dispatcher threw): later callbacks are ignored. */
  detach(): void {
    this.#settled = true;
  }

  /** A user `AbortSignal`'s abort event (the exchange is its listener object: no closure per attempt). */
  handleEvent(): void {
    this.cancel('user');
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // Cancelled while queued: undici sends nothing once this aborts.
    if (this.#settled) controller.abort(new Error('attempt cancelled'));
    else this.#controller = controller;
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    // 1xx informational responses come before the final one.
    if (statusCode < 200 || this.#settled) return;
    this.#controller = controller;
    this.#status = statusCode;
    this.#headers = normalizeHeaders(headers);
    this.#expected = this.#expectStatus === undefined ? statusCode <= 299 : this.#expectStatus.includes(statusCode);
    this.#limit = this.#expected ? this.#maxResponseBytes : this.#errorBodyLimit;
    // A success body declared too large is refused before a byte of it is read (204 and 304 carry none).
    if (this.#expected && !this.#bodyless && statusCode !== 204 && statusCode !== 304 && declaredLength(this.#headers['content-length']) > this.#limit) {
      this.#finish(true);
    }
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#settled) return;
    const size = this.#size + chunk.length;
    if (size > this.#limit) {
      // Keep what fits (an error body's first bytes still reach the adapter's parser), drop the connection.
      if (this.#size < this.#limit) this.#chunks.push(chunk.subarray(0, this.#limit - this.#size));
      this.#size = this.#limit;
      this.#finish(true);
      return;
    }
    this.#chunks.push(chunk);
    this.#size = size;
  }

  onResponseEnd(): void {
    if (!this.#settled) this.#finish(false);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#reject(error);
  }

  #finish(truncated: boolean): void {
    this.#settled = true;
    const chunks = this.#chunks;
    // One chunk (most JSON answers) is used as is: undici hands over a fresh read buffer per chunk.
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.#size);
    this.#chunks = [];
    this.#resolve({ status: this.#status, headers: this.#headers, body, truncated, expected: this.#expected });
    // The rest of an over-long body is not read: undici closes that socket rather than reuse it.
    if (truncated) this.#controller?.abort(new Error('response body over its limit'));
  }
}

/** Why an attempt was cancelled: the caller's signal, the attempt's timeout, or the call's deadline. */
export type CancelKind = 'user' | 'timeout' | 'deadline';

/** What a cancelled exchange's promise rejects with (the reason itself is in `cancelledBy`). */
export const CANCELLED: unique symbol = Symbol('openkyc.attempt-cancelled');

/** A response read as far as its limit allowed. */
export interface ReadExchange {
  status: number;
  headers: HttpHeaders;
  /** The body, or its first `limit` bytes when `truncated`. */
  body: Buffer;
  /** The body was longer than its limit (declared or read); the request was aborted. */
  truncated: boolean;
  /** The status is one the request expects (a success). */
  expected: boolean;
}

const EMPTY_HEADERS: HttpHeaders = Object.freeze({});

function declaredLength(contentLength: string | undefined): number {
  if (contentLength === undefined) return -1;
  const declared = Number(contentLength);
  return Number.isSafeInteger(declared) ? declared : -1;
}
