import { faultTarget, type FaultSpec, type FaultTarget } from '../shared/fault-injection.js';
import { technestErrorBody } from './technest-errors.js';

/** Where a preset applies; defaults to every API path, any method. */
export type TechnestFaultTarget = FaultTarget;

/** 429 `rate_limited` with `Retry-After: <seconds>`, in the contract's envelope. */
export function technestRateLimitFault(options: TechnestFaultTarget & { readonly retryAfterSeconds?: number } = {}): FaultSpec {
  return {
    ...faultTarget(options),
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
    ...faultTarget(options),
    status: code === 'internal_error' ? 500 : 503,
    body: technestErrorBody(code, code === 'internal_error' ? 'Internal error' : 'The upstream banking partner is unavailable'),
  };
}

