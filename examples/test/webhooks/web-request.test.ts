import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookRoutes, createWebRequestServer } from '../../webhooks/web-request.js';
import { listen, startWebhookHarness, type StartEndpoint, type WebhookHarness } from './support/harness.js';
import { describeWebhookEndpoint, heldTechnestDelivery, TECHNEST_PATH } from './support/scenarios.js';

const startWebRequest: StartEndpoint = async (kyc, onError) => listen(createWebRequestServer(kyc, { onError }));

describeWebhookEndpoint('web-request', startWebRequest);

describe('web-request: the route handler is a plain Request → Response function', () => {
  let h: WebhookHarness;
  beforeEach(async () => {
    h = await startWebhookHarness(startWebRequest);
  });
  afterEach(async () => {
    await h.close();
  });

  it('called directly with a fetch Request (as Next.js calls `POST`) → 200 JSON receipt', async () => {
    const customer = await h.pendingTechnestCustomer();
    const delivery = await heldTechnestDelivery(h);
    const { POST } = createWebhookRoutes(h.kyc).technest;

    const response = await POST(new Request('https://platform.example/api/webhooks/technest', { method: 'POST', headers: delivery.headers, body: delivery.payload }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, events: 1, duplicate: false });
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('verified');
  });

  it('a GET → 405 with Allow: POST', async () => {
    const response = await fetch(`${h.endpoint.url}${TECHNEST_PATH}`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});
