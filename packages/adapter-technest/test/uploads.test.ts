import { ProviderError } from '@openkyc/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  errorTexts,
  fullApplication,
  newCustomer,
  rejectionOf,
  responseLosingDispatcher,
  startHarness,
  type Harness,
  type HarnessOptions,
} from './support/harness.js';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function created(options: HarnessOptions = {}) {
  h = await startHarness(options);
  const customer = await h.kyc.createCustomer(newCustomer());
  h.sim.clearRequests();
  return { h, customer };
}

function s3Error(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>ABC123</RequestId></Error>`;
}

describe('pre-signed uploads', () => {
  it('an upload URL that expired (403 AccessDenied) gets a fresh intent and the upload succeeds', async () => {
    const { h, customer } = await created();
    const fault = h.sim.injectFault({
      server: 'storage',
      method: 'PUT',
      path: /^\/uploads\//,
      status: 403,
      headers: { 'content-type': 'application/xml' },
      body: s3Error('AccessDenied', 'Request has expired'),
    });
    const submitted = await h.kyc.submit(customer.id, fullApplication());
    expect(submitted.status).toBe('pending');
    expect(fault.hits).toBe(1);
    // Five intents for four files: the id_file one twice; the attach names the second.
    const intents = h.requests({ method: 'POST', path: /\/files$/ });
    expect(intents.map((r) => (r.json as { file_category: string }).file_category)).toEqual([
      'id_document',
      'id_document',
      'id_document_back',
      'proof_of_address',
      'liveness_check',
    ]);
    const attach = h.requests({ path: /\/files\/attach$/ })[0]!.json as Record<string, string>;
    expect(h.sim.getFile(attach.id_file!)?.upload).toBeDefined();
    expect(h.logs.some((line) => line.msg?.includes('upload URL expired'))).toBe(true);
  });

  it('really expired URLs (by the simulator clock) are renewed a bounded number of times, then fail clearly', async () => {
    const { h, customer } = await created({ sim: { uploadUrlTtlMs: 0 } });
    const error = await rejectionOf(h.kyc.submit(customer.id, fullApplication()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ providerCode: 'AccessDenied', status: 403, isRetryable: false });
    expect((error as Error).message).toMatch(/3 times in a row/);
    expect(h.requests({ server: 'storage' })).toHaveLength(3);
    expect(h.requests({ path: /\/files\/attach$/ })).toHaveLength(0);
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('created');
  });

  it.each([
    ['SignatureDoesNotMatch', 403, /Content-Type sent differs/],
    ['EntityTooLarge', 400, /10 MB/],
    ['InvalidArgument', 400, /Authorization header/],
  ])('%s is a non-retryable error without the signed query string', async (code, status, wording) => {
    const { h, customer } = await created();
    h.sim.injectFault({
      server: 'storage',
      method: 'PUT',
      path: /^\/uploads\//,
      status,
      headers: { 'content-type': 'application/xml' },
      body: s3Error(code, 'refused'),
    });
    const error = await rejectionOf(h.kyc.submit(customer.id, fullApplication()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ providerCode: code, status, isRetryable: false });
    expect((error as Error).message).toMatch(wording);
    expect(h.requests({ server: 'storage' })).toHaveLength(1); // not retried
    for (const text of errorTexts(error)) expect(text).not.toMatch(/X-Tn-Signature|X-Tn-Expires|\?/);
    for (const line of h.logs) expect(JSON.stringify(line)).not.toMatch(/X-Tn-Signature=/);
  });

  it('a storage 5xx or dropped connection is retried (same bytes, same URL)', async () => {
    const { h, customer } = await created();
    h.sim.injectFault({ server: 'storage', method: 'PUT', path: /^\/uploads\//, status: 503, body: s3Error('SlowDown', 'Reduce your request rate') });
    h.sim.injectFault({ server: 'storage', method: 'PUT', path: /^\/uploads\//, reset: true });
    expect((await h.kyc.submit(customer.id, fullApplication())).status).toBe('pending');
    expect(h.requests({ server: 'storage' })).toHaveLength(6);
    expect(h.requests({ method: 'POST', path: /\/files$/ })).toHaveLength(4);
  });

  it('a re-submission after a failure part-way uploads again and attaches once', async () => {
    const { h, customer } = await created();
    h.sim.injectServerError({ method: 'POST', path: '/v1/customers/:id/files', times: 3 });
    await expect(h.kyc.submit(customer.id, fullApplication())).rejects.toMatchObject({ status: 500 });
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('created');
    const submitted = await h.kyc.submit(customer.id, fullApplication());
    expect(submitted.status).toBe('pending');
    expect(h.requests({ path: /\/files\/attach$/ })).toHaveLength(1);
  });

  it('a re-submission after the acknowledgement failed does not upload again', async () => {
    const { h, customer } = await created();
    h.sim.injectServerError({ method: 'POST', path: '/v1/customers/:id/kyc', times: 3 });
    await expect(h.kyc.submit(customer.id, fullApplication())).rejects.toMatchObject({ status: 500 });
    // Technest already started verification (id_file attached); core still says created.
    expect(h.sim.getCustomer(customer.providerCustomerId)).toMatchObject({ status: 'pending', kycSubmittedAt: null });
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('created');

    h.sim.clearRequests();
    const submitted = await h.kyc.submit(customer.id, fullApplication());
    expect(submitted.status).toBe('pending');
    const id = customer.providerCustomerId;
    expect(h.sim.requests().map((r) => `${r.method} ${r.path}`)).toEqual([`GET /v1/customers/${id}`, `POST /v1/customers/${id}/kyc`]);
    expect(h.sim.getCustomer(id)?.kycSubmittedAt).toBeInstanceOf(Date);
  });

  it('an attach that went through although its response was lost is not an error', async () => {
    const dispatcher = responseLosingDispatcher(({ method, path }) => method === 'POST' && path.endsWith('/files/attach'));
    const { h, customer } = await created({ adapter: { dispatcher } });
    try {
      const submitted = await h.kyc.submit(customer.id, fullApplication());
      expect(submitted).toMatchObject({ status: 'pending', rawStatus: 'pending' });
      expect(dispatcher.lost).toBe(1);
      // Repeated by the toolkit (declared idempotent), answered 409 verification_in_progress, then acknowledged.
      expect(h.requests({ path: /\/files\/attach$/ })).toHaveLength(2);
      expect(h.sim.requests().at(-1)!.path).toMatch(/\/kyc$/);
    } finally {
      await dispatcher.close();
    }
  });
});
