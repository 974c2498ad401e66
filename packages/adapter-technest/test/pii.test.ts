import { technestErrorBody } from '@openkyc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CANARY,
  CLIENT_SECRET,
  WEBHOOK_SECRET,
  errorTexts,
  fullApplication,
  newCustomer,
  rejectionOf,
  startHarness,
  type Harness,
} from './support/harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

describe('no personal data or secrets in errors and logs', () => {
  it('across a full flow and every failure path', async () => {
    const errors: unknown[] = [];
    const attempt = async (work: Promise<unknown>) => {
      try {
        await work;
      } catch (error) {
        errors.push(error);
      }
    };

    const customer = await h.kyc.createCustomer(newCustomer());

    // Technest echoes the date of birth in its own messages: it must not reach ours.
    h.sim.injectFault({
      server: 'api',
      method: 'PATCH',
      path: '/v1/customers/:id',
      status: 400,
      body: technestErrorBody('validation_failed', `date_of_birth ${CANARY.dateOfBirth} is not plausible for ${CANARY.documentNumber}`, {
        param: 'date_of_birth',
      }),
    });
    await attempt(h.kyc.submit(customer.id, fullApplication()));
    h.sim.injectFault({
      server: 'api',
      method: 'POST',
      path: '/v1/customers/:id/files/attach',
      status: 409,
      body: technestErrorBody('verification_in_progress', `locked; dob ${CANARY.dateOfBirth}`),
    });
    h.sim.injectFault({
      server: 'api',
      method: 'POST',
      path: '/v1/customers/:id/kyc',
      status: 400,
      body: technestErrorBody('missing_required_files', `id_file missing for ${CANARY.documentNumber}`),
    });
    await attempt(h.kyc.submit(customer.id, fullApplication()));
    h.sim.injectFault({ server: 'storage', method: 'PUT', path: /^\/uploads\//, status: 400, body: '<Error><Code>EntityTooLarge</Code></Error>' });
    await attempt(h.kyc.submit(customer.id, fullApplication()));
    h.sim.injectServerError({ method: 'GET', path: '/v1/customers/:id', times: 3 });
    await attempt(h.kyc.submit(customer.id, fullApplication()));
    h.sim.expireTokens();
    h.sim.injectFault({ server: 'api', method: 'GET', path: '/v1/customers/:id', status: 401, body: technestErrorBody('token_expired', 'expired'), times: 2 });
    await attempt(h.kyc.refresh(customer.id));
    await attempt(h.kyc.handleWebhook('technest', { headers: { 'technest-signature': `t=1,v1=${'0'.repeat(64)}` }, body: '{}' }));

    // The successful path, rejected with a raw reason that names the document.
    h.sim.setOutcome(customer.providerCustomerId, { status: 'rejected', reason: `Document ${CANARY.documentNumber} expired` });
    await h.kyc.submit(customer.id, fullApplication());
    await h.sim.completeReviews();
    await h.deliverWebhooks();
    const rejected = await h.kyc.getCustomer(customer.id);
    expect(rejected.rejection?.message).not.toContain(CANARY.documentNumber);
    // Operators get the provider's wording, but not the value it quoted: the reason travels in events and logs.
    expect(rejected.rejection?.providerReason).toBe('Document [redacted] expired');

    expect(errors.length).toBeGreaterThanOrEqual(6);
    const texts = errors.flatMap(errorTexts);
    const logs = h.logs.map((line) => JSON.stringify(line));
    expect(logs.length).toBeGreaterThan(20);
    const token = h.requests({ server: 'api', method: 'GET' }).at(-1)?.headers.authorization?.replace('Bearer ', '');
    expect(token).toMatch(/^tn_at_/);
    for (const text of [...texts, ...logs]) {
      expect(text).not.toContain(CANARY.dateOfBirth);
      expect(text).not.toContain(CANARY.documentNumber);
      expect(text).not.toContain(CANARY.nationalId);
      expect(text).not.toContain(CLIENT_SECRET);
      expect(text).not.toContain(WEBHOOK_SECRET);
      expect(text).not.toContain(token!);
      expect(text).not.toMatch(/X-Tn-Signature=/);
    }
    // Events carry no application data either.
    expect(JSON.stringify(h.events)).not.toMatch(new RegExp(`${CANARY.dateOfBirth}|${CANARY.nationalId}`));
  });

  it('the ValidationError for a refused document does not echo the document number', async () => {
    const customer = await h.kyc.createCustomer(newCustomer());
    const app = fullApplication();
    const error = await rejectionOf(
      h.kyc.submit(customer.id, { ...app, documents: [{ ...app.documents[0]!, type: 'national_id', number: CANARY.documentNumber }] }),
    );
    for (const text of errorTexts(error)) expect(text).not.toContain(CANARY.documentNumber);
  });
});
