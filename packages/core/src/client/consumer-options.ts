import { ValidationError, type ValidationIssue } from '../errors.js';
import type { KycEvent } from '../models/events.js';

/**
 * The handler of a durable consumer. Runs at least once per event (again after a crash or a takeover before
 * the checkpoint was saved), so make it idempotent with `event.id`. Throwing or rejecting means "not handled":
 * the consumer retries it with backoff and, after `maxAttempts` failures, records a dead letter and goes on.
 */
export type ConsumerHandler = (event: KycEvent) => void | Promise<void>;

/** What `kyc.consume` takes besides the name and the handler. */
export interface ConsumeOptions {
  /** Events read per round trip, and handled between two checkpoints (default 100). */
  readonly batchSize?: number;
  /** Where a name seen for the first time starts: the oldest event (`'start'`, default) or the next one (`'now'`). */
  readonly from?: 'start' | 'now';
  /** Failures of the handler on one event before it becomes a dead letter (default 5). */
  readonly maxAttempts?: number;
  /** The first retry's delay; each retry doubles it, with jitter, up to `maxRetryDelayMs` (default 200). */
  readonly retryDelayMs?: number;
  /** The longest delay between two attempts (default 30 000). */
  readonly maxRetryDelayMs?: number;
  /**
   * How long the name stays with an instance that stops renewing (it died): another instance takes over
   * within this time (default 15 000). The holder renews every third of it.
   */
  readonly leaseMs?: number;
  /** How often to look for new events when no wake-up came, and for a free lease when another holds it (default 1 000). */
  readonly pollIntervalMs?: number;
  /**
   * Turns a handler's error into what its dead letter records. Default: a `KycError`'s `code` and message
   * (free of personal data by contract); for any other error only its class name (e.g. `TypeError`) and a
   * fixed message, since its text may hold personal data. Return no personal data here either.
   */
  readonly describeError?: (error: unknown) => HandlerErrorSummary;
}

/** What a dead letter keeps about the error that made it one (see `ConsumeOptions.describeError`). */
export interface HandlerErrorSummary {
  /** A class name or code, e.g. `crm_unavailable`: no free text. */
  readonly code: string;
  /** A message free of personal data. */
  readonly message: string;
}

/** `ConsumeOptions` with every default filled in. */
export type ResolvedConsumeOptions = Required<Omit<ConsumeOptions, 'describeError'>> & Pick<ConsumeOptions, 'describeError'>;

/** Checks a consumer's name and options before anything runs; a bad one is a `ValidationError`. */
export function resolveConsumeOptions(name: unknown, handler: unknown, options: ConsumeOptions): ResolvedConsumeOptions {
  const issues: ValidationIssue[] = [];
  if (typeof name !== 'string' || !/^[\w.:-]{1,200}$/.test(name)) {
    issues.push({ path: ['name'], code: 'invalid_name', message: 'a consumer name is 1 to 200 letters, digits, _ . : or -' });
  }
  if (typeof handler !== 'function') issues.push({ path: ['handler'], code: 'invalid_handler', message: 'must be a function' });
  const resolved = {
    batchSize: wholeNumber(options.batchSize, 100, 1, 10_000, 'batchSize', issues),
    from: options.from ?? 'start',
    maxAttempts: wholeNumber(options.maxAttempts, 5, 1, 1_000, 'maxAttempts', issues),
    retryDelayMs: wholeNumber(options.retryDelayMs, 200, 0, 3_600_000, 'retryDelayMs', issues),
    maxRetryDelayMs: wholeNumber(options.maxRetryDelayMs, 30_000, 0, 3_600_000, 'maxRetryDelayMs', issues),
    leaseMs: wholeNumber(options.leaseMs, 15_000, 100, 3_600_000, 'leaseMs', issues),
    pollIntervalMs: wholeNumber(options.pollIntervalMs, 1_000, 1, 3_600_000, 'pollIntervalMs', issues),
    describeError: options.describeError,
  };
  if (resolved.from !== 'start' && resolved.from !== 'now') {
    issues.push({ path: ['from'], code: 'invalid_option', message: "'start' or 'now'" });
  }
  if (issues.length > 0) throw new ValidationError(issues, `kyc.consume options are invalid: ${issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return resolved;
}

function wholeNumber(value: number | undefined, fallback: number, min: number, max: number, key: string, issues: ValidationIssue[]): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    issues.push({ path: [key], code: 'invalid_option', message: `a whole number from ${min} to ${max}` });
    return fallback;
  }
  return value;
}
