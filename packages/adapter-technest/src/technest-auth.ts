import { AuthenticationError, lazySchema } from '@openkyc/core';
import type { HttpRequest, HttpResponse } from '@openkyc/core/http';
import type { z } from 'zod';
import type { TechnestCall } from './technest-call.js';
import { isStaleTokenError, technestErrorCode } from './technest-errors.js';

/**
 * OAuth 2.0 client credentials with a token cache:
 * - one token is reused until shortly before `expires_in` runs out (by the
 *   clock of the call, i.e. core's injectable clock);
 * - concurrent callers share one in-flight token request;
 * - a call answered 401 `token_expired` (or `invalid_token`: revoked, or
 *   forgotten by the server) gets a new token once and is repeated once; a
 *   second 401 is an `AuthenticationError`.
 */
export interface AccessTokens {
  /** A valid access token, from the cache or a new token request. */
  token(call: TechnestCall): Promise<string>;
  /** Forgets `token` if it is the cached one (a newer token fetched meanwhile is kept). */
  invalidate(token: string): void;
  /** Runs `request` with a token; on a stale-token 401, once more with a fresh token. */
  withAccessToken<T>(call: TechnestCall, request: (token: string) => Promise<T>): Promise<T>;
  /** The cached token while it is valid (by the call's clock), without waiting: `withAccessToken`'s common case. */
  cached(call: TechnestCall): string | undefined;
  /**
   * After `request` failed with the token `refused`: on a stale-token 401, once more with a fresh token (a
   * second one is an AuthenticationError); any other error is rethrown. What `withAccessToken` does on failure.
   */
  retryStale<T>(call: TechnestCall, request: (token: string) => Promise<T>, refused: string, error: unknown): Promise<T>;
}

export interface AccessTokenOptions {
  readonly provider: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Sends the token request (no credentials header: they go in the form body). */
  readonly send: (request: HttpRequest, call: TechnestCall) => Promise<HttpResponse>;
}

/** The scope every Technest call of this adapter needs. */
export const TECHNEST_SCOPE = 'customer:write';
/** Refresh this long before expiry (capped at a tenth of the token's lifetime). */
const REFRESH_MARGIN_MS = 60_000;

interface CachedToken {
  readonly value: string;
  /** Epoch ms (call clock) after which the token is not handed out any more. */
  readonly refreshAtMs: number;
}

export function createAccessTokens(options: AccessTokenOptions): AccessTokens {
  let cached: CachedToken | undefined;
  let inFlight: Promise<CachedToken> | undefined;

  async function requestToken(call: TechnestCall): Promise<CachedToken> {
    const requestedAtMs = call.now().getTime();
    const response = await options.send(
      {
        method: 'POST',
        path: '/oauth/token',
        form: {
          grant_type: 'client_credentials',
          client_id: options.clientId,
          client_secret: options.clientSecret,
          scope: TECHNEST_SCOPE,
        },
        // Issuing a token twice changes nothing that matters: safe to repeat.
        idempotent: true,
      },
      // Shared by every waiting caller, so no single caller's signal may abort it.
      { logger: call.logger, now: () => call.now() },
    );
    const body = response.json(tokenResponseSchema());
    const lifetimeMs = body.expires_in * 1000;
    const margin = Math.min(REFRESH_MARGIN_MS, lifetimeMs / 10);
    return { value: body.access_token, refreshAtMs: requestedAtMs + lifetimeMs - margin };
  }

  async function token(call: TechnestCall): Promise<string> {
    if (cached !== undefined && call.now().getTime() < cached.refreshAtMs) return cached.value;
    if (inFlight === undefined) {
      const request = requestToken(call).then(
        (fresh) => {
          cached = fresh;
          return fresh;
        },
        (error: unknown) => {
          throw tokenRequestError(error, options.provider);
        },
      );
      inFlight = request;
      // Cleared whatever the outcome; a failure is not cached.
      void request.then(
        () => (inFlight === request ? (inFlight = undefined) : undefined),
        () => (inFlight === request ? (inFlight = undefined) : undefined),
      );
    }
    return (await abortable(inFlight, call.signal)).value;
  }

  function invalidate(value: string): void {
    if (cached?.value === value) cached = undefined;
  }

  function current(call: TechnestCall): string | undefined {
    return cached !== undefined && call.now().getTime() < cached.refreshAtMs ? cached.value : undefined;
  }

  return {
    token,
    invalidate,
    withAccessToken(call, request) {
      // The common case (a cached token) calls straight through: no await before the request.
      const token = current(call);
      if (token === undefined) return withFetchedToken(call, request);
      return request(token).catch((error: unknown) => retryWithFreshToken(call, request, token, error));
    },
    cached: current,
    retryStale: retryWithFreshToken,
  };

  async function withFetchedToken<T>(call: TechnestCall, request: (token: string) => Promise<T>): Promise<T> {
    const first = await token(call);
    try {
      return await request(first);
    } catch (error) {
      return retryWithFreshToken(call, request, first, error);
    }
  }

  /** A stale-token 401 on `refused`: once more with a fresh token; a second one is an AuthenticationError. */
  async function retryWithFreshToken<T>(call: TechnestCall, request: (token: string) => Promise<T>, refused: string, error: unknown): Promise<T> {
    if (!isStaleTokenError(error)) throw error;
    call.logger.info({ provider: options.provider, providerCode: technestErrorCode(error) }, 'access token refused; fetching a new one');
    invalidate(refused);
    const second = await token(call);
    try {
      return await request(second);
    } catch (error) {
      if (!isStaleTokenError(error)) throw error;
      throw new AuthenticationError(
        `${options.provider} refused a freshly issued access token (401 ${technestErrorCode(error) ?? ''}). Check that the OAuth client is active and has the ${TECHNEST_SCOPE} scope.`,
        { provider: options.provider, status: 401, providerCode: technestErrorCode(error), cause: error },
      );
    }
  }
}

function tokenRequestError(error: unknown, provider: string): unknown {
  if (AuthenticationError.isInstance(error)) {
    return new AuthenticationError(
      `${provider} refused the OAuth client credentials (401 ${technestErrorCode(error) ?? 'invalid_client'}): check clientId and clientSecret.`,
      { provider, status: error.status, providerCode: technestErrorCode(error), cause: error },
    );
  }
  return error;
}

/** Waits for a shared promise, but lets one caller's signal end its own wait. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

/** The OAuth token answer; `expires_in` absent or nonsense means a conservative five minutes. */
const tokenResponseSchema = lazySchema((z) =>
  z.object({
    access_token: z.string().min(1),
    expires_in: z
      .unknown()
      .optional()
      .transform((value) => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 300)),
  }),
);
