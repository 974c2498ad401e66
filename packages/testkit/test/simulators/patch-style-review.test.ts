import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDocumentHost, type DocumentHost, type DocumentHostFault } from '../../src/fixtures/document-host.js';
import { examplePatchStyleKycData } from '../../src/simulators/patch-style/patch-style-example-data.js';
import type { PatchStyleKycDocument } from '../../src/simulators/patch-style/patch-style-kyc-data.js';
import { createPatchStyleSimulator, type PatchStyleSimulator } from '../../src/simulators/patch-style/patch-style-simulator.js';

const KB = 1024;

/** Bytes that look enough like a JPEG; the simulator only checks status, Content-Type and size. */
function imageBytes(size = 150 * KB): Uint8Array {
  const content = new Uint8Array(size).fill(0x5a);
  content.set([0xff, 0xd8, 0xff, 0xe0]);
  return content;
}

async function call(sim: PatchStyleSimulator, method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await request(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.statusCode, json: await response.body.json() };
}

describe('patch-style simulator: reviews', () => {
  let sim: PatchStyleSimulator;
  let host: DocumentHost;

  beforeEach(async () => {
    sim = await createPatchStyleSimulator();
    host = await createDocumentHost({ now: () => sim.clock.now() });
  });
  afterEach(async () => {
    await sim.close();
    await host.close();
  });

  async function createCustomer(email: string): Promise<string> {
    const created = await call(sim, 'POST', '/api/v1/customers', { type: 'INDIVIDUAL', email, firstName: 'Test', lastName: 'User' });
    expect(created.status).toBe(201);
    return created.json.id as string;
  }

  async function hostPassport(options: { size?: number; contentType?: string } = {}): Promise<string> {
    return host.hostDocument({ content: imageBytes(options.size), contentType: options.contentType ?? 'image/jpeg', filename: 'passport.jpg', type: 'PASSPORT' });
  }

  async function submit(id: string, documents?: PatchStyleKycDocument[]): Promise<any> {
    const kycData = documents ? examplePatchStyleKycData({ documents }) : examplePatchStyleKycData({ passportFrontUrl: await hostPassport() });
    const result = await call(sim, 'PATCH', `/api/v1/customers/${id}`, { kycData });
    expect(result.status).toBe(200);
    return result.json;
  }

  async function status(id: string): Promise<any> {
    return (await call(sim, 'GET', `/api/v1/customers/${id}`)).json;
  }

  describe('sandbox e-mails', () => {
    it('test-success: ACTIVE 30 s after a complete submission, documents fetched over HTTP', async () => {
      const id = await createCustomer('test-success@example.com');
      expect((await submit(id)).status).toBe('UNDER_REVIEW');
      expect(sim.reviewDueAt(id)?.getTime()).toBe(sim.clock.nowMs() + 30_000);

      await sim.clock.advance(29_999);
      expect((await status(id)).status).toBe('UNDER_REVIEW');
      expect(host.requests()).toHaveLength(0);

      await sim.clock.advance(1);
      const active = await status(id);
      expect(active.status).toBe('ACTIVE');
      expect(active.updatedAt).toBe(sim.clock.now().toISOString());
      expect(active).not.toHaveProperty('requiredDocuments');
      expect(host.requests().map((entry) => entry.method)).toEqual(['GET']);
      expect(sim.documentChecks(id)).toEqual([expect.objectContaining({ documentType: 'PASSPORT', side: 'front', ok: true, status: 200, bytes: 150 * KB })]);
    });

    it('any other e-mail behaves like test-success', async () => {
      const id = await createCustomer('someone@elsewhere.org');
      await submit(id);
      await sim.clock.advance(30_000);
      expect((await status(id)).status).toBe('ACTIVE');
    });

    it('test-delay: still UNDER_REVIEW after 30 s, ACTIVE after 5 minutes', async () => {
      const id = await createCustomer('test-delay@example.com');
      await submit(id);
      await sim.clock.advance(30_000);
      expect((await status(id)).status).toBe('UNDER_REVIEW');
      await sim.clock.advance(5 * 60_000 - 30_000);
      expect((await status(id)).status).toBe('ACTIVE');
    });

    it('test-rfi: NEEDS_ADDITIONAL_INFORMATION on the first complete submission, ACTIVE after the next PATCH’s review', async () => {
      const id = await createCustomer('test-rfi@example.com');
      await submit(id);
      await sim.clock.advance(30_000);
      const rfi = await status(id);
      expect(rfi).toMatchObject({ status: 'NEEDS_ADDITIONAL_INFORMATION', requiredDocuments: ['PROOF_OF_ADDRESS'], requiredFields: [] });

      // The RFI answer carries only the requested document.
      const billUrl = await host.hostDocument({ content: imageBytes(), contentType: 'application/pdf', filename: 'bill.pdf', type: 'UTILITY_BILL' });
      const answer = await call(sim, 'PATCH', `/api/v1/customers/${id}`, {
        kycData: { documents: [{ type: 'UTILITY_BILL', issueDate: '2025-10-01', frontImageUrl: billUrl }] },
      });
      expect(answer.json.status).toBe('UNDER_REVIEW');
      await sim.clock.advance(30_000);
      expect((await status(id)).status).toBe('ACTIVE');
      // Both documents were fetched on the second review.
      expect(sim.documentChecks(id).filter((check) => check.at.getTime() === sim.clock.nowMs()).map((check) => check.documentType)).toEqual([
        'PASSPORT',
        'UTILITY_BILL',
      ]);
    });

    it('test-rfi: an incomplete answer keeps the requested documents listed; a complete one goes to review even without them', async () => {
      const id = await createCustomer('test-rfi+7@example.com');
      await submit(id);
      await sim.clock.advance(30_000);
      const partial = await call(sim, 'PATCH', `/api/v1/customers/${id}`, { kycData: { legalMiddleName: 'Marie', address: { city: null } } });
      expect(partial.json).toMatchObject({ status: 'NEEDS_ADDITIONAL_INFORMATION', requiredDocuments: ['PROOF_OF_ADDRESS'], requiredFields: ['address.city'] });

      const complete = await call(sim, 'PATCH', `/api/v1/customers/${id}`, { kycData: { address: { city: 'San Francisco' } } });
      expect(complete.json.status).toBe('UNDER_REVIEW');
      await sim.clock.advance(30_000);
      expect((await status(id)).status).toBe('ACTIVE');
    });

    it('test-rejected: REJECTED with a rejectionReason; a re-submission on the same record goes back to UNDER_REVIEW', async () => {
      const id = await createCustomer('Test-Rejected@Example.com');
      await submit(id);
      await sim.clock.advance(30_000);
      const rejected = await status(id);
      expect(rejected).toMatchObject({ status: 'REJECTED', rejectionReason: 'DOCUMENT_EXPIRED' });

      const resubmitted = await call(sim, 'PATCH', `/api/v1/customers/${id}`, {
        kycData: { documents: [{ type: 'PASSPORT', expirationDate: '2035-01-31', frontImageUrl: await hostPassport() }] },
      });
      expect(resubmitted.json.status).toBe('UNDER_REVIEW');
      expect(resubmitted.json).not.toHaveProperty('rejectionReason');
      // The e-mail rule rejects every review; a scripted outcome lets the retry pass.
      sim.setOutcome(id, { status: 'ACTIVE' });
      await sim.clock.advance(30_000);
      expect((await status(id)).status).toBe('ACTIVE');
    });
  });

  describe('document checks during review', () => {
    async function submitWithPassportFault(fault: DocumentHostFault | undefined, size?: number): Promise<{ id: string; url: string }> {
      const id = await createCustomer('test-success@example.com');
      const url = await hostPassport(size === undefined ? {} : { size });
      if (fault) host.failDocument(url, fault);
      await submit(id, [{ type: 'PASSPORT', number: 'P1', issuingCountry: 'US', frontImageUrl: url }]);
      await sim.clock.advance(30_000);
      return { id, url };
    }

    it.each([
      ['answers 404', 'not-found', 'status'],
      ['answers 500', 'server-error', 'status'],
      ['has the wrong content type', 'wrong-content-type', 'content_type'],
      ['drops the connection mid-body', 'truncated', 'unreachable'],
      ['is cut short to 50 KB', { truncateTo: 50 * KB, declareFullLength: false }, 'too_small'],
    ] as const)('asks for the document again when its URL %s', async (_label, fault, problem) => {
      const { id, url } = await submitWithPassportFault(fault);
      expect(await status(id)).toMatchObject({ status: 'NEEDS_ADDITIONAL_INFORMATION', requiredDocuments: ['PASSPORT'], requiredFields: [] });
      expect(sim.documentChecks(id)).toEqual([expect.objectContaining({ url, ok: false, problem })]);
    });

    it('refuses documents smaller than 100 KB and larger than 10 MB; accepts both limits', async () => {
      const small = await submitWithPassportFault(undefined, 100 * KB - 1);
      expect((await status(small.id)).requiredDocuments).toEqual(['PASSPORT']);
      expect(sim.documentChecks(small.id)[0]).toMatchObject({ problem: 'too_small', bytes: 100 * KB - 1 });

      const large = await submitWithPassportFault(undefined, 10 * KB * KB + 1);
      expect((await status(large.id)).requiredDocuments).toEqual(['PASSPORT']);
      expect(sim.documentChecks(large.id)[0]).toMatchObject({ problem: 'too_large' });

      for (const size of [100 * KB, 10 * KB * KB]) {
        const ok = await submitWithPassportFault(undefined, size);
        expect((await status(ok.id)).status).toBe('ACTIVE');
      }
    });

    it('treats an unreachable host as a failed document', async () => {
      const id = await createCustomer('test-success@example.com');
      const url = await hostPassport();
      await host.close();
      await submit(id, [{ type: 'PASSPORT', frontImageUrl: url }]);
      await sim.clock.advance(30_000);
      expect((await status(id)).requiredDocuments).toEqual(['PASSPORT']);
      expect(sim.documentChecks(id)[0]).toMatchObject({ problem: 'unreachable' });
    });

    it('checks the back image and every document, naming each failed type once', async () => {
      const id = await createCustomer('test-success@example.com');
      const front = await host.hostDocument({ content: imageBytes(), contentType: 'image/png', filename: 'dl-front.png', type: 'DRIVERS_LICENSE' });
      const back = await host.hostDocument({ content: imageBytes(), contentType: 'image/png', filename: 'dl-back.png', type: 'DRIVERS_LICENSE' });
      const bill = await host.hostDocument({ content: imageBytes(), contentType: 'application/pdf', filename: 'bill.pdf', type: 'BANK_STATEMENT' });
      const passport = await hostPassport();
      host.failDocument(back, 'not-found');
      host.failDocumentType('BANK_STATEMENT', 'server-error');
      await submit(id, [
        { type: 'DRIVERS_LICENSE', frontImageUrl: front, backImageUrl: back },
        { type: 'PASSPORT', frontImageUrl: passport },
        { type: 'BANK_STATEMENT', frontImageUrl: bill },
      ]);
      await sim.clock.advance(30_000);
      expect((await status(id)).requiredDocuments).toEqual(['DRIVERS_LICENSE', 'BANK_STATEMENT']);
      expect(sim.documentChecks(id).map((check) => [check.documentType, check.side, check.ok])).toEqual([
        ['DRIVERS_LICENSE', 'front', true],
        ['DRIVERS_LICENSE', 'back', false],
        ['PASSPORT', 'front', true],
        ['BANK_STATEMENT', 'front', false],
      ]);
    });

    it('passes on the next review once the document is fixed and re-sent', async () => {
      const { id, url } = await submitWithPassportFault('not-found');
      expect((await status(id)).status).toBe('NEEDS_ADDITIONAL_INFORMATION');
      host.restoreDocument(url);
      const answer = await call(sim, 'PATCH', `/api/v1/customers/${id}`, { kycData: { documents: [{ type: 'PASSPORT', frontImageUrl: url }] } });
      expect(answer.json.status).toBe('UNDER_REVIEW');
      await sim.clock.advance(30_000);
      expect((await status(id)).status).toBe('ACTIVE');
    });

    it('can be switched off', async () => {
      const unchecked = await createPatchStyleSimulator({ checkDocuments: false });
      try {
        const created = await request(`${unchecked.url}/api/v1/customers`, {
          method: 'POST',
          headers: { authorization: `Bearer ${unchecked.apiKey}` },
          body: JSON.stringify({ type: 'INDIVIDUAL', email: 'a@example.com', firstName: 'A', lastName: 'B' }),
        });
        const { id } = (await created.body.json()) as { id: string };
        await request(`${unchecked.url}/api/v1/customers/${id}`, {
          method: 'PATCH',
          headers: { authorization: `Bearer ${unchecked.apiKey}` },
          body: JSON.stringify({ kycData: examplePatchStyleKycData({ passportFrontUrl: 'http://127.0.0.1:9/nothing.jpg' }) }),
        }).then((response) => response.body.dump());
        await unchecked.clock.advance(30_000);
        expect(unchecked.customer(id)?.status).toBe('ACTIVE');
        expect(unchecked.documentChecks()).toEqual([]);
      } finally {
        await unchecked.close();
      }
    });
  });

  describe('control API', () => {
    it('setOutcome drives the review regardless of e-mail: REJECTED with a reason code, after a chosen time', async () => {
      const id = await createCustomer('test-success@example.com');
      sim.setOutcome(id, { status: 'REJECTED', rejectionReason: 'FRAUD_SUSPECTED', afterMs: 60 * 60_000 });
      await submit(id);
      expect(sim.reviewDueAt(id)?.getTime()).toBe(sim.clock.nowMs() + 60 * 60_000);
      await sim.clock.advance(30_000);
      expect((await status(id)).status).toBe('UNDER_REVIEW');
      await sim.clock.advance(60 * 60_000);
      expect(await status(id)).toMatchObject({ status: 'REJECTED', rejectionReason: 'FRAUD_SUSPECTED' });
    });

    it('setOutcome plays a list in order, then falls back to the e-mail rule', async () => {
      const id = await createCustomer('test-rejected@example.com');
      sim.setOutcome(id, [
        { status: 'NEEDS_ADDITIONAL_INFORMATION', requiredDocuments: ['DRIVERS_LICENSE'], afterMs: 1000 },
        { status: 'ACTIVE', afterMs: 0 },
      ]);
      await submit(id);
      await sim.clock.advance(1000);
      expect(await status(id)).toMatchObject({ status: 'NEEDS_ADDITIONAL_INFORMATION', requiredDocuments: ['DRIVERS_LICENSE'] });

      const dl = await host.hostDocument({ content: imageBytes(), contentType: 'image/jpeg', filename: 'dl.jpg', type: 'DRIVERS_LICENSE' });
      // afterMs 0: the review runs right after the PATCH, without moving the clock.
      await call(sim, 'PATCH', `/api/v1/customers/${id}`, { kycData: { documents: [{ type: 'DRIVERS_LICENSE', frontImageUrl: dl }] } });
      await sim.settled();
      expect((await status(id)).status).toBe('ACTIVE');

      await sim.forceStatus(id, { status: 'NEEDS_ADDITIONAL_INFORMATION', requiredDocuments: ['PASSPORT'] });
      await call(sim, 'PATCH', `/api/v1/customers/${id}`, { kycData: { documents: [{ type: 'PASSPORT', frontImageUrl: await hostPassport() }] } });
      await sim.clock.advance(30_000);
      expect((await status(id)).status).toBe('REJECTED');
    });

    it('a failed document check does not use up a scripted outcome', async () => {
      const id = await createCustomer('x@example.com');
      sim.setOutcome(id, { status: 'REJECTED', rejectionReason: 'UNDERAGE' });
      const url = await hostPassport();
      host.failDocument(url, 'not-found');
      await submit(id, [{ type: 'PASSPORT', frontImageUrl: url }]);
      await sim.clock.advance(30_000);
      expect((await status(id)).status).toBe('NEEDS_ADDITIONAL_INFORMATION');
      host.clearFaults();
      await call(sim, 'PATCH', `/api/v1/customers/${id}`, { kycData: { documents: [{ type: 'PASSPORT', frontImageUrl: url }] } });
      await sim.clock.advance(30_000);
      expect(await status(id)).toMatchObject({ status: 'REJECTED', rejectionReason: 'UNDERAGE' });
    });

    it('setOutcome validates its input and the customer id', async () => {
      const id = await createCustomer('x@example.com');
      expect(() => sim.setOutcome('customer_nope', { status: 'ACTIVE' })).toThrow(/unknown/);
      expect(() => sim.setOutcome(id, { status: 'DEACTIVATED' as 'ACTIVE' })).toThrow(/status/);
      expect(() => sim.setOutcome(id, { status: 'ACTIVE', afterMs: -1 })).toThrow(/afterMs/);
    });

    it('deactivate moves ACTIVE to DEACTIVATED and refuses other statuses', async () => {
      const id = await createCustomer('test-success@example.com');
      await expect(sim.deactivate(id)).rejects.toThrow(/CREATED, not ACTIVE/);
      await submit(id);
      await sim.clock.advance(30_000);
      await sim.deactivate(id, { reason: 'ACCOUNT_CLOSED' });
      expect((await status(id)).status).toBe('DEACTIVATED');
      expect(sim.webhookEvents().at(-1)?.payload).toEqual({ customerId: id, oldStatus: 'ACTIVE', newStatus: 'DEACTIVATED', reason: 'ACCOUNT_CLOSED' });
    });

    it('forceStatus models later changes such as a rejection after approval', async () => {
      const id = await createCustomer('test-success@example.com');
      await submit(id);
      await sim.clock.advance(30_000);
      await sim.forceStatus(id, { status: 'REJECTED', rejectionReason: 'FRAUD_SUSPECTED' });
      expect(await status(id)).toMatchObject({ status: 'REJECTED', rejectionReason: 'FRAUD_SUSPECTED' });
    });
  });
});
