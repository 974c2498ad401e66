import { describeConformance, technestConformance } from '@openkyc/testkit';
import { technest } from '../src/index.js';

describeConformance({
  name: 'technest',
  simulator: () => technestConformance(),
  provider: (sim, options) =>
    technest({
      baseUrl: sim.url,
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
      webhookSecret: [...sim.webhookSecrets],
      ...options,
    }),
});
