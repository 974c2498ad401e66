import { describeConformance, technestConformance } from '@openkyc/testkit';
import { dedupeBrokenTechnest } from './dedupe-adapters.js';

describeConformance({
  name: 'broken technest (dedupe-by-customer)',
  simulator: () => technestConformance(),
  provider: (sim, options) => dedupeBrokenTechnest('dedupe-by-customer', sim, options),
});
