import { ConfigurationError, createKyc, fromConfig } from '@openkyc/core';
import { describe, expect, it } from 'vitest';
import { technest, type TechnestOptions } from '../../src/index.js';
import { technestOptionsSchema } from '../../src/schemas/index.js';

const valid: TechnestOptions = {
  baseUrl: 'https://api.technest.example',
  clientId: 'tn_client',
  clientSecret: 'tn_secret_SUPERSECRET',
  webhookSecret: 'whsec_SUPERSECRET',
};

function configError(options: unknown): ConfigurationError {
  try {
    technest(options as TechnestOptions);
  } catch (error) {
    if (ConfigurationError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('technest() options', () => {
  it('accepts valid options, with defaults', async () => {
    const provider = technest(valid);
    expect(provider.id).toBe('technest');
    expect(provider.specificationVersion).toBe('v1');
    await provider.close!();
    const custom = technest({ ...valid, id: 'technest-eu', webhookSecret: ['whsec_a', 'whsec_b'], timeoutMs: 5_000, webhookToleranceSeconds: 120 });
    expect(custom.id).toBe('technest-eu');
    await custom.close!();
  });

  it.each([
    [{ ...valid, baseUrl: 'not a url' }, 'baseUrl'],
    [{ ...valid, baseUrl: 'ftp://api.technest.example' }, 'baseUrl'],
    [{ ...valid, clientSecret: undefined }, 'clientSecret'],
    [{ ...valid, clientSecret: '' }, 'clientSecret'],
    [{ ...valid, clientId: 42 }, 'clientId'],
    [{ ...valid, webhookSecret: [] }, 'webhookSecret'],
    [{ ...valid, webhookSecret: undefined }, 'webhookSecret'],
    [{ ...valid, timeoutMs: -1 }, 'timeoutMs'],
    [{ ...valid, timeoutMs: 'fast' }, 'timeoutMs'],
    [{ ...valid, webhookToleranceSeconds: 0 }, 'webhookToleranceSeconds'],
    [{ ...valid, dispatcher: {} }, 'dispatcher'],
    [{ ...valid, webhookSecrets: ['typo'] }, 'webhookSecrets'],
  ])('names the bad key (%#: %s) and never echoes a value', (options, key) => {
    const error = configError(options);
    expect(error.message).toMatch(/^Invalid technest options: /);
    expect(error.message).toContain(key);
    expect(error.issues[0]?.path.join('.') || error.issues[0]?.message).toContain(key);
    expect(JSON.stringify({ message: error.message, issues: error.issues })).not.toMatch(/SUPERSECRET|not a url|ftp:|fast|typo/);
  });

  it('is exported as a zod schema for configuration tooling', () => {
    expect(technestOptionsSchema.safeParse(valid).success).toBe(true);
    expect(technestOptionsSchema.safeParse({ ...valid, extra: 1 }).success).toBe(false);
  });

  it('fromConfig names the provider and the key', () => {
    expect(() =>
      fromConfig({ providers: { technest: { ...valid, clientSecret: 7 } } }, { technest }),
    ).toThrow(/providers\.technest\.clientSecret/);
    const kyc = createKyc(fromConfig(JSON.stringify({ defaultProvider: 'technest', providers: { technest: valid } }), { technest }));
    expect([...kyc.providers.keys()]).toEqual(['technest']);
    return kyc.close();
  });
});
