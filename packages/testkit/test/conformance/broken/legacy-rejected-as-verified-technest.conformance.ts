import { describeConformance, technestConformance } from '@openkyc/testkit';
import { legacyRejectedAsVerifiedTechnest } from './status-mapping-adapters.js';

describeConformance({
  name: 'broken technest (legacy customer_rejected read as verified)',
  simulator: () => technestConformance(),
  provider: (sim, options) => legacyRejectedAsVerifiedTechnest(sim, options),
});
