import { describeConformance, patchStyleConformance } from '@openkyc/testkit';
import { patchStyle } from '../src/index.js';

describeConformance({
  name: 'patch-style',
  simulator: () => patchStyleConformance(),
  provider: ({ sim, documentHost }, options) =>
    patchStyle({
      baseUrl: sim.url,
      apiKey: sim.apiKey,
      webhookSecret: sim.webhookSecrets(),
      hostDocument: documentHost.hostDocument,
      ...options,
    }),
});
