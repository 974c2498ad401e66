import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors.js';
import { parseStandardWebhookSecret, signStandardWebhook, verifyStandardWebhook } from '../../src/webhooks/standard-webhooks.js';
import { signTimestampedHmac, verifyTimestampedHmac } from '../../src/webhooks/timestamped-hmac.js';
import { assertWebhookSecrets, assertWebhookTolerance } from '../../src/webhooks/webhook-config.js';
import { bytes, expectConfigurationError } from './helpers.js';

const STANDARD_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NOW = new Date('2025-01-15T12:00:00.000Z');
const BODY = bytes('{}');

// Request content that would fail verification: configuration errors must win,
// so a misconfiguration never hides behind "the delivery looked forged".
const verifyTimestamped = (config: { secrets?: readonly string[]; toleranceSeconds?: number; now?: Date }) =>
  verifyTimestampedHmac({ header: undefined, rawBody: BODY, secrets: ['s'], toleranceSeconds: 300, now: NOW, ...config });
const verifyStandard = (config: { secrets?: readonly string[]; toleranceSeconds?: number; now?: Date }) =>
  verifyStandardWebhook({ headers: {}, rawBody: BODY, secrets: [STANDARD_SECRET], toleranceSeconds: 300, now: NOW, ...config });

describe('assertWebhookTolerance', () => {
  it.each([300, 1, 0.5, 86_400])('accepts %d', (tolerance) => {
    expect(() => assertWebhookTolerance(tolerance)).not.toThrow();
  });

  it.each([
    ['0 (not "off")', 0],
    ['-0', -0],
    ['negative', -300],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a string', '300'],
    ['undefined', undefined],
  ])('refuses %s with a ConfigurationError', (_label, tolerance) => {
    const error = expectConfigurationError(() => assertWebhookTolerance(tolerance as number));
    expect(error.code).toBe('configuration_error');
    expect(error.issues[0]?.path).toEqual(['toleranceSeconds']);
  });

  it('is enforced by both verifiers before looking at the request', () => {
    for (const toleranceSeconds of [0, -1, Number.NaN]) {
      expectConfigurationError(() => verifyTimestamped({ toleranceSeconds }));
      expectConfigurationError(() => verifyStandard({ toleranceSeconds }));
    }
  });
});

describe('secrets', () => {
  it('refuses an empty list or an empty secret', () => {
    expectConfigurationError(() => assertWebhookSecrets([]));
    expectConfigurationError(() => assertWebhookSecrets(['ok', '']));
    expectConfigurationError(() => assertWebhookSecrets(undefined as unknown as string[]));
    for (const secrets of [[], ['']]) {
      expectConfigurationError(() => verifyTimestamped({ secrets }));
      expectConfigurationError(() => verifyStandard({ secrets }));
    }
  });

  it('refuses signing without a secret', () => {
    expectConfigurationError(() => signTimestampedHmac({ secrets: [], rawBody: BODY, timestamp: 1 }));
    expectConfigurationError(() => signStandardWebhook({ id: 'msg_1', timestamp: 1, rawBody: BODY, secret: [] }));
  });

  it.each([
    ['not base64', 'whsec_not base64!'],
    ['empty after the prefix', 'whsec_'],
    ['an impossible base64 length', 'whsec_MfKQ9'],
    ['url-safe alphabet', 'whsec_ab-_'],
    ['a trailing newline from an env file', `${STANDARD_SECRET}\n`],
    ['surrounding quotes', `"${STANDARD_SECRET}"`],
    ['misplaced padding', 'whsec_YQ==YQ=='],
    ['bad padding length', 'whsec_YWJj='],
  ])('refuses a Standard Webhooks secret that is %s, without echoing it', (_label, secret) => {
    for (const attempt of [
      () => parseStandardWebhookSecret(secret),
      () => verifyStandard({ secrets: [STANDARD_SECRET, secret] }),
      () => signStandardWebhook({ id: 'msg_1', timestamp: 1, rawBody: BODY, secret }),
    ]) {
      const error = expectConfigurationError(attempt);
      // The message may name the `whsec_` format, never the secret's own characters.
      const distinctive = secret.replace(/^"?whsec_/, '').trim();
      if (distinctive.length >= 4) expect(error.message).not.toContain(distinctive);
    }
  });

  it('names the position of a bad secret in a rotation list', () => {
    const error = expectConfigurationError(() => verifyStandard({ secrets: [STANDARD_SECRET, 'whsec_!!'] }));
    expect(error.issues[0]?.path).toEqual(['secrets', 1]);
  });
});

describe('other configuration', () => {
  it('refuses an invalid clock', () => {
    expectConfigurationError(() => verifyTimestamped({ now: new Date(Number.NaN) }));
    expectConfigurationError(() => verifyStandard({ now: new Date('not a date') }));
  });

  it('refuses to sign an invalid timestamp or id', () => {
    for (const timestamp of [-1, 1.5, Number.NaN]) {
      expectConfigurationError(() => signTimestampedHmac({ secret: 's', rawBody: BODY, timestamp }));
      expectConfigurationError(() => signStandardWebhook({ id: 'msg_1', timestamp, rawBody: BODY, secret: STANDARD_SECRET }));
    }
    for (const id of ['', ' msg_1']) {
      expectConfigurationError(() => signStandardWebhook({ id, timestamp: 1, rawBody: BODY, secret: STANDARD_SECRET }));
    }
  });

  it('uses ConfigurationError, never WebhookVerificationError', () => {
    expect(expectConfigurationError(() => assertWebhookTolerance(0))).toBeInstanceOf(ConfigurationError);
  });
});
