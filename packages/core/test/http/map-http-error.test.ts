import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, KycError, ProviderError, RateLimitError, TimeoutError } from '../../src/errors.js';
import { createHttpClient, mapHttpError, mapTransportError, type HttpClient } from '../../src/http/index.js';
import { classifyTransportError } from '../../src/http/transport-error.js';
import { caught, sendJson, startServer, technestErrors, type TestServer } from './helpers.js';

type ErrorClass = 'AuthenticationError' | 'RateLimitError' | 'ProviderError';

const table: { status: number; code: string; cls: ErrorClass; retryable: boolean }[] = [
  { status: 400, code: 'validation_failed', cls: 'ProviderError', retryable: false },
  { status: 401, code: 'token_expired', cls: 'AuthenticationError', retryable: false },
  { status: 403, code: 'insufficient_scope', cls: 'ProviderError', retryable: false },
  { status: 404, code: 'customer_not_found', cls: 'ProviderError', retryable: false },
  { status: 408, code: 'request_timeout', cls: 'ProviderError', retryable: true },
  { status: 409, code: 'customer_reference_taken', cls: 'ProviderError', retryable: false },
  { status: 422, code: 'unprocessable', cls: 'ProviderError', retryable: false },
  { status: 429, code: 'rate_limited', cls: 'RateLimitError', retryable: true },
  { status: 500, code: 'internal_error', cls: 'ProviderError', retryable: true },
  { status: 502, code: 'bad_gateway', cls: 'ProviderError', retryable: true },
  { status: 503, code: 'upstream_unavailable', cls: 'ProviderError', retryable: true },
  { status: 504, code: 'gateway_timeout', cls: 'ProviderError', retryable: true },
];

describe('error mapping over HTTP', () => {
  let srv: TestServer;
  let http: HttpClient;

  beforeAll(async () => {
    srv = await startServer((req, res) => {
      const status = Number(req.url?.split('/')[2]);
      const row = table.find((entry) => entry.status === status);
      sendJson(res, status, { error: { type: 'x', code: row?.code, message: `safe message for ${status}` } }, status === 429 ? { 'retry-after': '7' } : {});
    });
    http = createHttpClient({ provider: 'technest', baseUrl: srv.url, mapError: technestErrors, retry: { maxAttempts: 1 } });
  });

  afterAll(async () => {
    await http.close();
    await srv.close();
  });

  it.each(table)('HTTP $status → $cls (retryable: $retryable)', async ({ status, code, cls, retryable }) => {
    const error = await caught(() => http.request({ method: 'GET', path: `/status/${status}` }));
    expect(KycError.isInstance(error)).toBe(true);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(AuthenticationError.isInstance(error)).toBe(cls === 'AuthenticationError');
    expect(RateLimitError.isInstance(error)).toBe(cls === 'RateLimitError');
    expect((error as Error).name).toBe(cls);
    const providerError = error as ProviderError;
    expect(providerError.status).toBe(status);
    expect(providerError.provider).toBe('technest');
    expect(providerError.providerCode).toBe(code);
    expect(providerError.retryable).toBe(retryable);
    expect(providerError.message).toContain(`GET /status/${status}`);
    expect(providerError.message).toContain(code);
    expect(providerError.message).toContain(`safe message for ${status}`);
    if (cls === 'RateLimitError') expect((error as RateLimitError).retryAfterMs).toBe(7_000);
  });

  it('falls back to a generic message when the parser finds nothing or throws', async () => {
    const throwing = createHttpClient({
      provider: 'technest',
      baseUrl: srv.url,
      retry: { maxAttempts: 1 },
      mapError: () => {
        throw new Error('parser bug');
      },
    });
    const error = await caught(() => throwing.request({ method: 'GET', path: '/status/404' }));
    await throwing.close();
    expect((error as ProviderError).status).toBe(404);
    expect((error as ProviderError).providerCode).toBeUndefined();
  });
});

describe('mapHttpError', () => {
  it('never puts the query string in the message', () => {
    const error = mapHttpError({
      provider: 'technest',
      method: 'put',
      url: 'https://storage.example/bucket/f?X-Amz-Signature=CANARY',
      status: 403,
      providerCode: 'AccessDenied',
      message: 'Request has expired for https://storage.example/bucket/f?X-Amz-Signature=CANARY',
    });
    expect(error.message).not.toContain('CANARY');
    expect(error.message).toContain('PUT https://storage.example/bucket/f');
    expect(error.retryable).toBe(false);
  });

  it('maps unexpected non-error statuses to a non-retryable ProviderError', () => {
    const error = mapHttpError({ provider: 'p', method: 'GET', url: '/x', status: 302 });
    expect(error.name).toBe('ProviderError');
    expect(error.retryable).toBe(false);
  });
});

describe('transport errors', () => {
  const errorWithCode = (code: string): Error => Object.assign(new Error(`boom ${code}`), { code });

  it.each([
    ['ECONNREFUSED', 'not-sent'],
    ['ENOTFOUND', 'not-sent'],
    ['UND_ERR_CONNECT_TIMEOUT', 'not-sent'],
    ['ECONNRESET', 'connection'],
    ['UND_ERR_SOCKET', 'connection'],
    ['EPIPE', 'connection'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'timeout'],
    ['SOMETHING_ELSE', 'fatal'],
  ])('%s is %s', (code, kind) => {
    expect(classifyTransportError(errorWithCode(code)).failure.kind).toBe(kind);
  });

  it('looks into causes and AggregateError (happy eyeballs)', () => {
    const aggregate = new AggregateError([errorWithCode('ECONNREFUSED'), errorWithCode('ECONNREFUSED')], 'all failed');
    expect(classifyTransportError(aggregate)).toEqual({ code: 'ECONNREFUSED', failure: { kind: 'not-sent' } });
    const wrapped = new Error('fetch failed', { cause: errorWithCode('ECONNRESET') });
    expect(classifyTransportError(wrapped).code).toBe('ECONNRESET');
  });

  it('maps connection errors to retryable ProviderErrors with the code and without the query', () => {
    const error = mapTransportError({
      provider: 'technest',
      method: 'PUT',
      url: 'https://storage.example/b/k?X-Amz-Signature=CANARY',
      error: errorWithCode('ECONNRESET'),
      timeoutMs: 1000,
    });
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('ECONNRESET');
    expect(error.message).not.toContain('CANARY');
    const timeout = mapTransportError({ provider: 'p', method: 'GET', url: '/x', error: errorWithCode('UND_ERR_HEADERS_TIMEOUT'), timeoutMs: 1000 });
    expect(TimeoutError.isInstance(timeout)).toBe(true);
  });
});
