import { jsonResponse, type SimulatorResponse } from '../shared/simulator-server.js';
import type { PatchStyleCustomerStatus } from './patch-style-state.js';

/**
 * Every error code of the contract with its HTTP status. `INTERNAL_ERROR` is
 * listed with 500 but may be sent with any 5xx (see `patchStyleErrorBody`).
 */
export const PATCH_STYLE_ERROR_CODES = {
  BAD_REQUEST: 400,
  PATCH_NOT_ALLOWED: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
} as const satisfies Record<string, number>;

export type PatchStyleErrorCode = keyof typeof PATCH_STYLE_ERROR_CODES;

export interface PatchStyleErrorBody {
  readonly error: PatchStyleErrorCode;
  readonly message: string;
  readonly statusCode: number;
  /** Only with `PATCH_NOT_ALLOWED`. */
  readonly customerStatus?: PatchStyleCustomerStatus;
}

export const UNAUTHORIZED_MESSAGE = 'Invalid or expired API key';

/** `{"error":"<CODE>","message":"…","statusCode":<n>}` (+ `customerStatus` for `PATCH_NOT_ALLOWED`). */
export function patchStyleErrorBody(
  code: PatchStyleErrorCode,
  message: string,
  options: { readonly statusCode?: number; readonly customerStatus?: PatchStyleCustomerStatus } = {},
): PatchStyleErrorBody {
  const statusCode = options.statusCode ?? PATCH_STYLE_ERROR_CODES[code];
  return {
    error: code,
    message,
    statusCode,
    ...(options.customerStatus === undefined ? {} : { customerStatus: options.customerStatus }),
  };
}

export function patchStyleError(
  code: PatchStyleErrorCode,
  message: string,
  options: { readonly statusCode?: number; readonly customerStatus?: PatchStyleCustomerStatus; readonly headers?: Readonly<Record<string, string>> } = {},
): SimulatorResponse {
  const body = patchStyleErrorBody(code, message, options);
  return jsonResponse(body.statusCode, body, options.headers);
}

/** `"Validation failed: phoneNumber must be in E.164 format"`; several problems are joined with `; `. */
export function validationFailed(problems: readonly string[]): SimulatorResponse {
  return patchStyleError('BAD_REQUEST', `Validation failed: ${problems.join('; ')}`);
}
