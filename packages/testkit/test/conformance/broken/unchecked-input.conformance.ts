import { describeConformance, technestConformance } from '@openkyc/testkit';
import { brokenTechnest } from './broken-adapters.js';

describeConformance({
  name: 'broken technest (unchecked-input)',
  simulator: () => technestConformance(),
  provider: (sim, options) => brokenTechnest('unchecked-input', sim, options),
});
