import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.js';
import type { KycLogger } from '../../src/logging/logger.js';
import { redact, redactingLogger, redactString, REDACTED } from '../../src/logging/redact.js';

const CANARY = 'CANARY-7f3e91';

/** Keys whose values must never survive, in the spellings providers and headers use. */
const SENSITIVE_KEYS = [
  'authorization',
  'Authorization',
  'proxy-authorization',
  'cookie',
  'Set-Cookie',
  'token',
  'access_token',
  'refresh_token',
  'accessToken',
  'id_token',
  'client_secret',
  'clientSecret',
  'webhookSecret',
  'secret',
  'password',
  'PASSWORD',
  'apiKey',
  'api_key',
  'x-api-key',
  'signature',
  'Technest-Signature',
  'webhook-signature',
  'dateOfBirth',
  'date_of_birth',
  'dob',
  'ssn',
  'nationalId',
  'national_id',
  'documentNumber',
  'document_number',
  'documentKey',
  'value',
  'content',
  'bytes',
] as const;

/** Keys that carry nothing sensitive (the control: a canary under them survives). */
const SAFE_KEYS = ['firstName', 'status', 'provider', 'items', 'meta', 'data', 'list', 'type', 'country', 'filename', 'reference'];

type Step = { kind: 'key'; key: string } | { kind: 'index'; index: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constantFrom(...SAFE_KEYS).map((key): Step => ({ kind: 'key', key })),
  fc.integer({ min: 0, max: 3 }).map((index): Step => ({ kind: 'index', index })),
);

const noise: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 }).filter((value) => !JSON.stringify(value).includes('CANARY'));

/** The canary in one of the forms a secret takes. */
const secretValue: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  CANARY,
  { nested: CANARY },
  [CANARY],
  [{ deeper: [CANARY] }],
  Buffer.from(CANARY),
  new TextEncoder().encode(CANARY),
  `Bearer ${CANARY}`,
);

/** Wraps `leaf` in the path, with random siblings at every level. */
function place(path: readonly Step[], leaf: unknown, siblings: readonly unknown[]): unknown {
  let value = leaf;
  for (let i = path.length - 1; i >= 0; i -= 1) {
    const current = path[i]!;
    const sibling = siblings[i % Math.max(1, siblings.length)];
    if (current.kind === 'key') {
      value = { sibling, [current.key]: value };
    } else {
      const array: unknown[] = Array.from({ length: current.index }, () => sibling);
      array.push(value);
      value = array;
    }
  }
  return value;
}

const survives = (value: unknown): boolean => JSON.stringify(redact(value)).includes('CANARY');

describe('redact (properties)', () => {
  it('no canary under a sensitive key survives, at any depth', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 25 }),
        fc.constantFrom(...SENSITIVE_KEYS),
        secretValue,
        fc.array(noise, { minLength: 1, maxLength: 3 }),
        (path, key, secret, siblings) => !survives(place(path, { [key]: secret }, siblings)),
      ),
      { numRuns: 500 },
    );
  });

  it('document numbers and identifier values do not survive inside documents / identifiers', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 8 }), fc.array(noise, { minLength: 1, maxLength: 3 }), (path, siblings) => {
        const documents = place(path, { documents: [{ type: 'passport', number: CANARY, issuingCountry: 'US' }] }, siblings);
        const identifiers = place(path, { identifiers: [{ type: 'ssn', value: CANARY, issuingCountry: 'US' }] }, siblings);
        const plainIdentifiers = place(path, { identifiers: [CANARY] }, siblings);
        return !survives(documents) && !survives(identifiers) && !survives(plainIdentifiers);
      }),
      { numRuns: 300 },
    );
  });

  it('URL query strings in any string do not survive', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 8 }),
        fc.constantFrom(...SAFE_KEYS),
        fc.constantFrom('https', 'http'),
        fc.webPath(),
        fc.constantFrom('X-Amz-Signature', 'sig', 'token', 'anything'),
        fc.string({ maxLength: 20 }).filter((text) => !/[\s?#"'<>`]/.test(text)),
        (path, key, scheme, webPath, param, prefix) => {
          const url = `${scheme}://storage.example.com${webPath}?${param}=${prefix}${CANARY}&x=1`;
          return !survives(place(path, { [key]: `upload failed for ${url} (expired)` }, ['n']));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('control: a canary under safe keys survives (redaction is targeted)', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 8 }), fc.constantFrom(...SAFE_KEYS), (path, key) =>
        survives(place(path, { [key]: CANARY }, ['n'])),
      ),
    );
  });
});

describe('redact', () => {
  it('replaces bytes by their length, anywhere', () => {
    expect(redact({ front: { content: Buffer.alloc(2048), contentType: 'image/jpeg', filename: 'p.jpg' } })).toEqual({
      front: { content: '[2048 bytes]', contentType: 'image/jpeg', filename: 'p.jpg' },
    });
    expect(redact({ photo: new Uint8Array(3) })).toEqual({ photo: '[3 bytes]' });
  });

  it('keeps the shape and harmless data', () => {
    const input = {
      provider: 'technest',
      status: 503,
      attempt: 2,
      ok: false,
      nothing: null,
      token_type: 'Bearer',
      expires_in: 3600,
      dateOfBirth: null,
      documents: [{ type: 'passport', number: 'P123', issuingCountry: 'US' }],
    };
    expect(redact(input)).toEqual({
      provider: 'technest',
      status: 503,
      attempt: 2,
      ok: false,
      nothing: null,
      token_type: 'Bearer',
      expires_in: 3600,
      dateOfBirth: null,
      documents: [{ type: 'passport', number: REDACTED, issuingCountry: 'US' }],
    });
  });

  it('does not mutate its input', () => {
    const input = { password: 'p', nested: { url: 'https://h/p?sig=1' } };
    const copy = structuredClone(input);
    redact(input);
    expect(input).toEqual(copy);
  });

  it('handles cycles and depth', () => {
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    cyclic.list = [cyclic];
    expect(redact(cyclic)).toEqual({ name: 'a', self: '[circular]', list: ['[circular]'] });

    // Shared (non-cyclic) references are copied, not reported as cycles.
    const shared = { a: 1 };
    expect(redact({ x: shared, y: shared })).toEqual({ x: { a: 1 }, y: { a: 1 } });

    let deep: unknown = { secretless: 'bottom' };
    for (let i = 0; i < 10_000; i += 1) deep = { next: deep };
    expect(JSON.stringify(redact(deep))).toContain('[truncated]');
    expect(JSON.stringify(redact({ a: { b: { c: 1 } } }, { maxDepth: 2 }))).toBe('{"a":{"b":"[truncated]"}}');
  });

  it('redacts extra keys by name or pattern', () => {
    expect(redact({ email: 'a@b.c', phone_number: '+1', keep: 1 }, { extraKeys: ['email', /^phone/] })).toEqual({
      email: REDACTED,
      phone_number: REDACTED,
      keep: 1,
    });
  });

  it('serialises errors (message, code, provider fields, cause) with URLs cleaned', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED https://s.example/k?X-Amz-Signature=SIG'), { code: 'ECONNREFUSED' });
    const error = new ProviderError('upload to https://s.example/k?X-Amz-Signature=SIG failed', {
      provider: 'technest',
      status: 403,
      providerCode: 'AccessDenied',
      cause,
    });
    const out = redact({ err: error }) as { err: Record<string, unknown> };
    expect(out.err).toMatchObject({
      name: 'ProviderError',
      message: `upload to https://s.example/k?${REDACTED} failed`,
      code: 'provider_error',
      provider: 'technest',
      status: 403,
      providerCode: 'AccessDenied',
      cause: { name: 'Error', code: 'ECONNREFUSED' },
    });
    expect(JSON.stringify(out)).not.toContain('SIG');
  });

  it('reads Headers, Maps, Sets, Dates and URLs', () => {
    const headers = new Headers({ authorization: 'Bearer x', 'content-type': 'application/json' });
    expect(redact({ headers })).toEqual({ headers: { authorization: REDACTED, 'content-type': 'application/json' } });
    expect(redact(new Map<string, unknown>([['apiKey', 'k'], ['id', 1]]))).toEqual({ apiKey: REDACTED, id: 1 });
    expect(redact({ at: new Date('2026-01-02T03:04:05Z') })).toEqual({ at: '2026-01-02T03:04:05.000Z' });
    expect(redact({ u: new URL('https://h.example/p?sig=1') })).toEqual({ u: `https://h.example/p?${REDACTED}` });
    expect(redact({ s: new Set(['a']) })).toEqual({ s: ['a'] });
  });
});

describe('redactString', () => {
  it.each([
    ['PUT https://s3.example/b/k?X-Amz-Signature=abc failed', `PUT https://s3.example/b/k?${REDACTED} failed`],
    ['<Url>https://s3.example/b?sig=1</Url>', `<Url>https://s3.example/b?${REDACTED}</Url>`],
    ['"https://a.example/x?y=1"', `"https://a.example/x?${REDACTED}"`],
    ['/v1/customers?customer_reference=abc', `/v1/customers?${REDACTED}`],
    ['Authorization: Bearer eyJhbGciOi.J9.x', `Authorization: Bearer ${REDACTED}`],
    ['Basic dXNlcjpwYXNzd29yZA==', `Basic ${REDACTED}`],
    ['Basic information is missing?', 'Basic information is missing?'],
    ['https://h.example/cb#access_token=abc', `https://h.example/cb#${REDACTED}`],
    ["https://h.example/it's?sig=1 done", `https://h.example/it's?${REDACTED} done`],
    ['no urls here', 'no urls here'],
  ])('%s', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });
});

describe('redactingLogger', () => {
  function recorder(): KycLogger & { calls: unknown[][] } {
    const calls: unknown[][] = [];
    const record =
      (level: string) =>
      (...args: unknown[]): void => {
        calls.push([level, ...args]);
      };
    return { calls, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
  }

  it('passes every object and message through redact, pino-style', () => {
    const inner = recorder();
    const logger = redactingLogger(inner);
    logger.info({ provider: 'technest', client_secret: 's3cret', url: 'https://h/p?sig=1' }, 'calling https://h/p?sig=1');
    logger.warn({ dob: '1990-05-15' });
    logger.error({ err: new Error('x') }, 'failed');
    logger.debug({ a: 1 });
    expect(inner.calls[0]).toEqual([
      'info',
      { provider: 'technest', client_secret: REDACTED, url: `https://h/p?${REDACTED}` },
      `calling https://h/p?${REDACTED}`,
    ]);
    expect(inner.calls[1]).toEqual(['warn', { dob: REDACTED }]); // no msg argument when none was given
    expect(inner.calls[2]?.[0]).toBe('error');
    expect(inner.calls[3]).toEqual(['debug', { a: 1 }]);
  });

  it('wrapping twice does not redact twice', () => {
    const inner = recorder();
    const once = redactingLogger(inner);
    expect(redactingLogger(once)).toBe(once);
  });
});
