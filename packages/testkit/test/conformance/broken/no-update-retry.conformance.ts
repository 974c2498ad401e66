import { describeConformance, technestConformance } from '@openkyc/testkit';
import { noUpdateRetryTechnest } from './retries-adapters.js';

describeConformance({
  name: 'broken technest (no-update-retry)',
  simulator: () => technestConformance(),
  provider: (sim, options) => noUpdateRetryTechnest(sim, options),
});
