import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleDocument } from '../../src/fixtures/sample-document.js';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../../src/simulators/shared/webhook-receiver.js';
import { createTechnestSimulator, type TechnestSimulator } from '../../src/simulators/technest/technest-simulator.js';
import { signTechnestWebhook } from '../../src/simulators/technest/technest-webhooks.js';
import {
  FULL_DETAILS,
  api,
  call,
  createCustomer,
  fetchToken,
  getToken,
  signatureMatches,
  signatureTimestamp,
  submittedCustomer,
  uniqueReference,
  uploadFile,
} from './technest-test-client.js';

/** The parsed body of a received Technest webhook (any of the three shapes). */
interface TechnestWebhookBody {
  readonly id?: string;
  readonly event: string;
  readonly created_at?: string;
  readonly data: { readonly id: string; readonly status: string; readonly [field: string]: unknown };
}

function bodyOf(webhook: ReceivedWebhook | undefined): TechnestWebhookBody {
  if (!webhook) throw new Error('no webhook received');
  return webhook.json as TechnestWebhookBody;
}

let sim: TechnestSimulator;
let receiver: WebhookReceiver;
let token: string;

beforeEach(async () => {
  sim = await createTechnestSimulator({ webhookSecret: 'whsec_test' });
  receiver = await startWebhookReceiver();
  sim.setWebhookTarget(receiver.url);
  token = await getToken(sim);
});

afterEach(async () => {
  await sim.close();
  await receiver.close();
});

describe('OAuth client credentials', () => {
  it('issues a Bearer token for a form-encoded client_credentials request', async () => {
    const response = await fetchToken(sim);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'customer:write' });
    expect(typeof response.json.access_token).toBe('string');
  });

  it('answers 401 invalid_client for a wrong secret', async () => {
    const response = await fetchToken(sim, { client_secret: 'nope' });
    expect(response.status).toBe(401);
    expect(response.json).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
  });

  it('requires a form body', async () => {
    const response = await call(`${sim.url}/oauth/token`, 'POST', {
      json: { grant_type: 'client_credentials', client_id: sim.clientId, client_secret: sim.clientSecret },
    });
    expect(response.status).toBe(400);
    expect(response.json.error).toBe('invalid_request');
  });

  it('expires tokens by the simulator clock → 401 token_expired envelope', async () => {
    expect((await api(sim, token).get('/v1/customers')).status).toBe(200);
    await sim.clock.advance(3600 * 1000 - 1);
    expect((await api(sim, token).get('/v1/customers')).status).toBe(200);
    await sim.clock.advance(1);
    const expired = await api(sim, token).get('/v1/customers');
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual({ error: { type: 'authentication_error', code: 'token_expired', message: expect.any(String) } });
    expect((await api(sim, await getToken(sim)).get('/v1/customers')).status).toBe(200);
  });

  it('honours tokenTtlSeconds, expireTokens() and revokeToken()', async () => {
    await sim.close();
    sim = await createTechnestSimulator({ tokenTtlSeconds: 60 });
    const first = await fetchToken(sim);
    expect(first.json.expires_in).toBe(60);
    const other = sim.issueAccessToken();
    sim.expireTokens();
    expect((await api(sim, first.json.access_token).get('/v1/customers')).json.error.code).toBe('token_expired');
    expect((await api(sim, other).get('/v1/customers')).json.error.code).toBe('token_expired');

    const fresh = await getToken(sim);
    expect((await api(sim, fresh).get('/v1/customers')).status).toBe(200);
    expect(sim.revokeToken(fresh)).toBe(true);
    expect((await api(sim, fresh).get('/v1/customers')).json.error.code).toBe('token_expired');
  });

  it('answers invalid_token without or with an unknown token, insufficient_scope for a read-only token', async () => {
    const missing = await call(`${sim.url}/v1/customers`, 'GET');
    expect(missing.status).toBe(401);
    expect(missing.json.error).toMatchObject({ type: 'authentication_error', code: 'invalid_token' });
    expect((await api(sim, 'garbage').get('/v1/customers')).json.error.code).toBe('invalid_token');

    const readOnly = (await fetchToken(sim, { scope: 'customer:read' })).json.access_token as string;
    expect((await api(sim, readOnly).get('/v1/customers')).status).toBe(200);
    const write = await api(sim, readOnly).post('/v1/customers', {});
    expect(write.status).toBe(403);
    expect(write.json.error).toMatchObject({ type: 'permission_error', code: 'insufficient_scope' });
  });
});

describe('customers', () => {
  it('creates a customer with the documented object shape, tolerating unknown fields', async () => {
    const { response, reference } = await createCustomer(sim, token, { favourite_colour: 'teal' });
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({
      object: 'customer',
      id: expect.stringMatching(/^ckcust_/),
      type: 'individual',
      customer_reference: reference,
      status: 'created',
      email: 'jane@example.com',
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      kyc_submitted_at: null,
      verified_at: null,
      rejected_at: null,
      rejection_reason: null,
      files: { id_file: null, id_file_back: null, proof_of_address_file: null, liveness_check_file: null },
    });
  });

  it.each(['type', 'customer_reference', 'email', 'first_name', 'last_name'])('requires %s at create (400 validation_failed)', async (field) => {
    const response = await api(sim, token).post('/v1/customers', {
      type: 'individual',
      customer_reference: uniqueReference(),
      email: 'a@b.co',
      first_name: 'A',
      last_name: 'B',
      [field]: undefined,
    });
    expect(response.status).toBe(400);
    expect(response.json.error).toMatchObject({ type: 'invalid_request_error', code: 'validation_failed', param: field });
  });

  it('creates with only the required fields', async () => {
    const response = await api(sim, token).post('/v1/customers', {
      type: 'individual',
      customer_reference: uniqueReference(),
      email: 'a@b.co',
      first_name: 'A',
      last_name: 'B',
    });
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({ date_of_birth: null, phone: null, country: null, address: null });
  });

  it('answers 409 customer_reference_taken with existing_customer_id, also for rejected records', async () => {
    const first = await submittedCustomer(sim, token);
    sim.setOutcome(first.id, { status: 'rejected', reason: 'ID document unreadable' });
    await sim.completeReviews();
    expect(sim.getCustomer(first.id)?.status).toBe('rejected');

    const again = await createCustomer(sim, token, { customer_reference: first.reference });
    expect(again.response.status).toBe(409);
    expect(again.response.json.error).toEqual({
      type: 'conflict',
      code: 'customer_reference_taken',
      message: expect.any(String),
      param: 'customer_reference',
      existing_customer_id: first.id,
    });
  });

  it('merges PATCH fields while created', async () => {
    const { id } = await createCustomer(sim, token, { phone: undefined, address: undefined });
    const patched = await api(sim, token).patch(`/v1/customers/${id}`, { phone: '+447700900123', address: { line1: '2 Low St', city: 'Leeds' } });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ phone: '+447700900123', address: { line1: '2 Low St', city: 'Leeds' }, date_of_birth: '1990-05-15', first_name: 'Jane' });
    expect((await api(sim, token).patch(`/v1/customers/${id}`, { date_of_birth: '15/05/1990' })).json.error).toMatchObject({
      code: 'validation_failed',
      param: 'date_of_birth',
    });
  });

  it('refuses PATCH with 409 verification_in_progress once pending or verified, customer_rejected once rejected', async () => {
    const pending = await submittedCustomer(sim, token);
    const whilePending = await api(sim, token).patch(`/v1/customers/${pending.id}`, { phone: '+1' });
    expect(whilePending.status).toBe(409);
    expect(whilePending.json.error).toMatchObject({ type: 'conflict', code: 'verification_in_progress' });
    await sim.completeReviews();
    expect((await api(sim, token).patch(`/v1/customers/${pending.id}`, { phone: '+1' })).json.error.code).toBe('verification_in_progress');

    const rejected = await submittedCustomer(sim, token);
    sim.setOutcome(rejected.reference, { status: 'rejected' });
    await sim.completeReviews();
    const afterRejection = await api(sim, token).patch(`/v1/customers/${rejected.id}`, { phone: '+1' });
    expect(afterRejection.status).toBe(409);
    expect(afterRejection.json.error.code).toBe('customer_rejected');
  });

  it('GETs a customer, lists by customer_reference, and 404s unknown ids', async () => {
    const { id, reference } = await createCustomer(sim, token);
    await createCustomer(sim, token);
    expect((await api(sim, token).get(`/v1/customers/${id}`)).json).toMatchObject({ id, customer_reference: reference });
    const list = await api(sim, token).get(`/v1/customers?customer_reference=${encodeURIComponent(reference)}`);
    expect(list.json).toMatchObject({ object: 'list', data: [{ id }] });
    expect(list.json.data).toHaveLength(1);
    expect((await api(sim, token).get('/v1/customers?customer_reference=nobody')).json).toEqual({ object: 'list', data: [] });
    const missing = await api(sim, token).get('/v1/customers/ckcust_missing');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatchObject({ type: 'not_found', code: 'customer_not_found' });
  });
});

describe('upload intents and storage', () => {
  async function intent(customerId: string, contentType = 'image/jpeg') {
    return api(sim, token).post(`/v1/customers/${customerId}/files`, {
      file_category: 'id_document',
      filename: 'passport.jpg',
      content_type: contentType,
      extra_field: 'ignored',
    });
  }

  it('returns an intent whose upload_url lives on the storage host (another port)', async () => {
    const { id } = await createCustomer(sim, token);
    const response = await intent(id);
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({
      object: 'file_upload_intent',
      file_id: expect.stringMatching(/^file_/),
      required_headers: { 'Content-Type': 'image/jpeg' },
    });
    expect(response.json.upload_url.startsWith(`${sim.storageUrl}/`)).toBe(true);
    expect(new URL(sim.storageUrl).port).not.toBe(new URL(sim.url).port);
    expect(Date.parse(response.json.expires_at)).toBe(Math.floor((sim.clock.nowMs() + 300_000) / 1000) * 1000);
  });

  it('validates the intent body; unsupported content types get unsupported_document', async () => {
    const { id } = await createCustomer(sim, token);
    expect((await intent(id, 'image/gif')).json.error).toMatchObject({ code: 'unsupported_document', param: 'content_type' });
    const badCategory = await api(sim, token).post(`/v1/customers/${id}/files`, { file_category: 'selfie', filename: 'a.jpg', content_type: 'image/jpeg' });
    expect(badCategory.json.error).toMatchObject({ code: 'validation_failed', param: 'file_category' });
  });

  it('accepts a PUT with exactly the required headers (200, empty body) and stores the bytes', async () => {
    const { id } = await createCustomer(sim, token);
    const { json } = await intent(id);
    const document = sampleDocument('passport');
    const put = await call(json.upload_url, 'PUT', { body: document.content, headers: json.required_headers });
    expect(put.status).toBe(200);
    expect(put.text).toBe('');
    expect(put.headers['access-control-allow-origin']).toBeUndefined();
    expect(sim.getFile(json.file_id)?.upload?.bytes.equals(document.content)).toBe(true);
  });

  it('answers 403 AccessDenied "Request has expired" after the URL expired by the simulator clock', async () => {
    const { id } = await createCustomer(sim, token);
    const { json } = await intent(id);
    await sim.clock.advance(300_000);
    const put = await call(json.upload_url, 'PUT', { body: sampleDocument('passport').content, headers: json.required_headers });
    expect(put.status).toBe(403);
    expect(put.headers['content-type']).toBe('application/xml');
    expect(put.text).toContain('<Error><Code>AccessDenied</Code><Message>Request has expired</Message>');
  });

  it('answers 403 SignatureDoesNotMatch when Content-Type differs from the signed one (or the URL was tampered with)', async () => {
    const { id } = await createCustomer(sim, token);
    const { json } = await intent(id);
    const content = sampleDocument('passport', 'image/png').content;
    const wrongType = await call(json.upload_url, 'PUT', { body: content, headers: { 'Content-Type': 'image/png' } });
    expect(wrongType.status).toBe(403);
    expect(wrongType.text).toContain('<Code>SignatureDoesNotMatch</Code>');
    const noType = await call(json.upload_url, 'PUT', { body: content });
    expect(noType.text).toContain('<Code>SignatureDoesNotMatch</Code>');
    const tampered = json.upload_url.replace(/X-Tn-Expires=\d+/, 'X-Tn-Expires=9999999999');
    expect((await call(tampered, 'PUT', { body: content, headers: json.required_headers })).text).toContain('SignatureDoesNotMatch');
  });

  it('answers 400 InvalidArgument when any Authorization header is present', async () => {
    const { id } = await createCustomer(sim, token);
    const { json } = await intent(id);
    const put = await call(json.upload_url, 'PUT', { body: sampleDocument('passport').content, headers: json.required_headers, token });
    expect(put.status).toBe(400);
    expect(put.text).toContain('<Code>InvalidArgument</Code>');
    const basic = await call(json.upload_url, 'PUT', { body: 'x', headers: { ...json.required_headers, Authorization: 'Basic Zm9vOmJhcg==' } });
    expect(basic.text).toContain('<Code>InvalidArgument</Code>');
    expect(sim.getFile(json.file_id)?.upload).toBeUndefined();
  });

  it('answers 400 EntityTooLarge over 10 MB and accepts exactly 10 MB', async () => {
    const { id } = await createCustomer(sim, token);
    const { json } = await intent(id);
    const tooLarge = await call(json.upload_url, 'PUT', { body: new Uint8Array(10 * 1024 * 1024 + 1), headers: json.required_headers });
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.text).toContain('<Code>EntityTooLarge</Code>');
    const exact = await call(json.upload_url, 'PUT', { body: new Uint8Array(10 * 1024 * 1024), headers: json.required_headers });
    expect(exact.status).toBe(200);
  });
});

describe('attach and the KYC acknowledgement', () => {
  it('moves the customer to pending when id_file is attached', async () => {
    const { id } = await createCustomer(sim, token);
    const fileId = await uploadFile(sim, token, id);
    const attach = await api(sim, token).post(`/v1/customers/${id}/files/attach`, { id_file: fileId, unknown_slot: 'x' });
    expect(attach.status).toBe(200);
    expect(attach.json).toEqual({
      object: 'customer_files',
      customer_id: id,
      files: { id_file: fileId, id_file_back: null, proof_of_address_file: null, liveness_check_file: null },
    });
    expect((await api(sim, token).get(`/v1/customers/${id}`)).json).toMatchObject({ status: 'pending', files: { id_file: fileId } });
  });

  it('attaches other slots without changing status, replacing earlier files in the same slot', async () => {
    const { id } = await createCustomer(sim, token);
    const first = await uploadFile(sim, token, id, 'proof_of_address', 'application/pdf');
    const second = await uploadFile(sim, token, id, 'proof_of_address', 'application/pdf');
    await api(sim, token).post(`/v1/customers/${id}/files/attach`, { proof_of_address_file: first });
    const replaced = await api(sim, token).post(`/v1/customers/${id}/files/attach`, { proof_of_address_file: second });
    expect(replaced.json.files.proof_of_address_file).toBe(second);
    expect((await api(sim, token).get(`/v1/customers/${id}`)).json.status).toBe('created');
  });

  it('answers 400 file_not_uploaded for a file whose bytes never arrived', async () => {
    const { id } = await createCustomer(sim, token);
    const intent = await api(sim, token).post(`/v1/customers/${id}/files`, { file_category: 'id_document', filename: 'p.jpg', content_type: 'image/jpeg' });
    const attach = await api(sim, token).post(`/v1/customers/${id}/files/attach`, { id_file: intent.json.file_id });
    expect(attach.status).toBe(400);
    expect(attach.json.error).toMatchObject({ type: 'invalid_request_error', code: 'file_not_uploaded', param: 'id_file' });
    expect(sim.getCustomer(id)?.status).toBe('created');
  });

  it('answers 400 validation_failed naming the first missing personal field, attaching nothing', async () => {
    const { id } = await createCustomer(sim, token, { date_of_birth: undefined, country: undefined });
    const back = await uploadFile(sim, token, id, 'id_document_back');
    const front = await uploadFile(sim, token, id);
    const attach = await api(sim, token).post(`/v1/customers/${id}/files/attach`, { id_file: front, id_file_back: back });
    expect(attach.status).toBe(400);
    expect(attach.json.error).toMatchObject({ code: 'validation_failed', param: 'date_of_birth' });
    expect(sim.getCustomer(id)?.files).toEqual({ id_file: null, id_file_back: null, proof_of_address_file: null, liveness_check_file: null });

    await api(sim, token).patch(`/v1/customers/${id}`, { date_of_birth: FULL_DETAILS.date_of_birth });
    const stillMissing = await api(sim, token).post(`/v1/customers/${id}/files/attach`, { id_file: front });
    expect(stillMissing.json.error.param).toBe('country');
    await api(sim, token).patch(`/v1/customers/${id}`, { country: 'GB' });
    expect((await api(sim, token).post(`/v1/customers/${id}/files/attach`, { id_file: front })).status).toBe(200);
  });

  it('answers 409 verification_in_progress while pending and customer_rejected once rejected', async () => {
    const customer = await submittedCustomer(sim, token);
    const again = await api(sim, token).post(`/v1/customers/${customer.id}/files/attach`, { id_file: customer.fileId });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('verification_in_progress');

    sim.setOutcome(customer.id, { status: 'rejected' });
    await sim.completeReviews();
    const rejected = await api(sim, token).post(`/v1/customers/${customer.id}/files/attach`, { id_file: customer.fileId });
    expect(rejected.status).toBe(409);
    expect(rejected.json.error.code).toBe('customer_rejected');
  });

  it('answers /kyc with 400 missing_required_files before id_file, then records kyc_submitted_at', async () => {
    const { id } = await createCustomer(sim, token);
    const early = await api(sim, token).post(`/v1/customers/${id}/kyc`);
    expect(early.status).toBe(400);
    expect(early.json.error.code).toBe('missing_required_files');

    const fileId = await uploadFile(sim, token, id);
    await api(sim, token).post(`/v1/customers/${id}/files/attach`, { id_file: fileId });
    await sim.clock.advance(5_000);
    const ack = await api(sim, token).post(`/v1/customers/${id}/kyc`, {});
    expect(ack.status).toBe(200);
    expect(ack.json).toMatchObject({ object: 'customer', id, status: 'pending', kyc_submitted_at: new Date(Math.floor(sim.clock.nowMs() / 1000) * 1000).toISOString().replace('.000', '') });
  });

  it.each([
    ['disabled', 404],
    ['method-not-allowed', 405],
  ] as const)("answers /kyc %s with %i when the deployment has the optional acknowledgement off (no violation: it is documented)", async (setting, status) => {
    const { id } = await submittedCustomer(sim, token);
    sim.kycAcknowledgement = setting;
    const ack = await api(sim, token).post(`/v1/customers/${id}/kyc`, {});
    expect(ack.status).toBe(status);
    expect(sim.getCustomer(id)?.kycSubmittedAt).toBeNull();
    expect(sim.contractViolations()).toEqual([]);
    sim.kycAcknowledgement = 'enabled';
    expect((await api(sim, token).post(`/v1/customers/${id}/kyc`, {})).status).toBe(200);
  });

  it('answers 400 kyb_required on every file endpoint for business customers', async () => {
    const { id } = await createCustomer(sim, token, { type: 'business' });
    const endpoints = [
      api(sim, token).post(`/v1/customers/${id}/files`, { file_category: 'id_document', filename: 'a.pdf', content_type: 'application/pdf' }),
      api(sim, token).post(`/v1/customers/${id}/files/attach`, {}),
      api(sim, token).post(`/v1/customers/${id}/kyc`, {}),
    ];
    for (const response of await Promise.all(endpoints)) {
      expect(response.status).toBe(400);
      expect(response.json.error).toMatchObject({ type: 'invalid_request_error', code: 'kyb_required' });
    }
  });
});

describe('reviews by the simulator clock', () => {
  it('verifies after reviewDelayMs by default and sends a signed current-shape webhook', async () => {
    const customer = await submittedCustomer(sim, token);
    await sim.clock.advance(59_999);
    expect((await api(sim, token).get(`/v1/customers/${customer.id}`)).json.status).toBe('pending');
    await sim.clock.advance(1);
    // advance() resolves after the webhook was delivered.
    const [webhook] = receiver.received();
    expect(webhook?.json).toEqual({
      id: expect.stringMatching(/^evt_/),
      event: 'customer.status_changed',
      created_at: expect.any(String),
      data: {
        object: 'customer',
        id: customer.id,
        customer_reference: customer.reference,
        status: 'verified',
        previous_status: 'pending',
        verified_at: expect.any(String),
      },
    });
    expect(signatureMatches(webhook?.headers['technest-signature'], webhook?.rawBody ?? '', 'whsec_test')).toBe(true);
    expect(signatureTimestamp(webhook?.headers['technest-signature'])).toBe(Math.floor(sim.clock.nowMs() / 1000));
    expect(sim.webhooks.deliveries()[0]).toMatchObject({ state: 'delivered', status: 200, attempts: 1 });
    expect((await api(sim, token).get(`/v1/customers/${customer.id}`)).json).toMatchObject({ status: 'verified', verified_at: bodyOf(webhook).data.verified_at });
  });

  it('applies a scripted rejection with its free-text reason after afterMs', async () => {
    const reference = uniqueReference();
    sim.setOutcome(reference, { status: 'rejected', reason: 'Document expired', afterMs: 2 * 3600_000 });
    const customer = await submittedCustomer(sim, token, { customer_reference: reference });
    await sim.clock.advance(3600_000);
    expect(receiver.received()).toHaveLength(0);
    await sim.completeReviews();
    expect(bodyOf(receiver.received()[0]).data).toMatchObject({ status: 'rejected', rejected_at: expect.any(String), rejection_reason: 'Document expired' });
    // Two simulated hours later the first token has expired: fetch a new one like a client would.
    const fresh = await getToken(sim);
    expect((await api(sim, fresh).get(`/v1/customers/${customer.id}`)).json).toMatchObject({ status: 'rejected', rejection_reason: 'Document expired' });
  });

  it('applies several reviews each at its own due time, the later one after the earlier one is done', async () => {
    const early = uniqueReference();
    const late = uniqueReference();
    sim.setOutcome(early, { status: 'verified', afterMs: 1000 });
    sim.setOutcome(late, { status: 'rejected', afterMs: 5000 });
    const first = await submittedCustomer(sim, token, { customer_reference: early });
    const second = await submittedCustomer(sim, token, { customer_reference: late });
    await sim.clock.advance(2000);
    expect([sim.getCustomer(first.id)?.status, sim.getCustomer(second.id)?.status]).toEqual(['verified', 'pending']);
    expect((await api(sim, token).get(`/v1/customers/${second.id}`)).json.status).toBe('pending');
    await sim.clock.advance(4000);
    expect(sim.getCustomer(second.id)?.status).toBe('rejected');
  });

  it('refreshes status on read when a review became due without a clock move', async () => {
    const customer = await submittedCustomer(sim, token);
    sim.setOutcome(customer.id, { status: 'verified', afterMs: Infinity });
    await sim.clock.advance(3 * 3600_000);
    expect(sim.getCustomer(customer.id)?.status).toBe('pending');
    // The review is now overdue by the clock, but no clock listener ran since.
    sim.setOutcome(customer.id, { status: 'verified', afterMs: 1000 });
    expect(sim.getCustomer(customer.id)?.status).toBe('pending');
    expect((await api(sim, await getToken(sim)).get(`/v1/customers/${customer.id}`)).json.status).toBe('verified');
    await sim.webhooks.settled();
    expect(receiver.received()).toHaveLength(1);
  });
});

describe('webhook shapes, controls and signatures', () => {
  it('emits the dotted shape with the full customer object', async () => {
    sim.webhookShape = 'dotted';
    const customer = await submittedCustomer(sim, token);
    await sim.completeReviews();
    expect(receiver.received()[0]?.json).toMatchObject({
      id: expect.stringMatching(/^evt_/),
      event: 'customer.verified',
      created_at: expect.any(String),
      data: { object: 'customer', id: customer.id, status: 'verified', files: { id_file: customer.fileId } },
    });
  });

  it('emits the legacy shape without id or created_at, with rejected_at and rejection_reason', async () => {
    sim.webhookShape = 'legacy';
    const customer = await submittedCustomer(sim, token);
    sim.setOutcome(customer.id, { status: 'rejected', reason: 'ID document unreadable' });
    await sim.completeReviews();
    expect(receiver.received()[0]?.json).toEqual({
      event: 'customer_rejected',
      data: {
        object: 'customer',
        id: customer.id,
        customer_reference: customer.reference,
        status: 'rejected',
        rejected_at: expect.any(String),
        rejection_reason: 'ID document unreadable',
      },
    });
  });

  it("rotates shapes per status change with 'rotating' and sends all three with 'all'", async () => {
    sim.webhookShape = 'rotating';
    for (let index = 0; index < 3; index++) await submittedCustomer(sim, token);
    await sim.completeReviews();
    expect(receiver.received().map((webhook) => bodyOf(webhook).event)).toEqual([
      'customer.status_changed',
      'customer.verified',
      'customer_verified',
    ]);

    receiver.clear();
    sim.webhookShape = 'all';
    await submittedCustomer(sim, token);
    await sim.completeReviews();
    expect(receiver.received().map((webhook) => bodyOf(webhook).event)).toEqual([
      'customer.status_changed',
      'customer.verified',
      'customer_verified',
    ]);
  });

  it('emitWebhook sends a chosen shape for the current state; legacy repeats are byte-identical', async () => {
    const customer = await submittedCustomer(sim, token);
    await sim.completeReviews();
    receiver.clear();
    await sim.emitWebhook(customer.id, { shape: 'legacy' });
    await sim.emitWebhook(customer.id, { shape: 'legacy' });
    await sim.emitWebhook(customer.id, { shape: 'dotted' });
    const [first, second, dotted] = receiver.received();
    expect(first?.rawBody).toBe(second?.rawBody);
    expect(first?.json).toMatchObject({ event: 'customer_verified', data: { verified_at: expect.any(String) } });
    expect(dotted?.json).toMatchObject({ event: 'customer.verified' });
    await expect(sim.emitWebhook(customer.id, { shape: 'current' })).resolves.toMatchObject({ state: 'delivered' });
  });

  it('holds deliveries and releases them reversed, duplicated, and optionally re-signed', async () => {
    sim.webhooks.hold();
    const a = await submittedCustomer(sim, token);
    await sim.clock.advance(1_000);
    const b = await submittedCustomer(sim, token);
    await sim.completeReviews();
    expect(receiver.received()).toHaveLength(0);
    expect(sim.webhooks.queued()).toHaveLength(2);
    const emittedAt = signatureTimestamp(sim.webhooks.queued()[0]?.headers['Technest-Signature']);

    await sim.clock.advance(600_000);
    await sim.webhooks.release({ order: 'reverse', duplicate: 2 });
    const ids = receiver.received().map((webhook) => bodyOf(webhook).data.id);
    expect(ids).toEqual([b.id, b.id, a.id, a.id]);
    // Not re-signed: the signature still carries the (now stale) emission time.
    expect(signatureTimestamp(receiver.received()[0]?.headers['technest-signature'])).toBe(emittedAt);

    receiver.clear();
    sim.webhooks.hold();
    await sim.emitWebhook(a.id);
    await sim.clock.advance(600_000);
    await sim.webhooks.release({ resign: true });
    expect(signatureTimestamp(receiver.received()[0]?.headers['technest-signature'])).toBe(Math.floor(sim.clock.nowMs() / 1000));
  });

  it('queues without a target and delivers again on demand', async () => {
    sim.setWebhookTarget(undefined);
    const customer = await submittedCustomer(sim, token);
    await sim.completeReviews();
    expect(sim.webhooks.queued()).toHaveLength(1);
    sim.setWebhookTarget(receiver.url);
    const [released] = await sim.webhooks.release();
    expect(released).toMatchObject({ state: 'delivered', attempts: 1 });
    await sim.webhooks.deliverAgain(released?.id ?? '', { times: 2 });
    expect(receiver.received()).toHaveLength(3);
    expect(new Set(receiver.received().map((webhook) => webhook.rawBody)).size).toBe(1);
    expect(sim.webhooks.deliveries()[0]?.attempts).toBe(3);
    expect(bodyOf(receiver.received()[0]).data.id).toBe(customer.id);
  });

  it('records the status of a failed delivery without throwing', async () => {
    receiver.respondWith(500);
    await submittedCustomer(sim, token);
    await sim.completeReviews();
    expect(sim.webhooks.deliveries()[0]).toMatchObject({ state: 'failed', status: 500, attempts: 1 });
  });

  it('signs with every secret during rotation (several v1= entries)', async () => {
    sim.rotateWebhookSecret('whsec_new');
    expect(sim.webhookSecrets).toEqual(['whsec_test', 'whsec_new']);
    expect(sim.webhookSecret).toBe('whsec_new');
    const customer = await submittedCustomer(sim, token);
    await sim.completeReviews();
    const webhook = receiver.received()[0];
    const header = webhook?.headers['technest-signature'] ?? '';
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(signatureMatches(header, webhook?.rawBody ?? '', 'whsec_test')).toBe(true);
    expect(signatureMatches(header, webhook?.rawBody ?? '', 'whsec_new')).toBe(true);
    expect(signatureMatches(header, webhook?.rawBody ?? '', 'whsec_other')).toBe(false);

    sim.setWebhookSecrets(['whsec_new']);
    await sim.emitWebhook(customer.id);
    expect(receiver.received()[1]?.headers['technest-signature']?.match(/v1=/g)).toHaveLength(1);
  });

  it("signs with wall-clock time when webhookTimestamps is 'wall'", async () => {
    await sim.close();
    sim = await createTechnestSimulator({ webhookSecret: 'whsec_test', webhookTimestamps: 'wall', webhookTarget: receiver.url });
    token = sim.issueAccessToken();
    await submittedCustomer(sim, token);
    await sim.clock.advance(6 * 3600_000);
    const header = receiver.received()[0]?.headers['technest-signature'];
    expect(Math.abs(signatureTimestamp(header) - Date.now() / 1000)).toBeLessThan(5);
    expect(signatureMatches(header, receiver.received()[0]?.rawBody ?? '', 'whsec_test')).toBe(true);
  });

  it('signTechnestWebhook matches the documented HMAC construction', async () => {
    const { createHmac } = await import('node:crypto');
    const raw = '{"event":"customer_verified","data":{}}';
    const expected = createHmac('sha256', 'secret').update(`1700000000.${raw}`).digest('hex');
    expect(signTechnestWebhook('secret', raw, 1700000000)).toBe(`t=1700000000,v1=${expected}`);
    expect(signTechnestWebhook(['a', 'b'], Buffer.from(raw), 1700000000).split(',')).toHaveLength(3);
  });
});

describe('faults and the request log', () => {
  it('injects a 429 rate_limited with Retry-After, consumed after `times` requests', async () => {
    const fault = sim.injectRateLimit({ path: '/v1/customers', method: 'GET', retryAfterSeconds: 7, times: 2 });
    for (let index = 0; index < 2; index++) {
      const limited = await api(sim, token).get('/v1/customers');
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBe('7');
      expect(limited.json.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited' });
    }
    expect(fault.remaining).toBe(0);
    expect((await api(sim, token).get('/v1/customers')).status).toBe(200);
  });

  it('injects server errors on a :param path', async () => {
    sim.injectServerError({ path: '/v1/customers/:id', code: 'upstream_unavailable' });
    const response = await api(sim, token).get('/v1/customers/ckcust_x');
    expect(response.status).toBe(503);
    expect(response.json.error).toMatchObject({ type: 'api_error', code: 'upstream_unavailable' });
  });

  it('resets the connection', async () => {
    sim.injectFault({ path: '/v1/customers', reset: true });
    await expect(api(sim, token).get('/v1/customers')).rejects.toThrow();
    expect((await api(sim, token).get('/v1/customers')).status).toBe(200);
  });

  it('adds latency, then runs the normal handler', async () => {
    sim.injectFault({ path: /^\/v1\/customers$/, latencyMs: 150 });
    const started = performance.now();
    const response = await api(sim, token).get('/v1/customers');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(response.status).toBe(200);
  });

  it('loses the answer to a create after processing: the repeat gets 409 naming the record it made', async () => {
    sim.injectFault({ method: 'POST', path: '/v1/customers', reset: true, afterProcessing: true });
    const reference = uniqueReference('lost');
    await expect(createCustomer(sim, token, { customer_reference: reference })).rejects.toThrow();
    const made = sim.findCustomerByReference(reference);
    expect(made?.status).toBe('created');
    const repeat = await createCustomer(sim, token, { customer_reference: reference });
    expect(repeat.response.status).toBe(409);
    expect(repeat.response.json.error).toMatchObject({ code: 'customer_reference_taken', existing_customer_id: made!.id });
    expect(sim.listCustomers()).toHaveLength(1);
  });

  it('faults the storage host too (server-scoped)', async () => {
    const { id } = await createCustomer(sim, token);
    sim.injectFault({ server: 'storage', path: /^\/uploads\//, status: 503, body: '<Error><Code>SlowDown</Code></Error>' });
    await expect(uploadFile(sim, token, id)).rejects.toThrow(/503/);
    await expect(uploadFile(sim, token, id)).resolves.toMatch(/^file_/);
  });

  it('records requests from both hosts, tagged, with lower-case headers and parsed JSON', async () => {
    sim.clearRequests();
    const { id } = await createCustomer(sim, token);
    await uploadFile(sim, token, id);
    const requests = sim.requests();
    expect(requests.map((request) => `${request.server} ${request.method} ${request.path.replace(/(ckcust|file)_\w+/g, '$1_*')}`)).toEqual([
      'api POST /v1/customers',
      'api POST /v1/customers/ckcust_*/files',
      'storage PUT /uploads/file_*',
    ]);
    expect(requests[0]?.headers.authorization).toBe(`Bearer ${token}`);
    expect(requests[0]?.json).toMatchObject({ first_name: 'Jane' });
    expect(requests[2]?.json).toBeUndefined();
    expect(requests[2]?.body.length).toBe(sampleDocument('passport').content.length);
    expect(requests[2]?.query['X-Tn-Signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(sim.findRequest((request) => request.server === 'storage')?.headers['content-type']).toBe('image/jpeg');
  });
});

describe('required headers', () => {
  it('records which header a refused request got wrong (never its value); an expired token is not a mismatch', async () => {
    const { id } = await createCustomer(sim, token);
    sim.clearRequests();
    await call(`${sim.url}/oauth/token`, 'POST', { json: { grant_type: 'client_credentials', client_id: sim.clientId, client_secret: sim.clientSecret } });
    await api(sim, 'tn_at_guessed').get(`/v1/customers/${id}`);
    await call(`${sim.url}/v1/customers/${id}`, 'GET');
    const intent = await api(sim, token).post(`/v1/customers/${id}/files`, { file_category: 'id_document', filename: 'p.jpg', content_type: 'image/jpeg' });
    const bytes = sampleDocument('passport').content;
    await call(intent.json.upload_url, 'PUT', { body: bytes, headers: { 'Content-Type': 'application/octet-stream' } });
    await call(intent.json.upload_url, 'PUT', { body: bytes, headers: intent.json.required_headers, token });
    sim.expireTokens();
    expect((await api(sim, token).get(`/v1/customers/${id}`)).status).toBe(401);

    const customerPath = `/v1/customers/${id}`;
    const uploadPath = new URL(intent.json.upload_url).pathname;
    expect(sim.headerMismatches()).toEqual([
      { server: 'api', method: 'POST', path: '/oauth/token', header: 'content-type', reason: expect.stringContaining('x-www-form-urlencoded') },
      { server: 'api', method: 'GET', path: customerPath, header: 'authorization', reason: expect.stringContaining('Bearer') },
      { server: 'api', method: 'GET', path: customerPath, header: 'authorization', reason: expect.stringContaining('Bearer') },
      { server: 'storage', method: 'PUT', path: uploadPath, header: 'content-type', reason: expect.stringContaining('required_headers') },
      { server: 'storage', method: 'PUT', path: uploadPath, header: 'authorization', reason: expect.stringContaining('only credential') },
    ]);
    expect(JSON.stringify(sim.headerMismatches())).not.toContain('tn_at_');
  });
});

describe('exactly the contract (technest.md)', () => {
  it('a whole submission through documented calls records no violation', async () => {
    const { id } = await submittedCustomer(sim, token);
    await api(sim, token).post(`/v1/customers/${id}/kyc`, {});
    await api(sim, token).get(`/v1/customers?customer_reference=x`);
    expect(sim.contractViolations()).toEqual([]);
  });

  it('answers other paths and methods on either host with 404 / S3 errors and records each', async () => {
    const { id } = await createCustomer(sim, token);
    expect((await call(`${sim.url}/v1/customers/${id}`, 'DELETE', { token })).status).toBe(404);
    expect((await api(sim, token).get(`/v1/customers/${id}/files`)).status).toBe(404);
    expect((await api(sim, token).get(`/v1/customers/${id}/documents`)).status).toBe(404);
    expect((await call(`${sim.storageUrl}/uploads/file_1`, 'GET')).status).toBe(403);
    expect((await call(`${sim.storageUrl}/uploads/file_1`, 'OPTIONS')).status).toBe(403);
    expect(sim.contractViolations().map(({ server, route, reason }) => ({ server, route, reason }))).toEqual([
      { server: 'api', route: 'DELETE /v1/customers/{id}', reason: 'the contract documents only GET, PATCH on this path' },
      { server: 'api', route: 'GET /v1/customers/{id}/files', reason: 'the contract documents only POST on this path' },
      { server: 'api', route: 'GET /v1/customers/{id}/documents', reason: 'the contract documents no such path' },
      { server: 'storage', route: 'GET /uploads/{fileId}', reason: 'the contract documents only PUT on this path' },
      { server: 'storage', route: 'OPTIONS /uploads/{fileId}', reason: 'the contract documents only PUT on this path' },
    ]);
  });
});
