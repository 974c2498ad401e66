import { ConfigurationError, createKyc, fromConfig } from '@openkyc/core';
import { describe, expect, it } from 'vitest';
import { clientsCommand, clientsCommandCapabilities } from '../src/index.js';
import { clientsCommandOptionsSchema } from '../src/schemas/index.js';

const SECRET = 'hunter2-canary-secret';
const valid = { baseUrl: 'https://bank.example.com/fineract-provider/api', username: 'mifos', password: SECRET, tenantId: 'default' };

function configurationError(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    if (ConfigurationError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('options', () => {
  it('applies the defaults', () => {
    expect(clientsCommandOptionsSchema.parse(valid)).toEqual({
      ...valid,
      verificationType: 'FULL',
      officeId: 1,
      legalFormId: 1,
      timeZone: 'UTC',
      id: 'clients-command',
    });
    const provider = clientsCommand(valid);
    expect(provider.id).toBe('clients-command');
    expect(provider.specificationVersion).toBe('v1');
    expect(provider.webhooks).toBeUndefined();
    expect(provider.capabilities).toBe(clientsCommandCapabilities);
  });

  it.each([
    ['baseUrl', { ...valid, baseUrl: 'not a url' }],
    ['baseUrl', { ...valid, baseUrl: 'ftp://bank.example.com' }],
    ['baseUrl', { ...valid, baseUrl: 'https://bank.example.com/api?tenant=x' }],
    ['username', { ...valid, username: '' }],
    ['tenantId', { ...valid, tenantId: undefined }],
    ['verificationType', { ...valid, verificationType: 'BASIC' }],
    ['officeId', { ...valid, officeId: 0 }],
    ['timeZone', { ...valid, timeZone: 'Mars/Olympus' }],
    ['timeoutMs', { ...valid, timeoutMs: -5 }],
    ['dispatcher', { ...valid, dispatcher: { not: 'a dispatcher' } }],
  ])('names the bad key %s', (key, options) => {
    const error = configurationError(() => clientsCommand(options as never));
    expect(error.message).toContain(key);
    expect(error.issues[0]?.path).toEqual([key]);
    expect(error.message).not.toContain(SECRET);
  });

  it('refuses unknown keys (a typo must not fall back to a default), naming them', () => {
    const error = configurationError(() => clientsCommand({ ...valid, verficationType: 'PARTIAL' } as never));
    expect(error.message).toContain('verficationType');
  });

  it('never echoes the password, even when the password is what is wrong', () => {
    const error = configurationError(() => clientsCommand({ ...valid, password: 42 } as never));
    expect(error.message).toContain('password');
    expect(JSON.stringify(error.issues)).not.toContain('42');
    const empty = configurationError(() => clientsCommand({ ...valid, password: '' }));
    expect(empty.message).toContain('password');
  });

  it('names the adapter by its configured id', () => {
    const error = configurationError(() => clientsCommand({ ...valid, id: 'bank-b', username: '' }));
    expect(error.message).toMatch(/^Invalid bank-b options: username/);
  });

  it('works through fromConfig, with the bad key named under the provider', () => {
    const options = fromConfig(
      { defaultProvider: 'clients-command', providers: { 'clients-command': { ...valid, verificationType: 'PARTIAL' } } },
      { 'clients-command': clientsCommand },
    );
    const kyc = createKyc(options);
    expect(kyc.providers.get('clients-command')?.capabilities.activation).toBe('explicit');

    const error = configurationError(() =>
      fromConfig({ providers: { 'clients-command': { ...valid, verificationType: 'NONE' } } }, { 'clients-command': clientsCommand }),
    );
    expect(error.issues[0]?.path).toEqual(['providers', 'clients-command', 'verificationType']);
    expect(error.message).not.toContain(SECRET);
  });
});

describe('capabilities', () => {
  it('declares explicit activation, undo-rejection retries, no webhooks, synchronous review', () => {
    expect(clientsCommandCapabilities).toMatchObject({
      activation: 'explicit',
      retryAfterRejection: 'undo-rejection',
      webhooks: false,
      needsInfo: true,
      reviewTime: { synchronous: true, typicalMs: 0, escalateAfterMs: 60 * 60_000 },
      customerTypes: ['individual'],
      requiredFields: [],
    });
    expect([...clientsCommandCapabilities.documentTypes].sort()).toEqual(['drivers_license', 'national_id', 'passport', 'residence_permit']);
  });
});
