import { createNodeWebhookServer } from '../../webhooks/node-http.js';
import { listen } from './support/harness.js';
import { describeWebhookEndpoint } from './support/scenarios.js';

describeWebhookEndpoint('node:http', async (kyc, onError) => listen(createNodeWebhookServer(kyc, { onError })));
