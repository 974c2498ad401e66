/**
 * A pino-compatible logger shape: `logger.info(obj, msg)`. openkyc passes every
 * object through `redact` before logging, so a logger never sees personal data.
 */
export interface KycLogger {
  debug(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

const noop = (): void => {};

export const silentLogger: KycLogger = { debug: noop, info: noop, warn: noop, error: noop };
