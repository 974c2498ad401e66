import { createServer } from 'node:http';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExpressApp, rawWebhookBody, webhookRoute } from '../../webhooks/express.js';
import { answerWebhook } from '../../webhooks/webhook-answer.js';
import { listen, startWebhookHarness, type RunningEndpoint, type StartEndpoint, type WebhookHarness } from './support/harness.js';
import { describeWebhookEndpoint, dispatchInstead, heldTechnestDelivery, prettyPrinted, refusalReasons } from './support/scenarios.js';

const startExpress: StartEndpoint = async (kyc, onError) => listen(createServer(createExpressApp(kyc, { onError })));

describeWebhookEndpoint('express', startExpress);

describe('express: why the webhook route gets express.raw()', () => {
  let h: WebhookHarness;
  let wrong: RunningEndpoint | undefined;
  beforeEach(async () => {
    h = await startWebhookHarness(startExpress);
  });
  afterEach(async () => {
    await wrong?.close();
    wrong = undefined;
    await h.close();
  });

  it('the trap: express.json() on the webhook route + JSON.stringify(req.body) fails verification (401); the example accepts the same delivery', async () => {
    // The classic handler: parse JSON, hand the object back as a string.
    const trap = express();
    trap.post('/webhooks/:provider', express.json(), async (req, res) => {
      const answer = await answerWebhook(h.kyc, String(req.params.provider), { headers: req.headers, body: JSON.stringify(req.body) }, (error, context) =>
        h.refused.push({ error, ...context }),
      );
      res.status(answer.status).json(answer.body);
    });
    wrong = await listen(createServer(trap));

    const customer = await h.pendingTechnestCustomer();
    const { payload } = await heldTechnestDelivery(h);
    // Why this bug survives a naive test: the simulator's compact JSON happens to round-trip byte for byte.
    expect(JSON.stringify(JSON.parse(payload))).toBe(payload);
    // Providers promise a signature over their bytes, not a formatting: the same event, pretty-printed, does not.
    const pretty = prettyPrinted(payload);
    expect(JSON.stringify(JSON.parse(pretty))).not.toBe(pretty);

    h.technest.setWebhookTarget(`${wrong.url}/webhooks/technest`);
    const delivery = await dispatchInstead(h, pretty);
    expect(delivery.status).toBe(401);
    expect(refusalReasons(h)).toEqual(['signature_mismatch']);
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('pending');

    // The same signed delivery, redelivered to the example (express.raw on the route) → 200.
    h.technest.setWebhookTarget(h.technestWebhookUrl);
    expect((await h.technest.webhooks.deliverAgain(delivery.id)).status).toBe(200);
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('verified');
    expect(h.eventsOf(customer.id, 'customer.verified')).toHaveLength(1);
  });

  it('order matters: a global express.json() registered before the route leaves express.raw() nothing to read → 500, so the provider retries after the fix', async () => {
    const misordered = express();
    misordered.use(express.json());
    misordered.post('/webhooks/:provider', rawWebhookBody(), webhookRoute(h.kyc, { onError: (error, context) => h.refused.push({ error, ...context }) }));
    wrong = await listen(createServer(misordered));

    const customer = await h.pendingTechnestCustomer();
    const held = await heldTechnestDelivery(h);
    h.technest.setWebhookTarget(`${wrong.url}/webhooks/technest`);
    await h.technest.webhooks.release();
    expect(h.technest.webhooks.deliveries()[0]?.status).toBe(500);
    expect(h.refused.map((refusal) => [refusal.status, String(refusal.error)])).toEqual([[500, expect.stringMatching(/before express\.json\(\)/)]]);
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('pending');

    h.technest.setWebhookTarget(h.technestWebhookUrl);
    expect((await h.technest.webhooks.deliverAgain(held.id)).status).toBe(200);
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('verified');
  });

  it('the rest of the app still gets express.json(): POST /api/customers', async () => {
    const created = await fetch(`${h.endpoint.url}/api/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reference: 'user-json', type: 'individual', email: 'jane@example.com', firstName: 'Jane', lastName: 'Smith' }),
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string; status: string };
    expect(body.status).toBe('created');
    expect((await h.kyc.findCustomerByReference('user-json'))?.id).toBe(body.id);

    const invalid = await fetch(`${h.endpoint.url}/api/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reference: 'user-bad', type: 'individual', email: 'not-an-email', firstName: 'Jane', lastName: 'Smith' }),
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).not.toContain('not-an-email');
  });
});
