import { KycError } from '../errors.js';
import type { HandlerErrorSummary } from './consumer-options.js';

/** Class names worth keeping: a plain identifier, nothing a value could hide in. */
const CLASS_NAME = /^[A-Za-z_$][\w$]{0,63}$/;

/**
 * A handler error as a dead letter may keep it: no free text that could carry personal data. A `KycError`
 * keeps its `code` and message (free of personal data by contract); any other error keeps only its class
 * name (`TypeError`, `FetchError`), because its message is whatever the integrator's code or a library put
 * there (a request body, a row, an email address).
 */
export function describeHandlerError(error: unknown, custom?: (error: unknown) => HandlerErrorSummary): HandlerErrorSummary {
  if (custom !== undefined) {
    try {
      const described = custom(error);
      return { code: String(described.code).slice(0, 200), message: String(described.message).slice(0, 2_000) };
    } catch {
      // A describer that throws must not stop the consumer: fall back to the safe default.
    }
  }
  if (KycError.isInstance(error)) return { code: error.code, message: error.message.slice(0, 2_000) };
  const name = error instanceof Error ? error.name : undefined;
  const code = name !== undefined && CLASS_NAME.test(name) ? name : error instanceof Error ? 'Error' : 'non_error_thrown';
  return { code, message: `The handler threw ${code === 'non_error_thrown' ? 'a value that is not an Error' : `a ${code}`}; its text is not kept because it may hold personal data (pass describeError to keep a safe summary).` };
}
