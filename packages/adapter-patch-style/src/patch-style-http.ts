import { AuthenticationError, type KycLogger } from '@openkyc/core';
import { createHttpClient, type ErrorResponse, type HttpClient, type HttpRequest, type HttpResponse, type ProviderErrorInfo } from '@openkyc/core/http';
import type { Dispatcher } from 'undici';
import { parseErrorEnvelope, PATCH_STYLE_CODES } from './patch-style-error-envelope.js';
import type { PatchStyleRefreshApiKey } from './patch-style-options.js';

/**
 * The HTTP client of one adapter instance: the core toolkit (one undici Agent,
 * timeouts, retries of safe requests, typed errors) plus the provider's bearer
 * authentication with its token-refresh rule: on 401 the configured
 * `refreshApiKey` is called once and the request repeated once; a second 401
 * (or no callback) is an `AuthenticationError`.
 */
export function createPatchStyleHttp(options: PatchStyleHttpOptions): PatchStyleHttp {
  const client: HttpClient = createHttpClient({
    provider: options.provider,
    baseUrl: apiBaseUrl(options.baseUrl),
    dispatcher: options.dispatcher,
    timeoutMs: options.timeoutMs,
    logger: options.logger,
    mapError: mapPatchStyleError,
    providerCodes: PATCH_STYLE_CODES,
    headers: { accept: 'application/json' },
  });
  let apiKey = options.apiKey;
  let refreshing: Promise<string> | undefined;

  async function refreshedKey(staleKey: string): Promise<string> {
    // Another call already refreshed while this one was in flight: use its key.
    if (apiKey !== staleKey) return apiKey;
    refreshing ??= runRefresh().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  async function runRefresh(): Promise<string> {
    const refresh = options.refreshApiKey as PatchStyleRefreshApiKey;
    let next: unknown;
    try {
      next = await refresh();
    } catch (cause) {
      throw new AuthenticationError(
        `${options.provider} answered 401 and refreshApiKey failed; check the credentials source.`,
        { provider: options.provider, status: 401, providerCode: 'UNAUTHORIZED', cause },
      );
    }
    if (typeof next !== 'string' || next.trim() === '' || /\s/.test(next.trim())) {
      throw new AuthenticationError(`${options.provider} answered 401 and refreshApiKey did not resolve to an API key string.`, {
        provider: options.provider,
        status: 401,
        providerCode: 'UNAUTHORIZED',
      });
    }
    apiKey = next.trim();
    return apiKey;
  }

  return {
    async request(request: HttpRequest): Promise<HttpResponse> {
      const keyUsed = apiKey;
      try {
        return await client.request(withBearer(request, keyUsed));
      } catch (error) {
        if (!AuthenticationError.isInstance(error) || options.refreshApiKey === undefined) throw error;
        const fresh = await refreshedKey(keyUsed);
        return client.request(withBearer(request, fresh));
      }
    },
    close: () => client.close(),
  };
}

export interface PatchStyleHttpOptions {
  readonly provider: string;
  readonly baseUrl: string | URL;
  readonly apiKey: string;
  readonly refreshApiKey?: PatchStyleRefreshApiKey | undefined;
  readonly dispatcher?: Dispatcher | undefined;
  readonly timeoutMs?: number | undefined;
  readonly logger?: KycLogger | undefined;
}

export interface PatchStyleHttp {
  /** A toolkit request with `Authorization: Bearer <current key>`, refreshed once on 401 when configured. */
  request(request: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

/**
 * The guide writes the API both ways: `https://api.example.com` + `/api/v1/customers`
 * and a sandbox "Base URL" of `https://api.sandbox.example.com/api/v1`. Both are
 * accepted: the returned base always ends with `/api/v1`.
 */
export function apiBaseUrl(baseUrl: string | URL): string {
  const url = new URL(String(baseUrl));
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = /\/api\/v1$/i.test(path) ? path : `${path}/api/v1`;
  return url.href.replace(/\/+$/, '');
}

/**
 * The error envelope `{error, message, statusCode}` → provider code and message, as sent: the toolkit keeps
 * the code only when it is in {@link PATCH_STYLE_CODES} and scrubs the message with the request's scrubber.
 */
export function mapPatchStyleError(response: ErrorResponse): ProviderErrorInfo | undefined {
  const envelope = parseErrorEnvelope(response.json);
  if (envelope === undefined) return undefined;
  return { providerCode: envelope.error, message: envelope.message };
}

function withBearer(request: HttpRequest, apiKey: string): HttpRequest {
  return { ...request, headers: { ...request.headers, authorization: `Bearer ${apiKey}` } } as HttpRequest;
}
