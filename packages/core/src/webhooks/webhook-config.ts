/**
 * Configuration checks shared by every webhook scheme. They throw
 * `ConfigurationError`, never `WebhookVerificationError`: a bad tolerance or an
 * empty secret list is the integrator's bug, and would otherwise surface as
 * "every delivery is forged" (or, worse, "every delivery is fine"). Adapters call
 * them at construction time so a misconfiguration fails at boot, not at the first
 * webhook; the verifiers call them again on every delivery.
 */
import { ConfigurationError } from '../errors.js';

/**
 * Asserts that `toleranceSeconds` is a positive, finite number of seconds.
 * 0 is a configuration error, not "off": there is no way to switch replay
 * protection off, and a tolerance of 0 would reject every genuine delivery.
 */
export function assertWebhookTolerance(toleranceSeconds: number, path: readonly (string | number)[] = ['toleranceSeconds']): void {
  if (typeof toleranceSeconds !== 'number' || !Number.isFinite(toleranceSeconds) || toleranceSeconds <= 0) {
    throw new ConfigurationError(
      'Webhook toleranceSeconds must be a positive, finite number of seconds (e.g. 300). ' +
        "0 is a configuration error, not 'off': replay protection cannot be disabled.",
      [{ path, code: 'invalid_tolerance', message: 'Expected a positive, finite number of seconds.' }],
    );
  }
}

/**
 * Asserts that `secrets` is a non-empty list of non-empty strings. Several
 * secrets are how rotation works: keep the old one until every in-flight
 * delivery signed with it has arrived. Messages name positions, never values.
 */
export function assertWebhookSecrets(secrets: readonly string[], path: readonly (string | number)[] = ['secrets']): void {
  if (!Array.isArray(secrets) || secrets.length === 0) {
    throw new ConfigurationError(
      'At least one webhook signing secret is required (list the old and the new one during rotation).',
      [{ path, code: 'missing_secret', message: 'Expected a non-empty list of secrets.' }],
    );
  }
  // A plain loop: verifiers run this on every delivery.
  for (let index = 0; index < secrets.length; index++) {
    const secret: unknown = secrets[index];
    if (typeof secret !== 'string' || secret.length === 0) {
      throw new ConfigurationError(`Webhook signing secret #${index} is empty or not a string.`, [
        { path: [...path, index], code: 'invalid_secret', message: 'Expected the non-empty signing secret string.' },
      ]);
    }
  }
}

/** Asserts that the injected clock gives a real instant (an Invalid Date would make every check pass or fail). */
export function assertValidNow(now: Date): number {
  const ms = now instanceof Date ? now.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new ConfigurationError('Webhook verification needs `now` to be a valid Date.', [
      { path: ['now'], code: 'invalid_clock', message: 'Expected a valid Date.' },
    ]);
  }
  return ms;
}

/** Asserts that a timestamp to sign is non-negative whole unix seconds (what verifiers accept). */
export function assertSigningTimestamp(timestamp: number): void {
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new ConfigurationError('The timestamp to sign must be a non-negative whole number of unix seconds.', [
      { path: ['timestamp'], code: 'invalid_timestamp', message: 'Expected whole unix seconds, e.g. Math.floor(Date.now() / 1000).' },
    ]);
  }
}
