import type { FaultSpec } from '../shared/fault-injection.js';
import { technestErrorBody } from './technest-errors.js';

/** Where a preset applies; defaults to every API path, any method. */
export interface TechnestFaultTarget {
  readonly method?: string;
  readonly path?: string | RegExp;
  readonly times?: number;
  readonly latencyMs?: number;
}

const ANY_API_PATH = /^\//;

/** 429 `rate_limited` with `Retry-After: <seconds>`, in the contract's envelope. */
export function technestRateLimitFault(options: TechnestFaultTarget & { readonly retryAfterSeconds?: number } = {}): FaultSpec {
  return {
    ...apiTarget(options),
    status: 429,
    headers: { 'Retry-After': String(options.retryAfterSeconds ?? 1) },
    body: technestErrorBody('rate_limited', 'Too many requests; retry after the Retry-After delay'),
  };
}

/** 500 `internal_error` or 503 `upstream_unavailable` (the banking partner is down). */
export function technestServerErrorFault(
  options: TechnestFaultTarget & { readonly code?: 'internal_error' | 'upstream_unavailable' } = {},
): FaultSpec {
  const code = options.code ?? 'internal_error';
  return {
    ...apiTarget(options),
    status: code === 'internal_error' ? 500 : 503,
    body: technestErrorBody(code, code === 'internal_error' ? 'Internal error' : 'The upstream banking partner is unavailable'),
  };
}

function apiTarget(options: TechnestFaultTarget): FaultSpec {
  return {
    server: 'api',
    path: options.path ?? ANY_API_PATH,
    ...(options.method === undefined ? {} : { method: options.method }),
    ...(options.times === undefined ? {} : { times: options.times }),
    ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
  };
}
