import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fullApplication, newCustomer, startHarness, type Harness } from './support/fixtures.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const CODES = {
  address: 'error.msg.client.verify.primary.address.missing',
  identifier: 'error.msg.client.verify.identifier.missing',
  full: 'error.msg.client.verify.full.identity.document.missing',
  email: 'error.msg.client.verify.email.unverified',
  mobile: 'error.msg.client.verify.mobile.unverified',
};

describe('verify rules → needs_info, one requirement per violated rule', () => {
  it('email unverified → contact_verification email', async () => {
    const customer = await newCustomer(h);
    const after = await h.kyc.submit(customer.id, fullApplication({ contactVerified: { email: false, phone: true } }));
    expect(after.status).toBe('needs_info');
    expect(after.requirements).toEqual([{ kind: 'contact_verification', name: 'email', message: expect.any(String), providerCode: CODES.email }]);
  });

  it('mobile unverified → contact_verification phone', async () => {
    const customer = await newCustomer(h);
    const after = await h.kyc.submit(customer.id, fullApplication({ contactVerified: { email: true, phone: false } }));
    expect(after.requirements).toEqual([{ kind: 'contact_verification', name: 'phone', message: expect.any(String), providerCode: CODES.mobile }]);
  });

  it('without contactVerified nothing is attested: both contact checks are asked for', async () => {
    const customer = await newCustomer(h);
    const { contactVerified: _omitted, ...application } = fullApplication();
    const after = await h.kyc.submit(customer.id, application);
    expect(after.status).toBe('needs_info');
    expect(after.requirements.map((requirement) => [requirement.kind, requirement.name])).toEqual([
      ['contact_verification', 'email'],
      ['contact_verification', 'phone'],
    ]);
    const put = h.sim.requests().find((request) => request.method === 'PUT')!;
    expect(put.json).not.toHaveProperty('emailVerified');
    expect(put.json).not.toHaveProperty('mobileNoVerified');
  });

  it('no identifier at all → field identifiers (and, for FULL, the identity document)', async () => {
    const customer = await newCustomer(h);
    const after = await h.kyc.submit(customer.id, fullApplication({ identifiers: [], documents: [] }));
    expect(after.requirements.map((requirement) => [requirement.kind, requirement.name, requirement.providerCode])).toEqual([
      ['field', 'identifiers', CODES.identifier],
      ['document', 'identity_document', CODES.full],
    ]);
  });

  it('primary address still missing after the adapter added it → field address (one address, no loop)', async () => {
    const customer = await newCustomer(h);
    // Verify keeps naming the address: the adapter adds one once, verifies once more, and reports it.
    const stillMissing = {
      httpStatusCode: '403',
      userMessageGlobalisationCode: 'validation.msg.domain.rule.violation',
      errors: [{ userMessageGlobalisationCode: CODES.address, parameterName: 'address' }],
    };
    h.sim.injectFault({ method: 'POST', path: /^\/v1\/clients\/\d+$/, status: 403, body: stillMissing, times: 3 });
    const after = await h.kyc.submit(customer.id, fullApplication());
    expect(after.requirements).toEqual([{ kind: 'field', name: 'address', message: expect.any(String), providerCode: CODES.address }]);
    expect(h.count('POST', /^\/v1\/clients\/\d+$/, 'verify')).toBe(2);
    expect(h.count('POST', /\/addresses$/)).toBe(1);
  });

  it('end-user messages are plain sentences, not provider codes or developer texts', async () => {
    const customer = await newCustomer(h);
    const after = await h.kyc.submit(customer.id, fullApplication({ identifiers: [], documents: [], contactVerified: { email: false, phone: false } }));
    for (const requirement of after.requirements) {
      expect(requirement.message).toMatch(/^Please /);
      expect(requirement.message).not.toMatch(/error\.msg|Client requires|verify/);
    }
  });
});

describe('several violations at once, then completed', () => {
  it('lists every rule once, then verifies after only the missing parts are sent', async () => {
    const customer = await newCustomer(h);
    const first = await h.kyc.submit(customer.id, fullApplication({ identifiers: [], documents: [], contactVerified: { email: false, phone: false } }));

    expect(first.status).toBe('needs_info');
    expect(first.requirements.map((requirement) => requirement.providerCode)).toEqual([CODES.identifier, CODES.full, CODES.email, CODES.mobile]);
    expect(new Set(first.requirements.map((requirement) => `${requirement.kind}:${requirement.name}`)).size).toBe(4);
    expect(h.events.map((event) => event.type)).toEqual(['customer.created', 'customer.needs_info']);
    expect(h.events.at(-1)).toMatchObject({ type: 'customer.needs_info', requirements: first.requirements });

    const second = await h.kyc.submit(customer.id, fullApplication());
    expect(second.status).toBe('verified');
    expect(second.requirements).toEqual([]);
    expect(h.events.map((event) => event.type)).toEqual([
      'customer.created',
      'customer.needs_info',
      'customer.submitted',
      'customer.verified',
    ]);

    // Each part went once: the address was not sent again; the changed attestation was.
    expect(h.count('POST', /^\/v1\/clients\/\d+\/addresses$/)).toBe(1);
    expect(h.count('PUT', /^\/v1\/clients\/\d+$/)).toBe(2);
    expect(h.count('POST', /^\/v1\/clients\/\d+\/identifiers$/)).toBe(2);
    expect(h.count('POST', /\/documents$/)).toBe(1);
    // The first submission verified twice: once to learn the address was missing, once after adding it.
    expect(h.count('POST', /^\/v1\/clients\/\d+$/, 'verify')).toBe(3);
  });

  it('a re-submission after contact verification sends identifiers and the address once, the files again', async () => {
    const customer = await newCustomer(h);
    const first = await h.kyc.submit(customer.id, fullApplication({ contactVerified: { email: false, phone: false } }));
    expect(first.status).toBe('needs_info');
    expect(first.requirements.map((requirement) => requirement.name)).toEqual(['email', 'phone']);

    const second = await h.kyc.submit(customer.id, fullApplication());
    expect(second.status).toBe('verified');

    expect(h.count('POST', /^\/v1\/clients\/\d+\/identifiers$/)).toBe(2);
    expect(h.count('POST', /\/addresses$/)).toBe(1);
    // The contract lists no documents, so what the first submission uploaded cannot be seen: sent again.
    expect(h.count('POST', /\/documents$/)).toBe(2);
    const client = h.sim.getClient(Number(second.providerCustomerId))!;
    expect(client.identifiers.flatMap((identifier) => identifier.documents)).toHaveLength(2);
    expect(client.addresses).toHaveLength(1);
  });

  it('an unchanged re-submission sends neither the client details, the identifiers nor the address again', async () => {
    const customer = await newCustomer(h);
    await h.kyc.submit(customer.id, fullApplication({ contactVerified: { email: true, phone: false } }));
    h.sim.clearRequests();
    const again = await h.kyc.submit(customer.id, fullApplication({ contactVerified: { email: true, phone: false } }));
    expect(again.status).toBe('needs_info');
    expect(h.calls().filter((call) => !call.startsWith('GET '))).toEqual([
      expect.stringMatching(/^POST \/v1\/clients\/\d+\/identifiers\/\d+\/documents$/),
      expect.stringMatching(/^POST \/v1\/clients\/\d+\?command=verify$/),
    ]);
  });

  it('a new photo of the same document after a refusal is uploaded; the old one is not uploaded twice', async () => {
    const customer = await newCustomer(h);
    const application = fullApplication({ contactVerified: { email: false, phone: true } });
    await h.kyc.submit(customer.id, application);
    const [original] = application.documents;
    // Same document, another photo: change one byte near the end (the JPEG markers stay valid).
    const bytes = Uint8Array.from(original!.front.content);
    bytes[bytes.length - 3] = (bytes[bytes.length - 3]! + 1) % 256;
    const newPhoto = { ...original!, front: { ...original!.front, content: bytes } };
    const after = await h.kyc.submit(customer.id, fullApplication({ documents: [newPhoto] }));
    expect(after.status).toBe('verified');
    expect(h.count('POST', /\/documents$/)).toBe(2);
  });
});
