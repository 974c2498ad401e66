import { asCodeSegment, echoedValues, echoSentence } from '../shared/echo-faults.js';
import { faultTarget, type FaultSpec, type FaultTarget } from '../shared/fault-injection.js';
import { TECHNEST_ERROR_CODES, technestErrorBody, type TechnestErrorCode } from './technest-errors.js';

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


/**
 * An error that echoes what the request sent, as a careless provider does:
 * every sent value (and its reformatted forms, dates in words included) in
 * `message`, all of them joined into `code` unless a documented `code` is
 * given, and into `param`. For testing that no submitted value reaches an
 * error, a log line or an event.
 */
export function technestEchoFault(options: TechnestFaultTarget & { readonly status: number; readonly code?: TechnestErrorCode }): FaultSpec {
  return {
    ...faultTarget(options),
    status: options.status,
    body: (request) => {
      const values = echoedValues(request);
      const joined = values.join('.');
      return {
        error: {
          type: options.code === undefined ? typeForStatus(options.status) : TECHNEST_ERROR_CODES[options.code].type,
          code: options.code ?? asCodeSegment(values.join(' ')),
          message: `Refused ${echoSentence(values)}`,
          param: joined === '' ? 'value' : joined,
        },
      };
    },
  };
}

function typeForStatus(status: number): string {
  const row = Object.values(TECHNEST_ERROR_CODES).find((entry) => entry.status === status);
  return row?.type ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}
