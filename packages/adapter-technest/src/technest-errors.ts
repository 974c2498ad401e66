import {
  AuthenticationError,
  NotRetryableError,
  ProviderError,
  ValidationError,
  defaultProviderTextScrubber,
  documentedProviderCode,
  providerCodeVocabulary,
  type ProviderTextScrubber,
  type ValidationIssue,
  lazySchema,
} from '@openkyc/core';
import type { ErrorResponse, ProviderErrorInfo } from '@openkyc/core/http';
import type { z } from 'zod';

/**
 * Technest's error envelope, `{"error":{"type","code","message","param"?}}`
 * (plus `existing_customer_id` on `customer_reference_taken`), and the OAuth
 * endpoint's `{"error","error_description"}`. Unknown codes and fields are
 * tolerated: the envelope is read, never trusted to be complete.
 */
const apiErrorEnvelopeSchema = lazySchema((z) =>
  z.object({
    error: z.object({
      type: z.string().nullish(),
      code: z.string().nullish(),
      message: z.string().nullish(),
      param: z.string().nullish(),
      existing_customer_id: z.string().nullish(),
    }),
  }),
);

const oauthErrorSchema = lazySchema((z) =>
  z.object({
    error: z.string(),
    error_description: z.string().nullish(),
  }),
);

/** What an error response said, as far as the adapter acts on it. */
export interface TechnestErrorEnvelope {
  readonly status: number;
  readonly code?: string | undefined;
  readonly type?: string | undefined;
  readonly param?: string | undefined;
  readonly existingCustomerId?: string | undefined;
}

export function parseErrorEnvelope(response: ErrorResponse): TechnestErrorEnvelope {
  const api = apiErrorEnvelopeSchema().safeParse(response.json);
  if (api.success) {
    const { code, type, param, existing_customer_id } = api.data.error;
    return {
      status: response.status,
      code: code ?? undefined,
      type: type ?? undefined,
      param: param ?? undefined,
      existingCustomerId: existing_customer_id ?? undefined,
    };
  }
  const oauth = oauthErrorSchema().safeParse(response.json);
  if (oauth.success) return { status: response.status, code: oauth.data.error };
  return { status: response.status };
}

/**
 * What goes into the toolkit's error: the provider code (which the toolkit
 * keeps only when it is in {@link TECHNEST_CODES} and carries no submitted
 * value) and a description of our own. Technest's free-text `message` is never
 * used — it is the provider's text and echoes submitted values — and `param`
 * only when it names a field Technest documents.
 */
export function errorInfo(envelope: TechnestErrorEnvelope): ProviderErrorInfo {
  const code = envelope.code;
  const description = code !== undefined && Object.hasOwn(CODE_DESCRIPTIONS, code) ? CODE_DESCRIPTIONS[code] : undefined;
  const param = documentedParam(envelope.param);
  const message = [description, param === undefined ? undefined : `param ${param}`].filter((part) => part !== undefined).join('; ');
  return { providerCode: code, message: message === '' ? undefined : message };
}

/**
 * Technest's documented error codes (the contract's table, the OAuth
 * endpoint's `error` values): nothing else reaches an error or a log line.
 */
export const TECHNEST_CODES = providerCodeVocabulary([
  'validation_failed',
  'missing_required_files',
  'file_not_uploaded',
  'unsupported_document',
  'kyb_required',
  'token_expired',
  'invalid_token',
  'insufficient_scope',
  'customer_not_found',
  'file_not_found',
  'customer_reference_taken',
  'verification_in_progress',
  'customer_rejected',
  'rate_limited',
  'internal_error',
  'upstream_unavailable',
  'invalid_client',
  'invalid_scope',
  'invalid_request',
  'unsupported_grant_type',
]);

const CODE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  validation_failed: 'a field is missing or invalid',
  missing_required_files: 'id_file must be attached before the KYC acknowledgement',
  file_not_uploaded: 'a file was attached before its bytes were uploaded',
  unsupported_document: 'the document or file type is not accepted',
  kyb_required: 'business customers verify through the KYB onboarding',
  token_expired: 'the access token expired',
  invalid_token: 'the access token is missing or unknown',
  insufficient_scope: 'the OAuth client lacks the customer:write scope',
  customer_not_found: 'no such customer',
  file_not_found: 'no such file for this customer',
  customer_reference_taken: 'a customer with this customer_reference already exists',
  verification_in_progress: 'the customer is under review; its details and files are locked',
  customer_rejected: 'the customer was rejected; a retry needs a new customer',
  rate_limited: 'too many requests',
  internal_error: 'internal error',
  upstream_unavailable: 'the upstream banking partner is unavailable',
  invalid_client: 'the client credentials were refused',
  invalid_scope: 'the requested scope was refused',
  invalid_request: 'the token request was malformed',
  unsupported_grant_type: 'the grant type was refused',
};

// ---------------------------------------------------------------------------
// The envelope travels with the error it caused.

const envelopes = new WeakMap<object, TechnestErrorEnvelope>();

export function rememberEnvelope(error: unknown, envelope: TechnestErrorEnvelope | undefined): void {
  if (envelope !== undefined && typeof error === 'object' && error !== null) envelopes.set(error, envelope);
}

export function envelopeOf(error: unknown): TechnestErrorEnvelope | undefined {
  return typeof error === 'object' && error !== null ? envelopes.get(error) : undefined;
}

/**
 * The Technest error code of a failed call (`customer_reference_taken`, `token_expired`…), as sent:
 * for decisions only, never for messages or logs (use the error's vetted `providerCode` there).
 */
export function technestErrorCode(error: unknown): string | undefined {
  const fromEnvelope = envelopeOf(error)?.code;
  if (fromEnvelope !== undefined) return fromEnvelope;
  return ProviderError.isInstance(error) ? error.providerCode : undefined;
}

// ---------------------------------------------------------------------------
// From Technest codes to the errors core's callers act on.

/** Where a Technest `param` points in what the caller sent: the application, or createCustomer's input. */
export type ParamScope = 'application' | 'customer';

export interface TranslateContext {
  readonly provider: string;
  readonly scope: ParamScope;
  /** Scrubs what the operation sent; codes carrying a value are dropped with it. */
  readonly scrubber?: ProviderTextScrubber | undefined;
}

/**
 * Turns a ProviderError carrying a Technest code into the error the caller can
 * act on: `ValidationError` at the field's path for `validation_failed`,
 * `NotRetryableError` for `kyb_required`, an `invalid_state` ProviderError for
 * the 409 lock codes, `AuthenticationError` for `insufficient_scope`. Anything
 * else is returned unchanged.
 */
export function translateTechnestError(error: unknown, context: TranslateContext): unknown {
  if (!ProviderError.isInstance(error)) return error;
  const envelope = envelopeOf(error);
  const code = technestErrorCode(error);
  const { provider } = context;
  const providerCode = documentedProviderCode(code, TECHNEST_CODES, context.scrubber ?? defaultProviderTextScrubber);
  const details = { provider, status: error.status, providerCode, cause: error };

  switch (providerCode) {
    case 'validation_failed': {
      const param = documentedParam(envelope?.param);
      return new ValidationError(
        [paramIssue(envelope?.param, context.scope)],
        `${provider} refused the data (HTTP ${error.status ?? 400} validation_failed${param !== undefined ? `, param ${param}` : ''}); fix the field and submit again.`,
        { cause: error },
      );
    }
    case 'kyb_required':
      return new NotRetryableError(
        `${provider} verifies business customers through its separate KYB onboarding (beneficial owners and business documents), not through this adapter's document flow; onboard business customers there or with another provider.`,
        { cause: error },
      );
    case 'unsupported_document':
      return new ProviderError(
        `${provider} does not accept this document or file type (unsupported_document): send a passport, drivers_license or residence_permit as JPEG, PNG or PDF.`,
        { ...details, retryable: false },
      );
    case 'verification_in_progress':
      return new ProviderError(
        `${provider} is already reviewing this customer (409 verification_in_progress): its details and files are locked; wait for the decision (webhook, refresh or reconcile).`,
        { ...details, retryable: false },
        'invalid_state',
      );
    case 'customer_rejected':
      return new ProviderError(
        `${provider} rejected this customer record (409 customer_rejected): it cannot be changed or re-submitted; submit again to retry on a new record.`,
        { ...details, retryable: false },
        'invalid_state',
      );
    case 'insufficient_scope':
      return new AuthenticationError(
        `${provider} refused the call (403 insufficient_scope): the OAuth client needs the customer:write scope.`,
        details,
      );
    default:
      return error;
  }
}

/** An issue at the path the Technest `param` names; the message names only documented fields, never a value. */
export function paramIssue(param: string | undefined, scope: ParamScope): ValidationIssue {
  const table = scope === 'customer' ? CUSTOMER_PARAM_PATHS : APPLICATION_PARAM_PATHS;
  const key = param === undefined ? undefined : normalizeParam(param);
  const known = key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
  const shown = documentedParam(param) ?? 'a field';
  return {
    path: known ?? [],
    code: 'provider_validation_failed',
    message: `Technest refused ${shown}: it is missing or not in the expected format; check it and send it again.`,
  };
}

/** `address.postal_code`, `address[postal_code]` → `address.postal_code`. */
function normalizeParam(param: string): string {
  return param.replace(/\[([^\]]+)\]/g, '.$1').replace(/^\./, '');
}

/** `param` as Technest wrote it when it names a field of the contract; `undefined` for anything else (a value). */
function documentedParam(param: string | undefined): string | undefined {
  if (param === undefined) return undefined;
  const key = normalizeParam(param.trim());
  return Object.hasOwn(APPLICATION_PARAM_PATHS, key) || Object.hasOwn(CUSTOMER_PARAM_PATHS, key) ? key : undefined;
}

const APPLICATION_PARAM_PATHS: Readonly<Record<string, readonly (string | number)[]>> = {
  email: ['person', 'email'],
  first_name: ['person', 'firstName'],
  last_name: ['person', 'lastName'],
  date_of_birth: ['person', 'dateOfBirth'],
  phone: ['person', 'phone'],
  country: ['address', 'country'],
  address: ['address'],
  'address.line1': ['address', 'line1'],
  'address.line2': ['address', 'line2'],
  'address.city': ['address', 'city'],
  'address.state': ['address', 'state'],
  'address.postal_code': ['address', 'postalCode'],
  'address.country': ['address', 'country'],
  id_file: ['documents'],
  id_file_back: ['documents'],
  proof_of_address_file: ['documents'],
  liveness_check_file: ['documents'],
  file_category: ['documents'],
  filename: ['documents'],
  content_type: ['documents'],
};

const CUSTOMER_PARAM_PATHS: Readonly<Record<string, readonly (string | number)[]>> = {
  type: ['type'],
  customer_reference: ['reference'],
  email: ['email'],
  first_name: ['firstName'],
  last_name: ['lastName'],
};

/** True for errors a 401 refresh may cure: the token is expired, revoked or unknown. */
export function isStaleTokenError(error: unknown): boolean {
  if (!AuthenticationError.isInstance(error)) return false;
  const code = technestErrorCode(error);
  return code === 'token_expired' || code === 'invalid_token';
}
