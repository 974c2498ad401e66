import { createHttpClient, type ErrorResponse, type HttpClient, type HttpRequest, type HttpResponse } from '@openkyc/core/http';
import type { Dispatcher } from 'undici';
import type { AccessTokens } from './technest-auth.js';
import type { TechnestCall } from './technest-call.js';
import { errorInfo, parseErrorEnvelope, rememberEnvelope, TECHNEST_CODES, type TechnestErrorEnvelope } from './technest-errors.js';

/** A request to the API host, relative to `baseUrl`. */
export type ApiRequest = Omit<Extract<HttpRequest, { path: string }>, 'signal' | 'mapError'>;

/**
 * The HTTP side of the adapter: one toolkit client (one undici Agent unless a
 * dispatcher is injected), Technest's error envelope attached to every error,
 * and the toolkit's per-attempt log lines routed to the logger of the call
 * that caused them (concurrent calls each see their own lines): every request
 * carries its call's logger (the toolkit's per-request `logger`).
 *
 * No AsyncLocalStorage: in Node 20 each instance stays registered with
 * async_hooks for the life of the process and adds work to every promise
 * created anywhere in it, an instance per adapter more (measured in
 * bench/: 22 % of a raw HTTP client's CPU with 20 adapters around).
 */
export interface TechnestClient {
  readonly provider: string;
  /** A request with no credentials (the OAuth token endpoint, pre-signed storage URLs). */
  send(request: HttpRequest, call: TechnestCall): Promise<HttpResponse>;
  /** A `/v1` call with `Authorization: Bearer …`, refreshed once on a 401 `token_expired`. */
  api(request: ApiRequest, call: TechnestCall): Promise<HttpResponse>;
  /** Closes the toolkit client's own Agent (never an injected dispatcher). */
  close(): Promise<void>;
}

export interface TechnestClientOptions {
  readonly provider: string;
  readonly baseUrl: string;
  readonly dispatcher: Dispatcher | undefined;
  readonly timeoutMs: number;
  readonly deadlineMs: number;
  /** Created with the client's `send`, so the token request shares the Agent. */
  readonly tokens: (send: TechnestClient['send']) => AccessTokens;
}

export function createTechnestClient(options: TechnestClientOptions): TechnestClient {
  const http: HttpClient = createHttpClient({
    provider: options.provider,
    baseUrl: options.baseUrl,
    dispatcher: options.dispatcher,
    timeoutMs: options.timeoutMs,
    deadlineMs: options.deadlineMs,
    mapError: (response) => errorInfo(parseErrorEnvelope(response)),
    providerCodes: TECHNEST_CODES,
  });

  /**
   * One copy of the request per call: the call's signal, logger and scrubber, and the bearer token when
   * given. Copied field by field into one fixed shape (a spread of the many request shapes costs
   * ~1.5 µs a call, 10 calls a submit); `satisfies` below fails the build if a request field is left out.
   * `recover` handles a failure after Technest's envelope is attached to the error: the API calls' stale-token
   * retry, in the same rejection handler (no second promise layer per call).
   */
  function send(
    request: HttpRequest,
    call: TechnestCall,
    authorization?: string,
    recover?: (error: unknown) => Promise<HttpResponse>,
  ): Promise<HttpResponse> {
    let envelope: TechnestErrorEnvelope | undefined;
    const copy = {
      method: request.method,
      path: request.path,
      url: request.url,
      query: request.query,
      headers: authorization === undefined ? request.headers : { ...request.headers, Authorization: authorization },
      json: request.json,
      form: request.form,
      body: request.body,
      multipart: request.multipart,
      idempotent: request.idempotent,
      idempotencyKey: request.idempotencyKey,
      signal: call.signal,
      timeoutMs: request.timeoutMs,
      deadlineMs: request.deadlineMs,
      expectStatus: request.expectStatus,
      retryOn: request.retryOn,
      retry: request.retry,
      mapError:
        request.mapError ??
        ((response: ErrorResponse) => {
          envelope = parseErrorEnvelope(response);
          return errorInfo(envelope);
        }),
      providerCodes: request.providerCodes,
      scrubber: request.scrubber ?? call.scrubber,
      logger: call.logger,
    } satisfies Record<keyof HttpRequest, unknown>;
    return http.request(copy as HttpRequest).then(undefined, (error: unknown) => {
      rememberEnvelope(error, envelope);
      if (recover !== undefined) return recover(error);
      throw error;
    });
  }

  const tokens = options.tokens((request, call) => send(request, call));

  return {
    provider: options.provider,
    send: (request, call) => send(request, call),
    api(request, call) {
      const token = tokens.cached(call);
      // No valid token cached: fetched first (shared with concurrent callers), then the request.
      if (token === undefined) return tokens.withAccessToken(call, (fresh) => send(request as HttpRequest, call, `Bearer ${fresh}`));
      // The common case: straight through, a stale-token 401 retried once with a fresh token.
      return send(request as HttpRequest, call, `Bearer ${token}`, (error) =>
        tokens.retryStale(call, (fresh) => send(request as HttpRequest, call, `Bearer ${fresh}`), token, error),
      );
    },
    close: () => http.close(),
  };
}
