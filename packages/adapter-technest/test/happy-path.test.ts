import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fullApplication, newCustomer, startHarness, type Harness } from './support/harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

describe('happy path: created → pending → verified', () => {
  it('creates, submits every slot, and applies the verified webhook', async () => {
    const customer = await h.kyc.createCustomer(newCustomer());
    expect(customer).toMatchObject({ status: 'created', provider: 'technest', providerReference: 'user-123', rawStatus: 'created' });
    expect(customer.providerCustomerId).toMatch(/^ckcust_/);

    const submitted = await h.kyc.submit(customer.id, fullApplication());
    expect(submitted).toMatchObject({ status: 'pending', rawStatus: 'pending', submissions: 1 });

    await h.sim.completeReviews();
    const results = await h.deliverWebhooks();
    expect(results).toHaveLength(1);
    expect(results[0]?.events.map((event) => event.type)).toEqual(['customer.verified']);

    const verified = await h.kyc.getCustomer(customer.id);
    expect(verified).toMatchObject({ status: 'verified', rawStatus: 'verified' });
    expect(h.events.map((event) => [event.type, event.source])).toEqual([
      ['customer.created', 'api'],
      ['customer.submitted', 'api'],
      ['customer.verified', 'webhook'],
    ]);
    // The provider's own decision time, as ISO 8601 with an offset.
    expect(h.events[2]).toMatchObject({ occurredAt: h.sim.getCustomer(customer.providerCustomerId)?.verifiedAt?.toISOString() });
  });

  it('sends exactly what the contract asks for, in order', async () => {
    const customer = await h.kyc.createCustomer(newCustomer());
    await h.kyc.submit(customer.id, fullApplication());
    const id = customer.providerCustomerId;
    const requests = h.sim.requests();

    // The sequence: token, create, read, details, 3 × (intent, PUT) + 1 for the license back, attach, ack.
    expect(requests.map((r) => `${r.server} ${r.method} ${r.path.replace(/file_[0-9a-f]+/, 'file_*')}`)).toEqual([
      'api POST /oauth/token',
      'api POST /v1/customers',
      `api GET /v1/customers/${id}`,
      `api PATCH /v1/customers/${id}`,
      ...Array.from({ length: 4 }, () => [`api POST /v1/customers/${id}/files`, 'storage PUT /uploads/file_*']).flat(),
      `api POST /v1/customers/${id}/files/attach`,
      `api POST /v1/customers/${id}/kyc`,
    ]);

    // OAuth client credentials, form-encoded.
    const token = requests[0]!;
    expect(token.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(new URLSearchParams(token.body.toString('utf8')))).toEqual({
      grant_type: 'client_credentials',
      client_id: h.sim.clientId,
      client_secret: h.sim.clientSecret,
      scope: 'customer:write',
    });
    expect(token.headers.authorization).toBeUndefined();

    // One bearer token on every API call; none on storage.
    const api = requests.filter((r) => r.server === 'api' && r.path !== '/oauth/token');
    const bearers = new Set(api.map((r) => r.headers.authorization));
    expect(bearers.size).toBe(1);
    expect([...bearers][0]).toMatch(/^Bearer tn_at_[0-9a-f]+$/);
    const puts = requests.filter((r) => r.server === 'storage');
    expect(puts).toHaveLength(4);
    for (const put of puts) {
      expect(put.headers.authorization).toBeUndefined();
      expect(put.headers.cookie).toBeUndefined();
      expect(put.query['X-Tn-Signature']).toBeDefined();
    }
    expect(puts.map((put) => put.headers['content-type'])).toEqual(['image/jpeg', 'image/png', 'application/pdf', 'image/jpeg']);

    // Create: the basics only.
    expect(requests[1]!.json).toEqual({
      type: 'individual',
      customer_reference: 'user-123',
      email: 'jane@example.com',
      first_name: 'Jane',
      last_name: 'Smith',
    });
    // Details: residence country, nulls for what is absent.
    expect(requests[3]!.json).toEqual({
      email: 'jane@example.com',
      first_name: 'Jane',
      last_name: 'Smith',
      date_of_birth: '1987-03-14',
      phone: '+447700900123',
      country: 'GB',
      address: { line1: '1 High St', line2: null, city: 'London', state: null, postal_code: 'N1 9GU', country: 'GB' },
    });
    // Intents per slot category.
    const intents = requests.filter((r) => r.path.endsWith('/files'));
    expect(intents.map((r) => r.json)).toEqual([
      { file_category: 'id_document', filename: 'drivers_license.jpg', content_type: 'image/jpeg' },
      { file_category: 'id_document_back', filename: 'drivers_license.png', content_type: 'image/png' },
      { file_category: 'proof_of_address', filename: 'proof_of_address.pdf', content_type: 'application/pdf' },
      { file_category: 'liveness_check', filename: 'selfie.jpg', content_type: 'image/jpeg' },
    ]);

    // One attach with every slot; the bytes arrived intact.
    const attach = requests.filter((r) => r.path.endsWith('/files/attach'));
    expect(attach).toHaveLength(1);
    const slots = attach[0]!.json as Record<string, string>;
    expect(Object.keys(slots).sort()).toEqual(['id_file', 'id_file_back', 'liveness_check_file', 'proof_of_address_file']);
    const application = fullApplication();
    expect(h.sim.getFile(slots.id_file!)?.upload?.bytes.equals(Buffer.from(application.documents[0]!.front.content))).toBe(true);
    expect(h.sim.getFile(slots.id_file_back!)?.upload?.bytes.equals(Buffer.from(application.documents[0]!.back!.content))).toBe(true);

    // Acknowledged last; the record is pending with its audit timestamp.
    expect(requests.at(-1)!.path).toBe(`/v1/customers/${id}/kyc`);
    expect(h.sim.getCustomer(id)).toMatchObject({ status: 'pending', kycSubmittedAt: expect.any(Date) });
  });

  it('takes a proof of address of any kind into its one proof_of_address_file slot', async () => {
    for (const [index, kind] of (['bank_statement', 'lease_agreement'] as const).entries()) {
      const customer = await h.kyc.createCustomer(newCustomer(`user-kind-${index}`));
      const application = fullApplication();
      const documents = application.documents.map((document) =>
        document.type === 'proof_of_address' ? { ...document, proofOfAddressKind: kind } : document,
      );
      const submitted = await h.kyc.submit(customer.id, { ...application, documents });
      expect(submitted.status).toBe('pending');
      const attach = h.sim.requests().filter((r) => r.path === `/v1/customers/${submitted.providerCustomerId}/files/attach`);
      expect(Object.keys(attach[0]!.json as object)).toContain('proof_of_address_file');
    }
  });

  it('refresh reads the current status from Technest (a lost webhook is caught up)', async () => {
    const customer = await h.kyc.createCustomer(newCustomer());
    await h.kyc.submit(customer.id, fullApplication());
    await h.sim.completeReviews(); // webhooks stay queued: never delivered
    const refreshed = await h.kyc.refresh(customer.id);
    expect(refreshed).toMatchObject({ status: 'verified', rawStatus: 'verified' });
    expect(h.events.at(-1)).toMatchObject({ type: 'customer.verified', source: 'poll' });
  });

  it('reuses one token for every call until it nears expiry', async () => {
    const customer = await h.kyc.createCustomer(newCustomer());
    await h.kyc.submit(customer.id, fullApplication());
    await h.kyc.refresh(customer.id);
    expect(h.requests({ path: /^\/oauth\/token$/ })).toHaveLength(1);

    // Near the end of expires_in (3600 s), a new token is fetched before the old one fails.
    await h.sim.clock.advance(3600_000 - 30_000);
    await h.kyc.refresh(customer.id);
    expect(h.requests({ path: /^\/oauth\/token$/ })).toHaveLength(2);
    expect(h.requests({ method: 'GET' }).every((r) => r.headers.authorization?.startsWith('Bearer '))).toBe(true);
  });

  it('passes capabilities that core enforces: verified ends the flow, no activation', async () => {
    const customer = await h.kyc.createCustomer(newCustomer());
    await h.kyc.submit(customer.id, fullApplication());
    await h.sim.completeReviews();
    await h.deliverWebhooks();
    await expect(h.kyc.activate(customer.id)).rejects.toMatchObject({ code: 'invalid_state' });
    expect(h.provider.capabilities).toMatchObject({
      activation: 'none',
      needsInfo: false,
      webhooks: true,
      retryAfterRejection: 'new-customer',
      customerTypes: ['individual'],
      reviewTime: { synchronous: false, typicalMs: 600_000, escalateAfterMs: 5 * 3600_000 },
    });
  });

  it('emits review_overdue only after 5 hours pending', async () => {
    h.sim.setOutcome('user-123', { status: 'verified', afterMs: Infinity });
    const customer = await h.kyc.createCustomer(newCustomer());
    await h.kyc.submit(customer.id, fullApplication());
    await h.sim.clock.advance(4 * 3600_000);
    await h.kyc.reconcile();
    expect(h.events.some((event) => event.type === 'customer.review_overdue')).toBe(false);
    await h.sim.clock.advance(3600_000);
    await h.kyc.reconcile();
    expect(h.events.filter((event) => event.type === 'customer.review_overdue')).toHaveLength(1);
  });
});
