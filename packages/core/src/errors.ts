/**
 * Every error openkyc throws is a `KycError` with a stable `code`, a message
 * that says what to do next, and no personal data (messages are built from
 * field paths and provider codes, never from submitted values).
 *
 * `isInstance` checks a `Symbol.for` marker instead of `instanceof`, so it keeps
 * working when an application ends up with two copies of `@openkyc/core`
 * (ESM + CJS, or two versions in node_modules).
 */

const MARKER = Symbol.for('openkyc.error');
const CLASS_MARKER = (name: string): symbol => Symbol.for(`openkyc.error.${name}`);

/** The stable, machine-readable code of every `KycError`; switch on it rather than on messages. */
export type KycErrorCode =
  | 'validation_failed'
  | 'invalid_state'
  | 'provider_error'
  | 'authentication_failed'
  | 'rate_limited'
  | 'webhook_verification_failed'
  | 'not_retryable'
  | 'timeout'
  | 'configuration_error'
  | 'not_found'
  /** The store refused a write (lost races past the retry budget, a reference taken by another customer): retry. */
  | 'store_conflict';

/** Options every openkyc error takes. */
export interface KycErrorOptions {
  /** The underlying error, if any (kept as the error's `cause`). */
  cause?: unknown;
  /** Whether repeating the call later may succeed (default false). */
  retryable?: boolean;
}

/**
 * The base class of every error openkyc throws: a stable `code`, a message that says what to do next, and
 * `isRetryable`. Check with `KycError.isInstance(error)`.
 */
export class KycError extends Error {
  /** Stable, machine-readable; see {@link KycErrorCode}. */
  readonly code: KycErrorCode;
  /** True when repeating the same call later may succeed. */
  readonly isRetryable: boolean;

  constructor(code: KycErrorCode, message: string, options: KycErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.isRetryable = options.retryable ?? false;
    this.name = markClassChain(this, new.target);
  }

  /** Stable class name (minifiers rename classes, so `constructor.name` is not used). */
  static readonly errorName: string = 'KycError';

  /**
   * True for any openkyc error, also one thrown by another copy of `@openkyc/core` (ESM and CJS, or two
   * versions).
   */
  static isInstance(error: unknown): error is KycError {
    return hasMarker(error, MARKER);
  }
}

/**
 * Sets one marker per class in the chain (AuthenticationError → ProviderError → KycError)
 * so every ancestor's `isInstance` answers true; returns the most specific name.
 */
function markClassChain(error: KycError, target: Function): string {
  Object.defineProperty(error, MARKER, { value: true });
  let name = 'KycError';
  let first = true;
  for (let ctor: unknown = target; typeof ctor === 'function' && ctor !== Error; ctor = Object.getPrototypeOf(ctor)) {
    if (!Object.hasOwn(ctor, 'errorName')) continue;
    const ctorName = (ctor as unknown as { errorName: string }).errorName;
    Object.defineProperty(error, CLASS_MARKER(ctorName), { value: true });
    if (first) name = ctorName;
    first = false;
  }
  return name;
}

function isInstanceOf(name: string, error: unknown): boolean {
  return hasMarker(error, CLASS_MARKER(name));
}

function hasMarker(error: unknown, marker: symbol): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
}

/** One problem with an input, as listed by `ValidationError.issues` and `ConfigurationError.issues`. */
export interface ValidationIssue {
  /** Where in the input, e.g. `['documents', 0, 'front', 'contentType']`. */
  path: readonly (string | number)[];
  /** Stable machine-readable code, e.g. `invalid_phone`, `unsupported_document`. */
  code: string;
  /** What is wrong and what to send instead. Never contains the submitted value. */
  message: string;
  /**
   * Which rule of the field's format failed, where the code alone does not say: e.g. `ssn_area` for an
   * `invalid_identifier` (see `IDENTIFIER_RULES`), `document_number_format` for an `invalid_document_number`.
   */
  rule?: string;
}

/** The input was refused before any request was made; nothing was sent or stored. */
export class ValidationError extends KycError {
  static override readonly errorName: string = 'ValidationError';
  /** Every problem found, not just the first. */
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[], message?: string, options: KycErrorOptions = {}) {
    super('validation_failed', message ?? summarizeIssues(issues), options);
    this.issues = issues;
  }

  /** True for a `ValidationError` from any copy of `@openkyc/core`. */
  static override isInstance(error: unknown): error is ValidationError {
    return isInstanceOf('ValidationError', error);
  }
}

function summarizeIssues(issues: readonly ValidationIssue[]): string {
  const shown = issues.slice(0, 5).map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  const more = issues.length > 5 ? ` (+${issues.length - 5} more)` : '';
  return `Validation failed; fix these and submit again: ${shown.join('; ')}${more}`;
}

export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}

/** The customer is not in a state that allows this operation. */
export class InvalidStateError extends KycError {
  static override readonly errorName: string = 'InvalidStateError';
  /** The customer's status when the operation was refused. */
  readonly status: string;
  /** The refused operation: `submit`, `activate`, `retry`… */
  readonly operation: string;

  constructor(operation: string, status: string, hint: string, options: KycErrorOptions = {}) {
    super('invalid_state', `Cannot ${operation} a customer in status '${status}': ${hint}`, options);
    this.status = status;
    this.operation = operation;
  }

  /** True for an `InvalidStateError` from any copy of `@openkyc/core`. */
  static override isInstance(error: unknown): error is InvalidStateError {
    return isInstanceOf('InvalidStateError', error);
  }
}

/** What a `ProviderError` (and its subclasses) is constructed with. */
export interface ProviderErrorDetails {
  /** The provider id (`'technest'`…). */
  provider: string;
  /** HTTP status, when the provider answered. */
  status?: number;
  /** The provider's own error code, e.g. `customer_reference_taken`. */
  providerCode?: string;
  /** Whether repeating the call later may succeed (default false). */
  retryable?: boolean;
  /** The underlying error, if any (kept as the error's `cause`). */
  cause?: unknown;
}

/** The provider refused or failed a request. `isRetryable` says whether trying again may help. */
export class ProviderError extends KycError {
  static override readonly errorName: string = 'ProviderError';
  /** The provider id (`'technest'`…). */
  readonly provider: string;
  /** HTTP status, when the provider answered. */
  readonly status: number | undefined;
  /** The provider's own error code, e.g. `customer_reference_taken`. */
  readonly providerCode: string | undefined;

  constructor(message: string, details: ProviderErrorDetails, code: KycErrorCode = 'provider_error') {
    super(code, message, { cause: details.cause, retryable: details.retryable ?? false });
    this.provider = details.provider;
    this.status = details.status;
    this.providerCode = details.providerCode;
  }

  /** Alias of `isRetryable`, named as the design names it. */
  get retryable(): boolean {
    return this.isRetryable;
  }

  /** True for a `ProviderError` (or a subclass) from any copy of `@openkyc/core`. */
  static override isInstance(error: unknown): error is ProviderError {
    return isInstanceOf('ProviderError', error);
  }
}

/** The provider did not accept our credentials (after one refresh, where the provider has one). */
export class AuthenticationError extends ProviderError {
  static override readonly errorName: string = 'AuthenticationError';
  constructor(message: string, details: ProviderErrorDetails) {
    super(message, { ...details, retryable: false }, 'authentication_failed');
  }

  /** True for an `AuthenticationError` from any copy of `@openkyc/core`. */
  static override isInstance(error: unknown): error is AuthenticationError {
    return isInstanceOf('AuthenticationError', error);
  }
}

/** The provider is rate limiting us; `retryAfterMs` is how long it asked us to wait. */
export class RateLimitError extends ProviderError {
  static override readonly errorName: string = 'RateLimitError';
  /** How long the provider asked us to wait (from `Retry-After`), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: ProviderErrorDetails & { retryAfterMs?: number }) {
    super(message, { ...details, retryable: true }, 'rate_limited');
    this.retryAfterMs = details.retryAfterMs;
  }

  /** True for a `RateLimitError` from any copy of `@openkyc/core`. */
  static override isInstance(error: unknown): error is RateLimitError {
    return isInstanceOf('RateLimitError', error);
  }
}

/** A call or the whole operation ran past its deadline. Safe to retry: requests that create are made idempotent. */
export class TimeoutError extends ProviderError {
  static override readonly errorName: string = 'TimeoutError';
  /** The timeout or deadline that ran out, in milliseconds. */
  readonly timeoutMs: number;

  constructor(message: string, details: ProviderErrorDetails & { timeoutMs: number }) {
    super(message, { ...details, retryable: true }, 'timeout');
    this.timeoutMs = details.timeoutMs;
  }

  /** True for a `TimeoutError` from any copy of `@openkyc/core`. */
  static override isInstance(error: unknown): error is TimeoutError {
    return isInstanceOf('TimeoutError', error);
  }
}

/**
 * Why a webhook delivery was refused. All but `malformed_body` mean "not proven authentic" (answer 401);
 * `malformed_body` means signed but unreadable (answer 400).
 */
export type WebhookVerificationReason =
  | 'missing_signature'
  | 'malformed_signature'
  | 'signature_mismatch'
  | 'timestamp_out_of_tolerance'
  | 'missing_timestamp'
  | 'malformed_body'
  | 'unknown_provider'
  | 'not_supported';

/** A webhook delivery could not be proven to come from the provider; nothing was changed. Answer 401/400. */
export class WebhookVerificationError extends KycError {
  static override readonly errorName: string = 'WebhookVerificationError';
  /** Why the delivery was refused. */
  readonly reason: WebhookVerificationReason;

  constructor(reason: WebhookVerificationReason, message: string, options: KycErrorOptions = {}) {
    super('webhook_verification_failed', message, options);
    this.reason = reason;
  }

  /** True for a `WebhookVerificationError` from any copy of `@openkyc/core`. */
  static override isInstance(error: unknown): error is WebhookVerificationError {
    return isInstanceOf('WebhookVerificationError', error);
  }
}

/** The operation failed in a way that repeating it cannot fix (e.g. the provider refuses this customer type). */
export class NotRetryableError extends KycError {
  static override readonly errorName: string = 'NotRetryableError';
  constructor(message: string, options: KycErrorOptions = {}) {
    super('not_retryable', message, { ...options, retryable: false });
  }

  /** True for a `NotRetryableError` from any copy of `@openkyc/core`. */
  static override isInstance(error: unknown): error is NotRetryableError {
    return isInstanceOf('NotRetryableError', error);
  }
}

/** openkyc was configured wrongly (bad adapter options, unknown provider id, tolerance of 0…). */
export class ConfigurationError extends KycError {
  static override readonly errorName: string = 'ConfigurationError';
  /** Every problem found, each naming the option's path (never its value). */
  readonly issues: readonly ValidationIssue[];

  constructor(message: string, issues: readonly ValidationIssue[] = [], options: KycErrorOptions = {}) {
    super('configuration_error', message, options);
    this.issues = issues;
  }

  /** True for a `ConfigurationError` from any copy of `@openkyc/core`. */
  static override isInstance(error: unknown): error is ConfigurationError {
    return isInstanceOf('ConfigurationError', error);
  }
}

/** No such customer in the store. */
export class NotFoundError extends KycError {
  static override readonly errorName: string = 'NotFoundError';
  constructor(message: string, options: KycErrorOptions = {}) {
    super('not_found', message, options);
  }

  /** True for a `NotFoundError` from any copy of `@openkyc/core`. */
  static override isInstance(error: unknown): error is NotFoundError {
    return isInstanceOf('NotFoundError', error);
  }
}
