import { AsyncLocalStorage } from 'node:async_hooks';
import type { KycLogger } from '@openkyc/core';
import { createHttpClient, type HttpClient, type HttpRequest, type HttpResponse } from '@openkyc/core/http';
import type { Dispatcher } from 'undici';
import { type AccessTokens } from './technest-auth.js';
import { errorInfo, parseErrorEnvelope, rememberEnvelope, type TechnestErrorEnvelope } from './technest-errors.js';

/** What every adapter call carries down to the HTTP layer (a subset of core's ProviderCallContext). */
export interface TechnestCall {
  readonly signal?: AbortSignal | undefined;
  readonly logger: KycLogger;
  now(): Date;
}

/** A request to the API host, relative to `baseUrl`. */
export type ApiRequest = Omit<Extract<HttpRequest, { path: string }>, 'signal' | 'mapError'>;

/**
 * The HTTP side of the adapter: one toolkit client (one undici Agent unless a
 * dispatcher is injected), Technest's error envelope attached to every error,
 * and the toolkit's per-attempt log lines routed to the logger of the call
 * that caused them (concurrent calls each see their own lines).
 */
export interface TechnestClient {
  readonly provider: string;
  /** A request with no credentials (the OAuth token endpoint, pre-signed storage URLs). */
  send(request: HttpRequest, call: TechnestCall): Promise<HttpResponse>;
  /** A `/v1` call with `Authorization: Bearer …`, refreshed once on a 401 `token_expired`. */
  api(request: ApiRequest, call: TechnestCall): Promise<HttpResponse>;
  /** Runs `work` with `logger` receiving the toolkit's request lines. */
  withLogger<T>(logger: KycLogger, work: () => Promise<T>): Promise<T>;
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
  const callLogger = new AsyncLocalStorage<KycLogger>();
  const http: HttpClient = createHttpClient({
    provider: options.provider,
    baseUrl: options.baseUrl,
    dispatcher: options.dispatcher,
    timeoutMs: options.timeoutMs,
    deadlineMs: options.deadlineMs,
    logger: forwardingLogger(callLogger),
    mapError: (response) => errorInfo(parseErrorEnvelope(response)),
  });

  async function send(request: HttpRequest, call: TechnestCall): Promise<HttpResponse> {
    let envelope: TechnestErrorEnvelope | undefined;
    const userMapError = request.mapError;
    try {
      return await http.request({
        ...request,
        signal: call.signal,
        mapError:
          userMapError ??
          ((response) => {
            envelope = parseErrorEnvelope(response);
            return errorInfo(envelope);
          }),
      } as HttpRequest);
    } catch (error) {
      rememberEnvelope(error, envelope);
      throw error;
    }
  }

  const tokens = options.tokens(send);

  return {
    provider: options.provider,
    send,
    api(request, call) {
      return tokens.withAccessToken(call, (token) =>
        send({ ...request, headers: { ...request.headers, Authorization: `Bearer ${token}` } } as HttpRequest, call),
      );
    },
    withLogger(logger, work) {
      return callLogger.run(logger, work);
    },
    close: () => http.close(),
  };
}

/** A logger that writes to whichever call's logger is current (nothing outside a call). */
function forwardingLogger(storage: AsyncLocalStorage<KycLogger>): KycLogger {
  const forward =
    (level: keyof KycLogger) =>
    (obj: Record<string, unknown>, msg?: string): void => {
      storage.getStore()?.[level](obj, msg);
    };
  return { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') };
}
