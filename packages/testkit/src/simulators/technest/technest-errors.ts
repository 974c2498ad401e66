import { jsonResponse, type SimulatorResponse } from '../shared/simulator-server.js';

/**
 * Every `/v1` error code of the contract with its HTTP status and envelope
 * `type`. Keeping them in one table means a handler cannot pair a code with the
 * wrong status or type.
 */
export const TECHNEST_ERROR_CODES = {
  validation_failed: { status: 400, type: 'invalid_request_error' },
  missing_required_files: { status: 400, type: 'invalid_request_error' },
  file_not_uploaded: { status: 400, type: 'invalid_request_error' },
  unsupported_document: { status: 400, type: 'invalid_request_error' },
  kyb_required: { status: 400, type: 'invalid_request_error' },
  token_expired: { status: 401, type: 'authentication_error' },
  invalid_token: { status: 401, type: 'authentication_error' },
  insufficient_scope: { status: 403, type: 'permission_error' },
  customer_not_found: { status: 404, type: 'not_found' },
  file_not_found: { status: 404, type: 'not_found' },
  // Not in the contract's table: only for paths no adapter should call.
  route_not_found: { status: 404, type: 'not_found' },
  customer_reference_taken: { status: 409, type: 'conflict' },
  verification_in_progress: { status: 409, type: 'conflict' },
  customer_rejected: { status: 409, type: 'conflict' },
  rate_limited: { status: 429, type: 'rate_limit_error' },
  internal_error: { status: 500, type: 'api_error' },
  upstream_unavailable: { status: 503, type: 'api_error' },
} as const satisfies Record<string, { status: number; type: string }>;

export type TechnestErrorCode = keyof typeof TECHNEST_ERROR_CODES;

export interface TechnestErrorExtras {
  readonly param?: string;
  /** Only with `customer_reference_taken`. */
  readonly existing_customer_id?: string;
}

/** `{"error":{"type","code","message","param"?, …extras}}` */
export function technestErrorBody(
  code: TechnestErrorCode,
  message: string,
  extras: TechnestErrorExtras = {},
): {
  /** `type`, `code`, `message` and the extras given. */
  error: Record<string, string>;
} {
  const error: Record<string, string> = { type: TECHNEST_ERROR_CODES[code].type, code, message };
  if (extras.param !== undefined) error.param = extras.param;
  if (extras.existing_customer_id !== undefined) error.existing_customer_id = extras.existing_customer_id;
  return { error };
}

export function technestError(
  code: TechnestErrorCode,
  message: string,
  extras: TechnestErrorExtras = {},
  headers: Readonly<Record<string, string>> = {},
): SimulatorResponse {
  return jsonResponse(TECHNEST_ERROR_CODES[code].status, technestErrorBody(code, message, extras), headers);
}
