import { jsonResponse, type SimulatorResponse } from '../shared/simulator-server.js';

/**
 * Fineract error envelopes. Every error body has the same five keys, with
 * `httpStatusCode` as a STRING, and `errors` holding one entry per bad
 * parameter (400) or per violated rule (403).
 */

/** One entry of `errors[]` (Fineract's `ApiParameterError`). */
export type ClientsCommandErrorEntry = {
  readonly developerMessage: string;
  readonly defaultUserMessage: string;
  readonly userMessageGlobalisationCode: string;
  readonly parameterName: string;
  readonly value: unknown;
  readonly args: readonly unknown[];
};

// Type aliases (not interfaces) so the bodies are assignable to `Record<string, unknown>`.
export type ClientsCommandErrorBody = {
  readonly developerMessage: string;
  readonly httpStatusCode: string;
  readonly defaultUserMessage: string;
  readonly userMessageGlobalisationCode: string;
  readonly errors: readonly ClientsCommandErrorEntry[];
};

/** A problem found by validation or by a domain rule, before it becomes an envelope entry. */
export interface ClientsCommandViolation {
  readonly code: string;
  readonly parameterName: string;
  readonly message: string;
  readonly value?: unknown;
}

export function errorEntry(violation: ClientsCommandViolation): ClientsCommandErrorEntry {
  return {
    developerMessage: violation.message,
    defaultUserMessage: violation.message,
    userMessageGlobalisationCode: violation.code,
    parameterName: violation.parameterName,
    value: violation.value ?? null,
    args: [],
  };
}

/** The contract's 401 body, byte for byte. */
export const UNAUTHENTICATED_BODY: ClientsCommandErrorBody = {
  developerMessage: 'Invalid authentication details were passed in api request.',
  httpStatusCode: '401',
  defaultUserMessage: 'Unauthenticated. Please login.',
  userMessageGlobalisationCode: 'error.msg.not.authenticated',
  errors: [],
};

export function unauthenticated(): SimulatorResponse {
  return jsonResponse(401, UNAUTHENTICATED_BODY, { 'www-authenticate': 'Basic realm="Fineract Platform API"' });
}

/** 400 `validation.msg.validation.errors.exist`, one entry per bad parameter. */
export function validationFailed(violations: readonly ClientsCommandViolation[]): SimulatorResponse {
  return jsonResponse(400, {
    developerMessage: 'The request was invalid. This typically will happen due to validation errors which are provided.',
    httpStatusCode: '400',
    defaultUserMessage: 'Validation errors exist.',
    userMessageGlobalisationCode: 'validation.msg.validation.errors.exist',
    errors: violations.map(errorEntry),
  } satisfies ClientsCommandErrorBody);
}

/** 403 `validation.msg.domain.rule.violation`, listing every violated rule. */
export function domainRuleViolation(violations: readonly ClientsCommandViolation[]): SimulatorResponse {
  return jsonResponse(403, {
    developerMessage: 'Request was understood but caused a domain rule violation.',
    httpStatusCode: '403',
    defaultUserMessage: 'Errors contain reason for domain rule violation.',
    userMessageGlobalisationCode: 'validation.msg.domain.rule.violation',
    errors: violations.map(errorEntry),
  } satisfies ClientsCommandErrorBody);
}

/**
 * 403 for a uniqueness clash (Fineract's `PlatformDataIntegrityException`):
 * the specific code is both the top-level `userMessageGlobalisationCode` and
 * the code of the single entry, so a reader looking at either finds it.
 */
export function dataIntegrityViolation(violation: ClientsCommandViolation): SimulatorResponse {
  return jsonResponse(403, {
    developerMessage: violation.message,
    httpStatusCode: '403',
    defaultUserMessage: violation.message,
    userMessageGlobalisationCode: violation.code,
    errors: [errorEntry(violation)],
  } satisfies ClientsCommandErrorBody);
}

/** 404 with the specific code at the top level and in the single entry (`error.msg.client.id.invalid`). */
export function resourceNotFound(code: string, parameterName: string, message: string, value: unknown = null): SimulatorResponse {
  return jsonResponse(404, {
    developerMessage: message,
    httpStatusCode: '404',
    defaultUserMessage: message,
    userMessageGlobalisationCode: code,
    errors: [errorEntry({ code, parameterName, message, value })],
  } satisfies ClientsCommandErrorBody);
}

export function clientNotFound(clientId: string | number): SimulatorResponse {
  return resourceNotFound('error.msg.client.id.invalid', 'id', `Client with identifier ${clientId} does not exist`, clientId);
}

/** For paths this provider does not have (not part of the contract; an adapter should never see it). */
export function routeNotFound(method: string, path: string): SimulatorResponse {
  return resourceNotFound('error.msg.resource.not.found', 'path', `No resource at ${method} ${path}.`, path);
}

/** 415 for a JSON endpoint called without `Content-Type: application/json` (JAX-RS refuses it before Fineract runs). */
export function unsupportedMediaType(expected: string, received: string | undefined): SimulatorResponse {
  const message = `Content-Type must be ${expected}; received ${received ?? 'none'}.`;
  return jsonResponse(415, {
    developerMessage: message,
    httpStatusCode: '415',
    defaultUserMessage: message,
    userMessageGlobalisationCode: 'error.msg.unsupported.media.type',
    errors: [],
  } satisfies ClientsCommandErrorBody);
}

/** Envelope for an injected fault status that came without a body (429, 5xx…). */
export function faultBody(status: number): ClientsCommandErrorBody {
  const known: Record<number, readonly [code: string, message: string]> = {
    429: ['error.msg.too.many.requests', 'Too many requests. Retry later.'],
    500: ['error.msg.platform.server.side.error', 'An unexpected error occurred on the platform server.'],
    502: ['error.msg.platform.bad.gateway', 'Bad gateway.'],
    503: ['error.msg.platform.service.unavailable', 'The platform is temporarily unavailable.'],
    504: ['error.msg.platform.gateway.timeout', 'Gateway timeout.'],
  };
  const [code, message] = known[status] ?? [`error.msg.http.${status}`, `HTTP ${status}.`];
  return { developerMessage: message, httpStatusCode: String(status), defaultUserMessage: message, userMessageGlobalisationCode: code, errors: [] };
}
