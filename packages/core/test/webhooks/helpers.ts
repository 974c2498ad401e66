import { expect } from 'vitest';
import { ConfigurationError, WebhookVerificationError, type WebhookVerificationReason } from '../../src/errors.js';

/** Runs `fn`, asserts it threw a WebhookVerificationError with `reason`, and returns the error. */
export function expectVerificationError(fn: () => unknown, reason: WebhookVerificationReason): WebhookVerificationError {
  const error = catchError(fn);
  expect(WebhookVerificationError.isInstance(error), `expected WebhookVerificationError, got ${String(error)}`).toBe(true);
  expect((error as WebhookVerificationError).reason).toBe(reason);
  return error as WebhookVerificationError;
}

export function expectConfigurationError(fn: () => unknown): ConfigurationError {
  const error = catchError(fn);
  expect(ConfigurationError.isInstance(error), `expected ConfigurationError, got ${String(error)}`).toBe(true);
  return error as ConfigurationError;
}

export function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

export const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));
