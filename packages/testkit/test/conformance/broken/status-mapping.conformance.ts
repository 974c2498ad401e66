import { describeConformance, technestConformance } from '@openkyc/testkit';
import { brokenTechnest } from './broken-adapters.js';

describeConformance({
  name: 'broken technest (status-mapping)',
  simulator: () => technestConformance(),
  provider: (sim, options) => brokenTechnest('status-mapping', sim, options),
});
