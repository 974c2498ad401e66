import { describe, expect, it } from 'vitest';
import { createFastifyApp } from '../../webhooks/fastify.js';
import type { RunningEndpoint, StartEndpoint } from './support/harness.js';
import { describeWebhookEndpoint } from './support/scenarios.js';

const startFastify: StartEndpoint = async (kyc, onError): Promise<RunningEndpoint> => {
  const app = createFastifyApp(kyc, { onError });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
};

describeWebhookEndpoint('fastify', startFastify);

describe('fastify: the buffer parser is scoped to the webhook plugin', () => {
  it('the rest of the app still gets parsed JSON', async () => {
    const app = createFastifyApp({ handleWebhook: async () => ({ events: [], duplicate: false }) }, { onError: () => undefined });
    app.post('/echo', async (request) => ({ isBuffer: Buffer.isBuffer(request.body), body: request.body }));
    const response = await app.inject({ method: 'POST', url: '/echo', payload: { a: 1 } });
    expect(response.json()).toEqual({ isBuffer: false, body: { a: 1 } });
    await app.close();
  });
});
