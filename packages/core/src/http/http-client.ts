import type { Dispatcher } from 'undici';
import { ConfigurationError, ProviderError, TimeoutError } from '../errors.js';
import type { KycLogger } from '../logging/logger.js';
import { silentLogger } from '../logging/logger.js';
import { redactingLogger } from '../logging/redact.js';
import { callScopeOf, type CallScope } from '../telemetry/call-scope.js';
import { startAttemptSpan } from '../telemetry/http-attempt-span.js';
import type { ProviderCodeVocabulary } from '../redaction/provider-codes.js';
import type { ProviderTextScrubber } from '../redaction/provider-text-scrubber.js';
import { Deadline, isDeadlineReason, sleep } from './deadline.js';
import { undici } from './lazy-undici.js';
import { mapHttpError } from './map-http-error.js';
import { prepareBody, type BodyInput, type FormFields, type MultipartBody, type PreparedBody } from './request-body.js';
import { parseBaseUrl, resolveTarget, type QueryParams, type RequestTarget } from './request-url.js';
import { AttemptExchange, type CancelKind, type ReadExchange } from './attempt-exchange.js';
import { createHttpResponse, type HttpResponse } from './response.js';
import { parseRetryAfter } from './retry-after.js';
import {
  DEFAULT_RETRY,
  DEFAULT_RETRY_STATUSES,
  decideRetry,
  isRetryableFailure,
  isSafeToRetry,
  resolveRetryOptions,
  type AttemptFailure,
  type ResolvedRetryOptions,
  type RetryOptions,
} from './retry-policy.js';
import { classifyTransportError, mapTransportError } from './transport-error.js';
import type { HttpHeaders, HttpMethod, MapError } from './types.js';

/** What `createHttpClient` takes. */
export interface HttpClientOptions {
  /** The provider id, used in error messages and logs (`'technest'`). */
  provider: string;
  /** The API's base URL; request paths are appended to it (its own path prefix kept). */
  baseUrl: string | URL;
  /**
   * An undici dispatcher to send through (proxy, mTLS, tests). The client
   * uses it as is, through its `dispatch()` (undici 7's handler API), and never
   * closes it. Without one, the client creates one `Agent` of its own, closed by `close()`.
   */
  dispatcher?: Dispatcher | undefined;
  /** Per attempt, from sending to the last body byte. Default 10 s. */
  timeoutMs?: number | undefined;
  /** For one `request()` call in total: every attempt and every wait. Default 30 s. */
  deadlineMs?: number | undefined;
  /** Retry policy for safe requests; defaults to {@link DEFAULT_RETRY}. */
  retry?: RetryOptions | undefined;
  /** Gets one line per attempt, through `redact` (no headers, no bodies, no query strings). */
  logger?: KycLogger | undefined;
  /** The adapter's error-envelope parser: provider code and message from an error response (both vetted here). */
  mapError: MapError;
  /**
   * The provider's documented error codes: a code outside them never reaches
   * an error (see `documentedProviderCode`). Without one, any code-shaped code
   * free of personal values is kept.
   */
  providerCodes?: ProviderCodeVocabulary | undefined;
  /**
   * Scrubs provider text in errors; default: heuristics only. Usually set per
   * request instead, from what that request sends.
   */
  scrubber?: ProviderTextScrubber | undefined;
  /**
   * Headers sent with every request to the base URL's origin (tenant ids,
   * API keys). Never sent to other hosts, so a pre-signed upload never carries them.
   */
  headers?: Readonly<Record<string, string>> | undefined;
  /** The header `idempotencyKey` is sent in. Default `Idempotency-Key`. */
  idempotencyKeyHeader?: string | undefined;
  /** Largest success body read into memory; larger fails the call. Default 32 MiB. */
  maxResponseBytes?: number | undefined;
}

interface RequestOptionsBase {
  method: HttpMethod;
  /** Appended to the URL's query; `undefined`/`null` values left out. */
  query?: QueryParams | undefined;
  /** Per-request headers; an `undefined` value removes a default header. */
  headers?: Readonly<Record<string, string | undefined>> | undefined;
  /** Declares a non-idempotent method safe to repeat (the provider deduplicates it some other way). */
  idempotent?: boolean | undefined;
  /** Sent in the client's `idempotencyKeyHeader`, the same on every attempt; makes the request safe to retry. */
  idempotencyKey?: string | undefined;
  /** Aborts the call, attempts and waits included; the call rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Overrides the client's per-attempt timeout. */
  timeoutMs?: number | undefined;
  /** Overrides the client's total deadline. */
  deadlineMs?: number | undefined;
  /** Statuses that are a success. Default: any 2xx. */
  expectStatus?: readonly number[] | undefined;
  /** Statuses retried (for safe requests). Default 408, 429, 500, 502, 503, 504. */
  retryOn?: readonly number[] | undefined;
  /** Overrides the client's retry options for this call; `false` makes a single attempt. */
  retry?: RetryOptions | false | undefined;
  /** Overrides the client's error parser (e.g. a storage host answering XML). */
  mapError?: MapError | undefined;
  /** Overrides the client's code vocabulary (e.g. a storage host with codes of its own). */
  providerCodes?: ProviderCodeVocabulary | undefined;
  /**
   * Scrubs the values this request sends out of the provider's error text:
   * `providerTextScrubber({ application })` for a submission. Overrides the client's.
   */
  scrubber?: ProviderTextScrubber | undefined;
  /**
   * Receives this request's log lines instead of the client's logger: adapters
   * pass the operation's `context.logger` so lines reach the platform's logger
   * (redacted either way).
   */
  logger?: KycLogger | undefined;
}

/** Where to: a `path` relative to the base URL, or an absolute `url` (another host is fine). */
type RequestTargetOptions = { path: string; url?: undefined } | { url: string | URL; path?: undefined };

/** At most one body. */
type RequestBodyOptions =
  | { json?: unknown; form?: undefined; body?: undefined; multipart?: undefined }
  | { form: FormFields; json?: undefined; body?: undefined; multipart?: undefined }
  | { body: Uint8Array | string; json?: undefined; form?: undefined; multipart?: undefined }
  | { multipart: MultipartBody; json?: undefined; form?: undefined; body?: undefined };

/**
 * One request: a method, a `path` relative to the base URL or an absolute `url`, at most one body (`json`,
 * `form`, `multipart` or raw `body`), and per-request options (`idempotencyKey`, `idempotent`,
 * `expectStatus`, `retry`, `retryOn`, `timeoutMs`, `deadlineMs`, `mapError`, `providerCodes`, `scrubber`, `logger`,
 * `signal`).
 */
export type HttpRequest = RequestOptionsBase & RequestTargetOptions & RequestBodyOptions;

/** The HTTP client an adapter calls its provider with (see {@link createHttpClient}). */
export interface HttpClient {
  /** The provider id used in errors and logs. */
  readonly provider: string;
  /** The base URL, without a trailing slash. */
  readonly baseUrl: string;
  /**
   * The dispatcher requests go through: the injected one, or the client's own Agent (made, and undici
   * loaded, on the first request or the first read of this property).
   */
  readonly dispatcher: Dispatcher;
  /**
   * Sends a request, retrying what is safe to retry, and resolves to a fully
   * read response whose status is expected. Otherwise rejects with a
   * ProviderError (AuthenticationError, RateLimitError, TimeoutError…), or
   * with the signal's reason when aborted.
   */
  request(request: HttpRequest): Promise<HttpResponse>;
  /** Closes the client's own Agent (never an injected dispatcher). Later requests are refused. */
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_DEADLINE_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** Error bodies are read this far (for the adapter's parser), the rest is discarded. */
const ERROR_BODY_LIMIT = 64 * 1024;
const METHODS = new Set<string>(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** Creates the HTTP client an adapter talks to its provider with. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const provider = options.provider;
  if (typeof provider !== 'string' || provider === '') throw new ConfigurationError('provider must be a non-empty string');
  if (typeof options.mapError !== 'function') throw new ConfigurationError('mapError must be a function');
  const base = parseBaseUrl(options.baseUrl);
  const timeoutMs = checkDuration('timeoutMs', options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const deadlineMs = checkDuration('deadlineMs', options.deadlineMs ?? DEFAULT_DEADLINE_MS);
  const maxResponseBytes = checkDuration('maxResponseBytes', options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
  const retryOptions = resolveRetryOptions(options.retry, DEFAULT_RETRY);
  const idempotencyKeyHeader = options.idempotencyKeyHeader ?? 'Idempotency-Key';
  const defaultHeaders = { ...(options.headers ?? {}) };
  const logger = redactingLogger(options.logger ?? silentLogger);

  const injected = options.dispatcher;
  // The client's own Agent is made on first need (its first request), so undici is loaded then too.
  let ownAgent: Dispatcher | undefined;
  const dispatcher = (): Dispatcher =>
    injected ??
    (ownAgent ??= new (undici().Agent)({
      connections: 16,
      pipelining: 1,
      keepAliveTimeout: 4_000,
      keepAliveMaxTimeout: 60_000,
      connect: { timeout: Math.min(timeoutMs, 10_000) },
    }));

  let closed = false;
  let closing: Promise<void> | undefined;

  const call: CallContext = {
    provider,
    dispatcher,
    logger,
    maxResponseBytes,
    // An adapter that builds its client per operation with `logger: context.logger` (not per request) still
    // gets the operation's spans: the scope travels with that logger too.
    scope: callScopeOf(options.logger),
  };
  const defaults: ClientDefaults = {
    base,
    defaultHeaders: lowerCasedHeaders(defaultHeaders),
    idempotencyKeyHeader,
    timeoutMs,
    deadlineMs,
    retryOptions,
    mapError: options.mapError,
    providerCodes: options.providerCodes,
    scrubber: options.scrubber,
  };

  // Adapters pass the operation's logger with every request (ten requests for one Technest submit):
  // its redacting wrapper and call scope are looked up once per logger, not rebuilt per request.
  const contexts = new WeakMap<KycLogger, CallContext>();
  const contextFor = (requestLogger: KycLogger): CallContext => {
    // Core hands each operation a fresh, already redacting logger (it carries the operation's scope): one
    // small object per request is cheaper than a WeakMap entry per operation.
    const redacting = redactingLogger(requestLogger);
    if (redacting === requestLogger) {
      return { provider, dispatcher, logger: redacting, maxResponseBytes, scope: callScopeOf(requestLogger) };
    }
    let context = contexts.get(requestLogger);
    if (context === undefined) {
      context = { ...call, logger: redactingLogger(requestLogger), scope: callScopeOf(requestLogger) };
      contexts.set(requestLogger, context);
    }
    return context;
  };

  return {
    provider,
    baseUrl: base.href.replace(/\/$/, ''),
    get dispatcher() {
      return dispatcher();
    },
    request(request: HttpRequest): Promise<HttpResponse> {
      // Not `async`: one promise less per call. Every failure still arrives as a rejection.
      try {
        if (closed) throw new ConfigurationError(`The ${provider} HTTP client is closed`);
        const prepared = prepareBody(request as BodyInput);
        const context = request.logger === undefined ? call : contextFor(request.logger);
        // Only a multipart body is encoded asynchronously; every other request is planned without an await.
        if (prepared instanceof Promise) return prepared.then((body) => execute(context, planRequest(request, defaults, body)));
        return execute(context, planRequest(request, defaults, prepared));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    async close(): Promise<void> {
      closed = true;
      // An injected dispatcher is the caller's; an Agent never made needs no closing.
      if (ownAgent === undefined) return;
      closing ??= ownAgent.close();
      await closing;
    },
  };
}

function checkDuration(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigurationError(`${name} must be a positive number`);
  }
  return value;
}

interface CallContext {
  provider: string;
  /** The injected dispatcher, or the client's own Agent (made on first call). */
  dispatcher: () => Dispatcher;
  logger: KycLogger;
  maxResponseBytes: number;
  /** The core operation this call serves (it came with the request's logger): spans and latency are recorded for it. */
  scope: CallScope | undefined;
}

interface ClientDefaults {
  base: URL;
  /** lower-cased name → [name as configured, value] */
  defaultHeaders: ReadonlyMap<string, readonly [string, string]>;
  idempotencyKeyHeader: string;
  timeoutMs: number;
  deadlineMs: number;
  retryOptions: ResolvedRetryOptions;
  mapError: MapError;
  providerCodes: ProviderCodeVocabulary | undefined;
  scrubber: ProviderTextScrubber | undefined;
}

interface RequestPlan {
  method: HttpMethod;
  target: RequestTarget;
  headers: Record<string, string>;
  body: Buffer | undefined;
  safe: boolean;
  retry: ResolvedRetryOptions;
  retryOn: readonly number[];
  expectStatus: readonly number[] | undefined;
  timeoutMs: number;
  deadlineMs: number;
  mapError: MapError;
  providerCodes: ProviderCodeVocabulary | undefined;
  scrubber: ProviderTextScrubber | undefined;
  signal: AbortSignal | undefined;
}

function planRequest(request: HttpRequest, defaults: ClientDefaults, body: PreparedBody): RequestPlan {
  const method = typeof request.method === 'string' ? request.method.toUpperCase() : '';
  if (!METHODS.has(method)) throw new ConfigurationError(`request() method must be one of ${[...METHODS].join(', ')}`);
  const target = resolveTarget(defaults.base, request);
  return {
    method: method as HttpMethod,
    target,
    headers: buildHeaders(target, body, request, defaults),
    body: body.bytes,
    safe: isSafeToRetry({ method, idempotent: request.idempotent, idempotencyKey: request.idempotencyKey }),
    retry:
      request.retry === false
        ? { ...defaults.retryOptions, maxAttempts: 1 }
        : request.retry === undefined
          ? defaults.retryOptions
          : resolveRetryOptions(request.retry, defaults.retryOptions),
    retryOn: request.retryOn ?? DEFAULT_RETRY_STATUSES,
    expectStatus: request.expectStatus,
    timeoutMs: checkDuration('timeoutMs', request.timeoutMs ?? defaults.timeoutMs),
    deadlineMs: checkDuration('deadlineMs', request.deadlineMs ?? defaults.deadlineMs),
    mapError: request.mapError ?? defaults.mapError,
    providerCodes: request.providerCodes ?? defaults.providerCodes,
    scrubber: request.scrubber ?? defaults.scrubber,
    signal: request.signal,
  };
}

function buildHeaders(
  target: RequestTarget,
  body: PreparedBody,
  request: HttpRequest,
  defaults: ClientDefaults,
): Record<string, string> {
  const extra = request.headers;
  const idempotencyKey = request.idempotencyKey !== undefined && request.idempotencyKey !== '' ? request.idempotencyKey : undefined;
  // The common case (no per-request headers, no key): the defaults plus the body's content type, no map.
  if (extra === undefined && idempotencyKey === undefined) {
    const headers: Record<string, string> = {};
    // Credentials configured on the client go to the API host only.
    if (target.sameOrigin) {
      for (const [lowerCased, [name, value]] of defaults.defaultHeaders) {
        if (body.contentType === undefined || lowerCased !== 'content-type') headers[name] = value;
      }
    }
    if (body.contentType !== undefined) headers['content-type'] = body.contentType;
    return headers;
  }
  // Per-request headers and no client defaults to merge (an adapter's bearer token, a pre-signed
  // upload's signed headers): a plain object, unless two names differ only in case.
  if (idempotencyKey === undefined && (!target.sameOrigin || defaults.defaultHeaders.size === 0)) {
    const plain = plainHeaders(body, extra ?? {});
    if (plain !== undefined) return plain;
  }
  const headers = new Map<string, readonly [string, string]>(target.sameOrigin ? defaults.defaultHeaders : undefined);
  const set = (name: string, value: string | undefined): void => {
    if (value === undefined) headers.delete(name.toLowerCase());
    else headers.set(name.toLowerCase(), [name, value]);
  };
  if (body.contentType !== undefined) set('content-type', body.contentType);
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (body.contentTypeFixed && name.toLowerCase() === 'content-type') continue;
    set(name, value);
  }
  if (idempotencyKey !== undefined) set(defaults.idempotencyKeyHeader, idempotencyKey);
  return Object.fromEntries(headers.values());
}

/**
 * The body's content type and `extra`, as the general path in `buildHeaders` makes them, when no two names
 * in `extra` are the same but for case (then `undefined`: the general path decides which spelling wins).
 */
function plainHeaders(body: PreparedBody, extra: Readonly<Record<string, string | undefined>>): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  if (body.contentType !== undefined) headers['content-type'] = body.contentType;
  const seen: string[] = [];
  for (const name in extra) {
    if (!Object.hasOwn(extra, name)) continue;
    const lowerCased = name.toLowerCase();
    if (seen.includes(lowerCased) || lowerCased === '__proto__') return undefined;
    seen.push(lowerCased);
    if (lowerCased === 'content-type') {
      if (body.contentTypeFixed) continue;
      delete headers['content-type'];
    }
    const value = extra[name];
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

/** The client's default headers by lower-cased name (a later spelling of a name wins, as it always has). */
function lowerCasedHeaders(headers: Readonly<Record<string, string>>): Map<string, readonly [string, string]> {
  const byName = new Map<string, readonly [string, string]>();
  for (const [name, value] of Object.entries(headers)) byName.set(name.toLowerCase(), [name, value]);
  return byName;
}

type AttemptOutcome =
  | { ok: true; response: HttpResponse }
  | {
      ok: false;
      failure: AttemptFailure;
      error: ProviderError;
      /** For logs: `http_503`, `ECONNRESET`, `timeout`… */
      errorCode: string;
      status?: number;
      retryAfterMs?: number | undefined;
    };

async function execute(call: CallContext, plan: RequestPlan): Promise<HttpResponse> {
  const { provider, logger } = call;
  const userSignal = plan.signal;
  if (userSignal?.aborted) throw userSignal.reason;

  const deadline = new Deadline(plan.deadlineMs);
  let attempt = 0;
  try {
    for (;;) {
      attempt += 1;
      const started = performance.now();
      const endSpan =
        call.scope === undefined
          ? undefined
          : startAttemptSpan(call.scope, { method: plan.method, host: hostOf(plan.target.origin), pathname: plan.target.pathname, attempt });
      let outcome: AttemptOutcome;
      try {
        outcome = await runAttempt(call, plan, deadline, attempt);
      } catch (error) {
        endSpan?.({ errorCode: isDeadlineReason(error) ? 'deadline' : ConfigurationError.isInstance(error) ? error.code : 'aborted' });
        throw error;
      }
      endSpan?.(outcome.ok ? { status: outcome.response.status } : { status: outcome.status, errorCode: outcome.errorCode });
      if (outcome.ok) {
        // The success line is built only for a logger that reads debug lines (not the silent default).
        if (logger.debug !== silentLogger.debug) {
          const durationMs = Math.round(performance.now() - started);
          logger.debug(
            { provider, method: plan.method, path: plan.target.pathname, attempt, durationMs, status: outcome.response.status },
            'provider request succeeded',
          );
        }
        return outcome.response;
      }
      const durationMs = Math.round(performance.now() - started);
      const line = { provider, method: plan.method, path: plan.target.pathname, attempt, durationMs };

      const decision = decideRetry({
        attempt,
        retryable: isRetryableFailure(outcome.failure, plan.safe, plan.retryOn),
        retryAfterMs: outcome.retryAfterMs,
        remainingMs: deadline.remaining(),
        options: plan.retry,
      });
      const failed = { ...line, ...(outcome.status === undefined ? {} : { status: outcome.status }), errorCode: outcome.errorCode };
      if (!decision.retry) {
        logger.warn({ ...failed, reason: decision.reason }, 'provider request failed');
        throw outcome.error;
      }
      logger.info({ ...failed, retryInMs: decision.delayMs }, 'provider request failed; retrying');
      await sleep(decision.delayMs, [userSignal, deadline.signal]);
    }
  } catch (error) {
    if (isDeadlineReason(error)) {
      // The deadline ran out during an attempt or while waiting between attempts.
      const timeout = deadlineError(provider, plan, attempt);
      logger.warn(
        { provider, method: plan.method, path: plan.target.pathname, attempt, durationMs: Math.round(deadline.elapsed()), errorCode: 'deadline' },
        'provider request failed',
      );
      throw timeout;
    }
    throw error;
  } finally {
    deadline.dispose();
  }
}

/** `server.address`: the host alone (no scheme, no port). */
function hostOf(origin: string): string {
  const start = origin.indexOf('//') + 2;
  const end = origin[start] === '[' ? origin.indexOf(']', start) + 1 : origin.indexOf(':', start);
  return end === -1 ? origin.slice(start) : origin.slice(start, end);
}

function deadlineError(provider: string, plan: RequestPlan, attempt: number): TimeoutError {
  return new TimeoutError(
    `${provider}: ${plan.method} ${plan.target.display} did not complete within its ${plan.deadlineMs} ms deadline (${attempt} attempt${attempt === 1 ? '' : 's'}).`,
    { provider, timeoutMs: plan.deadlineMs },
  );
}

/**
 * One attempt: its outcome (a response, or a failure to retry or report), or a rejection for what ends the
 * call at once (the user's abort, the deadline, a refused request). Not `async`: the exchange's promise is
 * chained once (one promise layer less per call than an `async` function awaiting it).
 */
function runAttempt(call: CallContext, plan: RequestPlan, deadline: Deadline, attempt: number): Promise<AttemptOutcome> {
  const userSignal = plan.signal;
  if (userSignal?.aborted) return Promise.reject(userSignal.reason);
  if (deadline.expired) return Promise.reject(deadline.reason);

  // One handler object and one timer per attempt: the timer cancels the attempt at its own timeout or at
  // the call's deadline, whichever comes first (no second timer, no linked signal, no closure: the
  // exchange is the timer's argument and the user signal's listener object).
  const exchange = new AttemptExchange(plan.method, plan.expectStatus, call.maxResponseBytes, ERROR_BODY_LIMIT);
  const remainingMs = deadline.remaining();
  const byAttemptTimeout = plan.timeoutMs <= remainingMs;
  const timer = setTimeout(cancelExchange, byAttemptTimeout ? plan.timeoutMs : remainingMs, exchange, byAttemptTimeout ? 'timeout' : 'deadline');
  userSignal?.addEventListener('abort', exchange, { once: true });
  const ends: AttemptEnds = { timer, exchange };

  try {
    call.dispatcher().dispatch(
      { origin: plan.target.origin, path: plan.target.pathAndQuery, method: plan.method, headers: plan.headers, body: plan.body ?? null },
      exchange,
    );
  } catch (error) {
    // undici's own dispatchers report every failure through the handler; a caller's may throw instead.
    exchange.detach();
    return settleFailure(call, plan, deadline, attempt, ends, error);
  }
  return exchange.promise.then(
    (read) => {
      try {
        const outcome = readOutcome(call, plan, read);
        endAttempt(plan, ends);
        return outcome;
      } catch (error) {
        return attemptFailed(call, plan, deadline, attempt, ends, error);
      }
    },
    (error: unknown) => attemptFailed(call, plan, deadline, attempt, ends, error),
  );
}

/** `attemptFailed` as a promise (for a failure before the exchange started). */
function settleFailure(
  call: CallContext,
  plan: RequestPlan,
  deadline: Deadline,
  attempt: number,
  ends: AttemptEnds,
  error: unknown,
): Promise<AttemptOutcome> {
  try {
    return Promise.resolve(attemptFailed(call, plan, deadline, attempt, ends, error));
  } catch (thrown) {
    return Promise.reject(thrown);
  }
}

/**
 * What a failed attempt means: the user's abort or the deadline (thrown: the call ends), a timeout, a
 * provider error or a transport failure (an outcome the retry policy decides on), or a request the
 * transport refused (thrown). The attempt's timer and abort listener are released either way.
 */
function attemptFailed(call: CallContext, plan: RequestPlan, deadline: Deadline, attempt: number, ends: AttemptEnds, error: unknown): AttemptOutcome {
  const { exchange } = ends;
  try {
    const { provider } = call;
    const userSignal = plan.signal;
    if (userSignal?.aborted) throw userSignal.reason;
    if (exchange.cancelledBy === 'deadline') throw deadline.reason;
    if (exchange.cancelledBy === 'timeout') {
      return {
        ok: false,
        failure: { kind: 'timeout' },
        errorCode: 'timeout',
        error: new TimeoutError(
          `${provider} did not answer ${plan.method} ${plan.target.display} within ${plan.timeoutMs} ms (attempt ${attempt}).`,
          { provider, timeoutMs: plan.timeoutMs },
        ),
      };
    }
    if (ProviderError.isInstance(error)) {
      return { ok: false, failure: { kind: 'fatal' }, errorCode: error.code, error };
    }
    const { code, failure } = classifyTransportError(error);
    if (code === 'UND_ERR_INVALID_ARG') {
      throw new ConfigurationError(`The HTTP transport refused the ${plan.method} ${plan.target.display} request options (${code})`, [], {
        cause: error,
      });
    }
    const mapped = mapTransportError({
      provider,
      method: plan.method,
      url: plan.target.display,
      error,
      timeoutMs: plan.timeoutMs,
    });
    return { ok: false, failure, errorCode: code, error: mapped };
  } finally {
    endAttempt(plan, ends);
  }
}

/** What an attempt releases when it ends: its timer, and its listener on the user's signal. */
interface AttemptEnds {
  readonly timer: ReturnType<typeof setTimeout>;
  readonly exchange: AttemptExchange;
}

function endAttempt(plan: RequestPlan, ends: AttemptEnds): void {
  clearTimeout(ends.timer);
  plan.signal?.removeEventListener('abort', ends.exchange);
}

/** The attempt's timer: `setTimeout`'s extra arguments carry the exchange and the kind, so no closure is made per attempt. */
function cancelExchange(exchange: AttemptExchange, kind: CancelKind): void {
  exchange.cancel(kind);
}

function readOutcome(call: CallContext, plan: RequestPlan, read: ReadExchange): AttemptOutcome {
  const { provider } = call;
  const { status, headers, body } = read;

  if (read.expected) {
    if (read.truncated) {
      return {
        ok: false,
        failure: { kind: 'fatal' },
        errorCode: 'response_too_large',
        status,
        error: new ProviderError(
          `${provider} answered ${plan.method} ${plan.target.display} with a body over ${call.maxResponseBytes} bytes.`,
          { provider, status, retryable: false },
        ),
      };
    }
    return {
      ok: true,
      response: createHttpResponse({ provider, method: plan.method, display: plan.target.display }, status, headers, body),
    };
  }

  // The exchange read what the adapter's parser needs (up to ERROR_BODY_LIMIT) and dropped the rest.
  const info = safeMapError(plan.mapError, { status, headers, body, json: tryParseJson(body) });
  const retryAfterMs = parseRetryAfter(headers['retry-after']);
  const error = mapHttpError({
    provider,
    method: plan.method,
    url: plan.target.display,
    status,
    providerCode: info?.providerCode,
    message: info?.message,
    providerCodes: plan.providerCodes,
    scrubber: plan.scrubber,
    retryAfterMs,
  });
  return { ok: false, failure: { kind: 'status', status }, errorCode: `http_${status}`, status, error, retryAfterMs };
}

function safeMapError(
  mapError: MapError,
  response: { status: number; headers: HttpHeaders; body: Buffer; json: unknown },
): { providerCode?: string | undefined; message?: string | undefined } | undefined {
  const input = response.json === undefined ? { status: response.status, headers: response.headers, body: response.body } : response;
  try {
    const info = mapError(input);
    if (typeof info !== 'object' || info === null) return undefined;
    return {
      providerCode: typeof info.providerCode === 'string' && info.providerCode !== '' ? info.providerCode : undefined,
      message: typeof info.message === 'string' && info.message !== '' ? info.message : undefined,
    };
  } catch {
    // A parser that chokes on an unexpected envelope must not hide the HTTP error itself.
    return undefined;
  }
}

function tryParseJson(bytes: Buffer): unknown {
  if (bytes.length === 0) return undefined;
  const first = bytes.toString('utf8', 0, Math.min(bytes.length, 64)).trimStart()[0];
  if (first !== '{' && first !== '[' && first !== '"') return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
