/**
 * A pino-compatible logger shape: `logger.info(obj, msg)`. openkyc passes every
 * object through `redact` before logging, so a logger never sees personal data.
 */
export interface KycLogger {
  /** Detail for debugging (e.g. successful provider requests). */
  debug(obj: Record<string, unknown>, msg?: string): void;
  /** Normal operation worth knowing (a customer created, a report ignored, a retry). */
  info(obj: Record<string, unknown>, msg?: string): void;
  /** Something failed but was handled (a failed refresh, a webhook for an unknown customer). */
  warn(obj: Record<string, unknown>, msg?: string): void;
  /** Something failed that you should look at (an event handler threw). */
  error(obj: Record<string, unknown>, msg?: string): void;
  /**
   * A logger whose lines all carry `bindings` (pino's `child`). Optional: openkyc's
   * wrapper offers `child` either way (bindings redacted too), merging the bindings
   * into each line when the logger has no `child` of its own.
   */
  child?(bindings: Record<string, unknown>): KycLogger;
}

const noop = (): void => {};

/** A logger that drops everything; the default. */
export const silentLogger: KycLogger = { debug: noop, info: noop, warn: noop, error: noop, child: () => silentLogger };
