import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPatchStyleSimulator, type PatchStyleSimulator } from '../../src/simulators/patch-style/patch-style-simulator.js';
import { examplePatchStyleKycData } from '../../src/simulators/patch-style/patch-style-example-data.js';

interface CallOptions {
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
  /** Overrides the bearer token; `null` sends no Authorization header. */
  readonly apiKey?: string | null;
}

interface CallResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly json: any;
}

async function call(sim: PatchStyleSimulator, method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  const apiKey = options.apiKey === undefined ? sim.apiKey : options.apiKey;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (apiKey !== null) headers.authorization = `Bearer ${apiKey}`;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await request(`${sim.url}${path}`, { method: method as 'GET', headers, ...(body === undefined ? {} : { body }) });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, json: text === '' ? undefined : JSON.parse(text) };
}

const NEW_CUSTOMER = { type: 'INDIVIDUAL', email: 'jane.smith@example.com', firstName: 'Jane', lastName: 'Smith' };

async function createCustomer(sim: PatchStyleSimulator, body: Record<string, unknown> = NEW_CUSTOMER): Promise<string> {
  const created = await call(sim, 'POST', '/api/v1/customers', { body });
  expect(created.status).toBe(201);
  return created.json.id as string;
}

function patch(sim: PatchStyleSimulator, id: string, kycData: unknown): Promise<CallResult> {
  return call(sim, 'PATCH', `/api/v1/customers/${id}`, { body: { kycData } });
}

describe('patch-style simulator: HTTP API', () => {
  let sim: PatchStyleSimulator;

  beforeEach(async () => {
    // Document checks are covered in the review tests; here reviews never need to fetch.
    sim = await createPatchStyleSimulator({ apiKey: 'ps_test_key', checkDocuments: false });
  });
  afterEach(async () => {
    await sim.close();
  });

  describe('authentication', () => {
    const UNAUTHORIZED = { error: 'UNAUTHORIZED', message: 'Invalid or expired API key', statusCode: 401 };

    it('accepts the configured key and answers 401 with the envelope otherwise', async () => {
      expect(sim.apiKey).toBe('ps_test_key');
      expect((await call(sim, 'POST', '/api/v1/customers', { body: NEW_CUSTOMER })).status).toBe(201);
      for (const apiKey of [null, 'wrong', '']) {
        const denied = await call(sim, 'POST', '/api/v1/customers', { body: NEW_CUSTOMER, apiKey });
        expect(denied.status).toBe(401);
        expect(denied.json).toEqual(UNAUTHORIZED);
      }
      const basic = await call(sim, 'GET', '/api/v1/customers/x', { apiKey: null, headers: { authorization: 'Basic cHM6dGVzdA==' } });
      expect(basic.status).toBe(401);
      expect(sim.customers()).toHaveLength(1);
      // Each refusal names the header, never its value.
      expect(sim.headerMismatches().map((m) => `${m.method} ${m.path} ${m.header}`)).toEqual([
        'POST /api/v1/customers authorization',
        'POST /api/v1/customers authorization',
        'POST /api/v1/customers authorization',
        'GET /api/v1/customers/x authorization',
      ]);
      expect(JSON.stringify(sim.headerMismatches())).not.toMatch(/wrong|cHM6dGVzdA/);
    });

    it('answers 401 everywhere after expireApiKey() until the key is rotated', async () => {
      const id = await createCustomer(sim);
      sim.expireApiKey();
      expect((await call(sim, 'GET', `/api/v1/customers/${id}`)).json).toEqual(UNAUTHORIZED);
      expect(sim.headerMismatches(), 'an expired key is the refresh flow, not a wrong header').toEqual([]);
      expect((await call(sim, 'GET', '/api/v1/nowhere')).status).toBe(401);

      const fresh = sim.rotateApiKey();
      expect(fresh).not.toBe('ps_test_key');
      expect(sim.apiKey).toBe(fresh);
      expect((await call(sim, 'GET', `/api/v1/customers/${id}`)).status).toBe(200);
      expect((await call(sim, 'GET', `/api/v1/customers/${id}`, { apiKey: 'ps_test_key' })).status).toBe(401);
      expect(sim.rotateApiKey('chosen')).toBe('chosen');
      expect((await call(sim, 'GET', `/api/v1/customers/${id}`, { apiKey: 'chosen' })).status).toBe(200);
    });
  });

  describe('customers', () => {
    it('creates with exactly the contract’s 201 body and serves it back with updatedAt', async () => {
      const created = await call(sim, 'POST', '/api/v1/customers', { body: NEW_CUSTOMER });
      expect(created.status).toBe(201);
      expect(Object.keys(created.json).sort()).toEqual(
        ['createdAt', 'email', 'firstName', 'id', 'lastName', 'status', 'type', 'verificationLink'].sort(),
      );
      expect(created.json).toMatchObject({ ...NEW_CUSTOMER, status: 'CREATED' });
      expect(created.json.id).toMatch(/^customer_[0-9a-f]+$/);
      expect(created.json.verificationLink).toMatch(/^https:\/\//);
      expect(created.json.createdAt).toBe(sim.clock.now().toISOString());

      await sim.clock.advance(1000);
      const fetched = await call(sim, 'GET', `/api/v1/customers/${created.json.id}`);
      expect(fetched.status).toBe(200);
      expect(fetched.json).toEqual({ ...created.json, updatedAt: created.json.createdAt });
    });

    it('answers NOT_FOUND for unknown customers and routes', async () => {
      const missing = await call(sim, 'GET', '/api/v1/customers/customer_nope');
      expect(missing.status).toBe(404);
      expect(missing.json).toEqual({ error: 'NOT_FOUND', message: 'Customer customer_nope not found', statusCode: 404 });
      expect((await patch(sim, 'customer_nope', {})).json.error).toBe('NOT_FOUND');
      const route = await call(sim, 'DELETE', '/api/v1/customers/x');
      expect(route.status).toBe(404);
      expect(route.json.error).toBe('NOT_FOUND');
    });

    it('serves exactly the contract: other paths and methods answer 404 and are recorded as violations', async () => {
      const id = await createCustomer(sim);
      await call(sim, 'GET', `/api/v1/customers/${id}`);
      await patch(sim, id, examplePatchStyleKycData({}));
      expect(sim.contractViolations()).toEqual([]);

      expect((await call(sim, 'DELETE', `/api/v1/customers/${id}`)).status).toBe(404);
      expect((await call(sim, 'GET', '/api/v1/customers')).status).toBe(404);
      expect((await call(sim, 'POST', `/api/v1/customers/${id}/documents`, { body: {} })).status).toBe(404);
      expect(sim.contractViolations().map(({ method, route, reason }) => ({ method, route, reason }))).toEqual([
        { method: 'DELETE', route: 'DELETE /api/v1/customers/{id}', reason: 'the contract documents only GET, PATCH on this path' },
        { method: 'GET', route: 'GET /api/v1/customers', reason: 'the contract documents only POST on this path' },
        { method: 'POST', route: 'POST /api/v1/customers/{id}/documents', reason: 'the contract documents no such path' },
      ]);
    });

    it('refuses invalid creates with BAD_REQUEST naming the field', async () => {
      const noEmail = await call(sim, 'POST', '/api/v1/customers', { body: { ...NEW_CUSTOMER, email: 'not-an-email' } });
      expect(noEmail.status).toBe(400);
      expect(noEmail.json).toEqual({ error: 'BAD_REQUEST', message: 'Validation failed: email must be a valid e-mail address', statusCode: 400 });
      const business = await call(sim, 'POST', '/api/v1/customers', { body: { ...NEW_CUSTOMER, type: 'BUSINESS', lastName: '' } });
      expect(business.json.message).toBe('Validation failed: type must be INDIVIDUAL; lastName must be a non-empty string');
      const broken = await call(sim, 'POST', '/api/v1/customers', { rawBody: '{"type":' });
      expect(broken.json.message).toBe('Validation failed: body must be valid JSON');
      expect(sim.customers()).toHaveLength(0);
    });

    it('tolerates unknown request fields', async () => {
      const created = await call(sim, 'POST', '/api/v1/customers', { body: { ...NEW_CUSTOMER, externalId: 'user-1', metadata: { a: 1 } } });
      expect(created.status).toBe(201);
      const patched = await call(sim, 'PATCH', `/api/v1/customers/${created.json.id}`, {
        body: { kycData: { legalFirstName: 'Jane', favouriteColour: 'green' }, clientVersion: 3 },
      });
      expect(patched.status).toBe(200);
      expect(sim.customer(created.json.id)?.kycData).toMatchObject({ favouriteColour: 'green' });
    });
  });

  describe('Idempotency-Key', () => {
    it('returns the first response and creates no second customer for a repeat within 24 h', async () => {
      const headers = { 'idempotency-key': 'create-user-1' };
      const first = await call(sim, 'POST', '/api/v1/customers', { body: NEW_CUSTOMER, headers });
      await sim.clock.advance(23 * 60 * 60 * 1000);
      const second = await call(sim, 'POST', '/api/v1/customers', { body: NEW_CUSTOMER, headers });
      expect(second.status).toBe(201);
      expect(second.json).toEqual(first.json);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(sim.customers()).toHaveLength(1);
    });

    it('returns the first response even when the repeat’s body differs (the key identifies the operation)', async () => {
      const headers = { 'idempotency-key': 'k-1' };
      const first = await call(sim, 'POST', '/api/v1/customers', { body: NEW_CUSTOMER, headers });
      const other = await call(sim, 'POST', '/api/v1/customers', { body: { ...NEW_CUSTOMER, firstName: 'Joan' }, headers });
      expect(other.json).toEqual(first.json);
      expect(sim.customers()).toHaveLength(1);
      expect(sim.idempotencyRecords()[0]).toMatchObject({ key: 'k-1', replays: 1, mismatchedReplays: 1 });
    });

    it('creates a new customer for a new key, without a key, and once 24 h have passed', async () => {
      const first = await call(sim, 'POST', '/api/v1/customers', { body: NEW_CUSTOMER, headers: { 'idempotency-key': 'a' } });
      const otherKey = await call(sim, 'POST', '/api/v1/customers', { body: NEW_CUSTOMER, headers: { 'idempotency-key': 'b' } });
      const noKey = await call(sim, 'POST', '/api/v1/customers', { body: NEW_CUSTOMER });
      await sim.clock.advance(24 * 60 * 60 * 1000);
      const expired = await call(sim, 'POST', '/api/v1/customers', { body: NEW_CUSTOMER, headers: { 'idempotency-key': 'a' } });
      const ids = new Set([first, otherKey, noKey, expired].map((result) => result.json.id));
      expect(ids.size).toBe(4);
      // Allowed, but unsafe to repeat: the simulator keeps a record of creates without a key.
      expect(sim.keylessCreates()).toEqual([noKey.json.id]);
    });

    it('loses the answer to a keyed create with a reset after processing; the repeat gets the same customer', async () => {
      sim.injectFault({ method: 'POST', path: '/api/v1/customers', reset: true, afterProcessing: true });
      const headers = { 'idempotency-key': 'reset-after' };
      await expect(call(sim, 'POST', '/api/v1/customers', { body: NEW_CUSTOMER, headers })).rejects.toThrow();
      expect(sim.customers()).toHaveLength(1);
      const repeat = await call(sim, 'POST', '/api/v1/customers', { body: NEW_CUSTOMER, headers });
      expect(repeat.json.id).toBe(sim.customers()[0]?.id);
      expect(sim.keylessCreates()).toEqual([]);
    });

    it('does not remember a refused create', async () => {
      const headers = { 'idempotency-key': 'fix-me' };
      expect((await call(sim, 'POST', '/api/v1/customers', { body: { ...NEW_CUSTOMER, email: 'x' }, headers })).status).toBe(400);
      expect((await call(sim, 'POST', '/api/v1/customers', { body: NEW_CUSTOMER, headers })).status).toBe(201);
    });

    it('lets a client recover a create whose response was lost (fault after processing)', async () => {
      sim.injectFaultAfterProcessing({ method: 'POST', path: '/api/v1/customers', status: 502, body: 'Bad Gateway' });
      const headers = { 'idempotency-key': 'lost-response' };
      const lost = await request(`${sim.url}/api/v1/customers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(NEW_CUSTOMER),
      });
      expect(lost.statusCode).toBe(502);
      await lost.body.dump();
      expect(sim.customers()).toHaveLength(1);
      const retried = await call(sim, 'POST', '/api/v1/customers', { body: NEW_CUSTOMER, headers });
      expect(retried.status).toBe(201);
      expect(retried.json.id).toBe(sim.customers()[0]?.id);
      expect(sim.customers()).toHaveLength(1);
    });
  });

  describe('PATCH kycData', () => {
    it('moves a complete submission to UNDER_REVIEW and returns the customer object', async () => {
      const id = await createCustomer(sim);
      await sim.clock.advance(5000);
      const result = await patch(sim, id, examplePatchStyleKycData({}));
      expect(result.status).toBe(200);
      expect(result.json).toMatchObject({ id, status: 'UNDER_REVIEW', updatedAt: sim.clock.now().toISOString() });
      expect(result.json).not.toHaveProperty('requiredFields');
      expect(result.json).not.toHaveProperty('kycData');
      expect((await call(sim, 'GET', `/api/v1/customers/${id}`)).json).toEqual(result.json);
    });

    it('answers an incomplete submission with NEEDS_ADDITIONAL_INFORMATION and requiredFields', async () => {
      const id = await createCustomer(sim);
      const result = await patch(sim, id, { legalFirstName: 'Test', legalLastName: 'RFI', phoneNumber: '+14155551234' });
      expect(result.status).toBe(200);
      expect(result.json.status).toBe('NEEDS_ADDITIONAL_INFORMATION');
      expect(result.json.requiredDocuments).toEqual([]);
      expect(result.json.requiredFields).toEqual([
        'dateOfBirth',
        'nationality',
        'address',
        'nationalIdType',
        'nationalIdNumber',
        'nationalIdIssuingCountry',
        'employmentStatus',
        'mostRecentOccupation',
        'sourceOfFunds',
        'accountPurpose',
        'expectedMonthlyPaymentsUsd',
        'isIntermediary',
        'documents',
      ]);
    });

    it('merges into earlier data: address field by field, documents by type, null removes', async () => {
      const id = await createCustomer(sim);
      const { address, documents, ...rest } = examplePatchStyleKycData({});
      let result = await patch(sim, id, { ...rest, address: { ...address, city: undefined, locale: undefined } });
      expect(result.json.requiredFields).toEqual(['address.city', 'address.locale', 'documents']);

      result = await patch(sim, id, { address: { city: 'Oakland', locale: 'en-US' } });
      expect(result.json.requiredFields).toEqual(['documents']);
      expect(sim.customer(id)?.kycData.address).toMatchObject({ addressLine1: '123 Main Street', city: 'Oakland', locale: 'en-US' });

      // A proof of address alone is not an ID document.
      result = await patch(sim, id, { documents: [{ type: 'UTILITY_BILL', issueDate: '2025-10-01', frontImageUrl: 'https://docs.example.com/bill.pdf' }] });
      expect(result.json.requiredFields).toEqual(['documents']);

      // An RFI-style answer sending only documents: the bill is kept, the passport added.
      result = await patch(sim, id, { documents });
      expect(result.json.status).toBe('UNDER_REVIEW');
      expect((sim.customer(id)?.kycData.documents as { type: string }[]).map((document) => document.type)).toEqual(['UTILITY_BILL', 'PASSPORT']);

      // null removes (REJECTED allows PATCH again).
      await sim.forceStatus(id, { status: 'REJECTED', rejectionReason: 'DATA_MISMATCH' });
      result = await patch(sim, id, { legalMiddleName: 'Marie', nationality: null });
      expect(result.json.status).toBe('NEEDS_ADDITIONAL_INFORMATION');
      expect(result.json.requiredFields).toEqual(['nationality']);
      expect(sim.customer(id)?.kycData).toMatchObject({ legalMiddleName: 'Marie' });
    });

    it('replaces a stored document of the same type', async () => {
      const id = await createCustomer(sim);
      await patch(sim, id, { documents: [{ type: 'PASSPORT', frontImageUrl: 'https://docs.example.com/old.jpg' }] });
      await patch(sim, id, { documents: [{ type: 'PASSPORT', frontImageUrl: 'https://docs.example.com/new.jpg' }] });
      expect(sim.customer(id)?.kycData.documents).toEqual([{ type: 'PASSPORT', frontImageUrl: 'https://docs.example.com/new.jpg' }]);
    });

    it.each([
      [{ phoneNumber: '4155551234' }, 'phoneNumber must be in E.164 format'],
      [{ phoneNumber: '+04155551234' }, 'phoneNumber must be in E.164 format'],
      [{ dateOfBirth: '1990-5-15' }, 'dateOfBirth must be a valid date in YYYY-MM-DD format'],
      [{ dateOfBirth: '2023-02-29' }, 'dateOfBirth must be a valid date in YYYY-MM-DD format'],
      [{ dateOfBirth: '1990-04-31' }, 'dateOfBirth must be a valid date in YYYY-MM-DD format'],
      [{ nationality: 'USA' }, 'nationality must be an ISO 3166-1 alpha-2 country code'],
      [{ nationality: 'UK' }, 'nationality must be an ISO 3166-1 alpha-2 country code'],
      [{ nationality: 'us' }, 'nationality must be an ISO 3166-1 alpha-2 country code'],
      [{ nationalIdIssuingCountry: 'EU' }, 'nationalIdIssuingCountry must be an ISO 3166-1 alpha-2 country code'],
      [{ address: { country: 'XX' } }, 'address.country must be an ISO 3166-1 alpha-2 country code'],
      [{ address: 'Main Street 1' }, 'address must be an object'],
      [{ nationalIdType: 'ITIN' }, 'nationalIdType must be one of SSN, TIN, NATIONAL_ID'],
      [{ employmentStatus: 'employed' }, 'employmentStatus must be one of EMPLOYED, SELF_EMPLOYED, UNEMPLOYED, RETIRED, STUDENT'],
      [{ sourceOfFunds: 'SALARY' }, 'sourceOfFunds must be one of EMPLOYMENT, BUSINESS, INVESTMENTS, INHERITANCE, SAVINGS'],
      [{ accountPurpose: 'SAVINGS' }, 'accountPurpose must be one of PERSONAL_USE, BUSINESS_USE, INVESTMENT'],
      [{ expectedMonthlyPaymentsUsd: 'UNDER_1K' }, 'expectedMonthlyPaymentsUsd must be one of UNDER_10K, 10K_TO_50K, 50K_TO_100K, OVER_100K'],
      [{ isIntermediary: 'false' }, 'isIntermediary must be a boolean'],
      [{ legalFirstName: '  ' }, 'legalFirstName must be a non-empty string'],
      [{ documents: { type: 'PASSPORT' } }, 'documents must be an array'],
      [{ documents: [{ type: 'SELFIE', frontImageUrl: 'https://x.example/a.jpg' }] }, 'documents[0].type must be one of PASSPORT, DRIVERS_LICENSE, NATIONAL_ID, RESIDENCE_PERMIT, STATE_ID, UTILITY_BILL, BANK_STATEMENT, LEASE_AGREEMENT'],
      [{ documents: [{ type: 'PASSPORT', frontImageUrl: 'ftp://x.example/a.jpg' }] }, 'documents[0].frontImageUrl must be an http(s) URL'],
      [{ documents: [{ type: 'PASSPORT', frontImageUrl: 'https://x.example/a.jpg', expirationDate: '2030-13-01' }] }, 'documents[0].expirationDate must be a valid date in YYYY-MM-DD format'],
      [{ documents: [{ type: 'PASSPORT', frontImageUrl: 'https://x.example/a.jpg', issuingCountry: 'GER' }] }, 'documents[0].issuingCountry must be an ISO 3166-1 alpha-2 country code'],
    ])('refuses %j with BAD_REQUEST naming the field, storing nothing', async (kycData, problem) => {
      const id = await createCustomer(sim);
      await patch(sim, id, { legalFirstName: 'Jane' });
      const before = sim.customer(id);
      const result = await patch(sim, id, { legalLastName: 'Smith', ...kycData });
      expect(result.status).toBe(400);
      expect(result.json).toEqual({ error: 'BAD_REQUEST', message: `Validation failed: ${problem}`, statusCode: 400 });
      expect(sim.customer(id)).toEqual(before);
    });

    it('refuses customers under 18 by the simulator clock, and accepts them on their 18th birthday', async () => {
      await sim.clock.set('2026-03-10T12:00:00Z');
      const id = await createCustomer(sim);
      const young = await patch(sim, id, { dateOfBirth: '2008-03-11' });
      expect(young.json.message).toBe('Validation failed: dateOfBirth must make the customer at least 18 years old');
      const future = await patch(sim, id, { dateOfBirth: '2030-01-01' });
      expect(future.json.message).toBe('Validation failed: dateOfBirth must not be in the future');
      expect((await patch(sim, id, { dateOfBirth: '2008-03-10' })).status).toBe(200);
      expect((await patch(sim, id, { dateOfBirth: '2024-02-29' })).json.message).toMatch(/at least 18/);
    });

    it('names every bad field at once', async () => {
      const id = await createCustomer(sim);
      const result = await patch(sim, id, { phoneNumber: '123', nationality: 'ZZ', documents: [{ type: 'PASSPORT' }] });
      expect(result.json.message).toBe(
        'Validation failed: phoneNumber must be in E.164 format; nationality must be an ISO 3166-1 alpha-2 country code; documents[0].frontImageUrl must be an http(s) URL',
      );
    });

    it('refuses a body without a kycData object', async () => {
      const id = await createCustomer(sim);
      expect((await call(sim, 'PATCH', `/api/v1/customers/${id}`, { body: {} })).json.message).toBe('Validation failed: kycData is required');
      expect((await call(sim, 'PATCH', `/api/v1/customers/${id}`, { body: { kycData: [] } })).json.message).toBe(
        'Validation failed: kycData must be an object',
      );
    });

    it('accepts the guide’s documented variants: XK, locale and state codes, optional document fields', async () => {
      const id = await createCustomer(sim);
      const result = await patch(sim, id, {
        ...examplePatchStyleKycData({}),
        nationality: 'XK',
        address: { ...examplePatchStyleKycData({}).address, country: 'MX', state: 'Ciudad de México', stateCode: 'CMX', locale: 'es_MX' },
        documents: [
          { type: 'NATIONAL_ID', frontImageUrl: 'http://docs.example.com/front.png', backImageUrl: 'http://docs.example.com/back.png' },
          { type: 'UTILITY_BILL', issueDate: '2025-10-01', frontImageUrl: 'https://docs.example.com/bill.pdf' },
        ],
      });
      expect(result.status).toBe(200);
      expect(result.json.status).toBe('UNDER_REVIEW');
    });
  });

  describe('status rules', () => {
    it('refuses PATCH while UNDER_REVIEW, ACTIVE and DEACTIVATED with PATCH_NOT_ALLOWED and customerStatus', async () => {
      const id = await createCustomer(sim);
      await patch(sim, id, examplePatchStyleKycData({}));
      const underReview = await patch(sim, id, { legalMiddleName: 'Marie' });
      expect(underReview.status).toBe(400);
      expect(underReview.json).toEqual({
        error: 'PATCH_NOT_ALLOWED',
        message: 'Cannot update KYC data: verification is currently in progress',
        statusCode: 400,
        customerStatus: 'UNDER_REVIEW',
      });

      await sim.clock.advance(30_000);
      const active = await patch(sim, id, { legalMiddleName: 'Marie' });
      expect(active.json).toMatchObject({ error: 'PATCH_NOT_ALLOWED', customerStatus: 'ACTIVE', statusCode: 400 });

      await sim.deactivate(id);
      const deactivated = await patch(sim, id, { legalMiddleName: 'Marie' });
      expect(deactivated.json).toMatchObject({ error: 'PATCH_NOT_ALLOWED', customerStatus: 'DEACTIVATED' });
      expect(sim.customer(id)?.kycData).not.toHaveProperty('legalMiddleName');
    });

    it('checks the status before the body', async () => {
      const id = await createCustomer(sim);
      await patch(sim, id, examplePatchStyleKycData({}));
      expect((await patch(sim, id, { phoneNumber: 'bad' })).json.error).toBe('PATCH_NOT_ALLOWED');
    });
  });

  describe('fault injection', () => {
    it('answers 429 RATE_LIMITED with Retry-After, then recovers', async () => {
      const fault = sim.injectRateLimit({ retryAfterSeconds: 7 });
      const limited = await call(sim, 'POST', '/api/v1/customers', { body: NEW_CUSTOMER });
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBe('7');
      expect(limited.json).toMatchObject({ error: 'RATE_LIMITED', statusCode: 429 });
      expect(fault.hits).toBe(1);
      expect(sim.customers()).toHaveLength(0);
      expect((await call(sim, 'POST', '/api/v1/customers', { body: NEW_CUSTOMER })).status).toBe(201);
    });

    it('answers 5xx INTERNAL_ERROR for chosen requests only', async () => {
      const id = await createCustomer(sim);
      sim.injectInternalError({ method: 'GET', times: 2, status: 503 });
      for (let attempt = 0; attempt < 2; attempt++) {
        const failed = await call(sim, 'GET', `/api/v1/customers/${id}`);
        expect(failed.status).toBe(503);
        expect(failed.json).toMatchObject({ error: 'INTERNAL_ERROR', statusCode: 503 });
      }
      expect((await call(sim, 'GET', `/api/v1/customers/${id}`)).status).toBe(200);
      expect(() => sim.injectInternalError({ status: 404 })).toThrow(/5xx/);
    });

    it('records every request in the log, faulted ones included', async () => {
      sim.injectInternalError({});
      await call(sim, 'POST', '/api/v1/customers', { body: NEW_CUSTOMER });
      await call(sim, 'POST', '/api/v1/customers', { body: NEW_CUSTOMER, headers: { 'idempotency-key': 'k' } });
      const log = sim.requests();
      expect(log.map((entry) => `${entry.method} ${entry.path}`)).toEqual(['POST /api/v1/customers', 'POST /api/v1/customers']);
      expect(log[1]?.headers['idempotency-key']).toBe('k');
      expect(log[1]?.json).toEqual(NEW_CUSTOMER);
    });
  });
});
