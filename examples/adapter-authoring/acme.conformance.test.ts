// #region test
import { memoryStore } from '@openkyc/core';
import { describeConformance, describeStoreConformance } from '@openkyc/testkit';
import { acme } from './acme-adapter.js';
import { acmeConformance } from './acme-conformance.js';

// The shared adapter suite: every scenario against a fresh Acme simulator.
describeConformance({
  name: 'acme',
  simulator: () => acmeConformance(),
  provider: (sim, options) => acme({ baseUrl: sim.url, apiKey: sim.apiKey, webhookSecret: sim.webhookSecret, ...options }),
});

// The store suite: a durable CustomerStore runs the same lines with its own factory.
describeStoreConformance('memoryStore', () => memoryStore());
// #endregion test
