import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ProviderError, UNRECOGNIZED_PROVIDER_CODE, providerCodeVocabulary, providerTextScrubber } from '../../src/index.js';
import { caught, memoryLogger, sendJson, technestErrors, useHttpFixtures } from './helpers.js';

/** The request body a provider echoes back; its values must not reach the error or the logs. */
const SENT = { first_name: 'Zelphine', date_of_birth: '1990-05-15', document_number: 'PZ8K4Q7M3' } as const;
const CANARIES = ['Zelphine', 'ZELPHINE', '1990', '15 May', 'May 15', 'PZ8K4Q7M3', 'pz8k4q7m3'];

const vocabulary = providerCodeVocabulary(['validation_failed', 'internal_error']);
const fixtures = useHttpFixtures({ provider: 'technest', mapError: technestErrors, providerCodes: vocabulary, retry: { maxAttempts: 1 } });

/** Everything a caller or a log shipper may print of an error, its causes included. */
function renderings(error: unknown): string[] {
  const out: string[] = [];
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth++) {
    const e = current as Error;
    out.push(String(e), e.stack ?? '', inspect(e, { depth: 5 }), JSON.stringify(e));
    current = e.cause;
  }
  return out;
}

describe('provider text in toolkit errors', () => {
  it('scrubs the values the request sent from the message, in every form the provider writes them', async () => {
    const srv = await fixtures.server((_req, res, { body }) => {
      const sent = JSON.parse(body.toString('utf8')) as typeof SENT;
      sendJson(res, 422, {
        error: {
          code: 'validation_failed',
          message: `date_of_birth 15 May 1990 (${sent.date_of_birth}) of ${sent.first_name.toUpperCase()} does not match ${sent.document_number.toLowerCase()}`,
        },
      });
    });
    const logger = memoryLogger();
    const http = fixtures.client(srv.url, { logger });
    const error = await caught(() =>
      http.request({ method: 'POST', path: '/v1/customers', json: SENT, scrubber: providerTextScrubber({ values: Object.values(SENT) }) }),
    );
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).providerCode).toBe('validation_failed');
    expect((error as Error).message).toContain('date_of_birth [redacted] ([redacted]) of [redacted] does not match [redacted]');
    for (const text of [...renderings(error), ...logger.lines.map((line) => JSON.stringify(line))]) {
      for (const canary of CANARIES) expect(text).not.toContain(canary);
    }
  });

  it('a code outside the vocabulary becomes the placeholder in the message and undefined on the error', async () => {
    const srv = await fixtures.server((_req, res) => sendJson(res, 400, { error: { code: 'PZ8K4Q7M3', message: 'bad' } }));
    const error = (await caught(() => fixtures.client(srv.url).request({ method: 'GET', path: '/x' }))) as ProviderError;
    expect(error.providerCode).toBeUndefined();
    expect(error.message).toContain(`HTTP 400 ${UNRECOGNIZED_PROVIDER_CODE}`);
    for (const text of renderings(error)) expect(text).not.toContain('PZ8K4Q7M3');
  });

  it('a request-level vocabulary overrides the client one', async () => {
    const srv = await fixtures.server((_req, res) => sendJson(res, 403, { error: { code: 'AccessDenied', message: 'expired' } }));
    const http = fixtures.client(srv.url);
    const plain = (await caught(() => http.request({ method: 'GET', path: '/x' }))) as ProviderError;
    expect(plain.providerCode).toBeUndefined();
    const storage = (await caught(() =>
      http.request({ method: 'GET', path: '/x', providerCodes: providerCodeVocabulary(['AccessDenied']) }),
    )) as ProviderError;
    expect(storage.providerCode).toBe('AccessDenied');
  });

  it('without a request scrubber, heuristics still apply to provider text', async () => {
    const srv = await fixtures.server((_req, res) => sendJson(res, 500, { error: { code: 'internal_error', message: 'failed for PZ8K4Q7M3 born 15/05/1990' } }));
    const error = (await caught(() => fixtures.client(srv.url).request({ method: 'GET', path: '/x' }))) as ProviderError;
    expect(error.message).toContain('failed for [redacted] born [redacted]');
  });

  it('a success body that is not JSON fails without quoting the body (no SyntaxError cause)', async () => {
    const srv = await fixtures.server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('Zelphine PZ8K4Q7M3 is not json');
    });
    const response = await fixtures.client(srv.url).request({ method: 'GET', path: '/x' });
    const error = await caught(async () => response.json());
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as Error).cause).toBeUndefined();
    for (const text of renderings(error)) for (const canary of CANARIES) expect(text).not.toContain(canary);
  });
});
