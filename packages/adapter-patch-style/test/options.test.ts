import { ConfigurationError, createKyc, fromConfig } from '@openkyc/core';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { patchStyle, type PatchStyleOptions } from '../src/index.js';
import { patchStyleOptionsSchema } from '../src/schemas/index.js';

const SECRET = `whsec_${Buffer.from('a-very-secret-signing-key-0123456789').toString('base64')}`;
const API_KEY = 'ps_live_SuperSecretApiKey42';

function valid(overrides: Partial<Record<keyof PatchStyleOptions | 'extra', unknown>> = {}): Record<string, unknown> {
  return {
    baseUrl: 'https://api.example.com',
    apiKey: API_KEY,
    webhookSecret: SECRET,
    hostDocument: async () => 'https://files.example/1',
    ...overrides,
  };
}

function configurationError(options: unknown): ConfigurationError {
  try {
    patchStyle(options as PatchStyleOptions);
  } catch (error) {
    if (ConfigurationError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('patchStyle options', () => {
  it('builds an adapter with defaults', () => {
    const provider = patchStyle(valid() as PatchStyleOptions);
    expect(provider.id).toBe('patch-style');
    expect(provider.specificationVersion).toBe('v1');
    expect(provider.capabilities.activation).toBe('automatic');
    expect(typeof provider.webhooks?.verify).toBe('function');
    const parsed = patchStyleOptionsSchema.parse(valid());
    expect(parsed.webhookToleranceSeconds).toBe(300);
  });

  it('accepts a list of secrets (rotation), a custom id, a dispatcher, timeouts and a refresh callback', async () => {
    const dispatcher = new Agent();
    const provider = patchStyle(
      valid({
        id: 'patch-style-eu',
        webhookSecret: [SECRET, `whsec_${Buffer.from('the-next-one').toString('base64')}`],
        dispatcher,
        timeoutMs: 5_000,
        webhookToleranceSeconds: 120,
        refreshApiKey: async () => 'next',
      }) as PatchStyleOptions,
    );
    expect(provider.id).toBe('patch-style-eu');
    await provider.close?.();
    // The injected dispatcher is not ours to close.
    expect(dispatcher.closed).toBe(false);
    await dispatcher.close();
  });

  it.each([
    ['baseUrl', valid({ baseUrl: 'not a url' }), 'baseUrl'],
    ['baseUrl scheme', valid({ baseUrl: 'ftp://api.example.com' }), 'baseUrl'],
    ['missing apiKey', valid({ apiKey: undefined }), 'apiKey'],
    ['empty apiKey', valid({ apiKey: '' }), 'apiKey'],
    ['webhookSecret not whsec', valid({ webhookSecret: 'not base64!' }), 'webhookSecret'],
    ['empty secret list', valid({ webhookSecret: [] }), 'webhookSecret'],
    ['bad secret in list', valid({ webhookSecret: [SECRET, 'oops !'] }), 'webhookSecret[1]'],
    ['hostDocument not a function', valid({ hostDocument: 'https://files.example' }), 'hostDocument'],
    ['missing hostDocument', valid({ hostDocument: undefined }), 'hostDocument'],
    ['refreshApiKey not a function', valid({ refreshApiKey: 'key' }), 'refreshApiKey'],
    ['dispatcher', valid({ dispatcher: {} }), 'dispatcher'],
    ['timeoutMs', valid({ timeoutMs: -1 }), 'timeoutMs'],
    ['tolerance 0', valid({ webhookToleranceSeconds: 0 }), 'webhookToleranceSeconds'],
  ])('names the key: %s', (_name, options, key) => {
    const error = configurationError(options);
    expect(error.message).toContain(`Invalid patch-style options: ${key}`);
    expect(error.issues[0]?.path.length).toBeGreaterThan(0);
  });

  it('refuses unknown keys (typos) by name', () => {
    const error = configurationError({ ...valid(), webhookSecrets: [SECRET] });
    expect(error.issues.map((issue) => issue.message).join(' ')).toContain('webhookSecrets');
  });

  it('never echoes a secret value', () => {
    for (const options of [
      valid({ apiKey: 42 }),
      valid({ webhookSecret: `${SECRET} trailing` }),
      valid({ webhookSecret: [API_KEY] }),
      { ...valid({ hostDocument: null }), extraSecret: API_KEY },
    ]) {
      const error = configurationError(options);
      const text = `${error.message} ${JSON.stringify(error.issues)}`;
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(SECRET.slice(6));
    }
  });

  it('fromConfig validates through the schema and names the bad key under providers', () => {
    const factories = {
      'patch-style': (options: Omit<PatchStyleOptions, 'hostDocument'>) =>
        patchStyle({ ...options, hostDocument: async () => 'https://files.example/1' }),
    };
    const good = fromConfig(
      { defaultProvider: 'patch-style', providers: { 'patch-style': { baseUrl: 'https://api.example.com', apiKey: API_KEY, webhookSecret: SECRET } } },
      factories,
    );
    const kyc = createKyc(good);
    expect([...kyc.providers.keys()]).toEqual(['patch-style']);

    let caught: unknown;
    try {
      fromConfig({ providers: { 'patch-style': { baseUrl: 'https://api.example.com', apiKey: API_KEY, webhookSecret: 'nope nope' } } }, factories);
    } catch (error) {
      caught = error;
    }
    expect(ConfigurationError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toContain('providers.patch-style.webhookSecret');
    expect((caught as Error).message).not.toContain(API_KEY);
  });
});
