import { describeConformance, technestConformance } from '@openkyc/testkit';
import { brokenTechnest } from './broken-adapters.js';

describeConformance({
  name: 'broken technest (unchecked-signature)',
  simulator: () => technestConformance(),
  provider: (sim, options) => brokenTechnest('unchecked-signature', sim, options),
});
