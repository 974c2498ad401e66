/**
 * `@openkyc/core/http` — the HTTP toolkit adapters call their providers with:
 * one undici Agent per client, per-attempt timeouts and a total deadline,
 * retries with full-jitter backoff (only for requests safe to repeat),
 * `Retry-After`, typed errors, bodies always consumed, redacted logs.
 *
 * @packageDocumentation
 * @module http
 */
export { createHttpClient } from './http-client.js';
export type { HttpClient, HttpClientOptions, HttpRequest } from './http-client.js';
export type { HttpResponse } from './response.js';
export type { ErrorResponse, HttpHeaders, HttpMethod, MapError, ProviderErrorInfo } from './types.js';
export type { QueryParams } from './request-url.js';
export type { FormDataLike, FormFields, MultipartBody, MultipartField, MultipartFile, MultipartPart } from './request-body.js';

export { mapHttpError } from './map-http-error.js';
export type { HttpErrorInput } from './map-http-error.js';
export { mapTransportError } from './transport-error.js';
export type { TransportErrorInput } from './transport-error.js';

export { parseRetryAfter } from './retry-after.js';
export { DEFAULT_RETRY, DEFAULT_RETRY_STATUSES, backoffDelay, isSafeToRetry } from './retry-policy.js';
export type { RetryOptions } from './retry-policy.js';
