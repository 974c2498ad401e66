import { describeConformance, technestConformance } from '@openkyc/testkit';
import { dedupeBrokenTechnest } from './dedupe-adapters.js';

describeConformance({
  name: 'broken technest (dedupe-per-delivery)',
  simulator: () => technestConformance(),
  provider: (sim, options) => dedupeBrokenTechnest('dedupe-per-delivery', sim, options),
});
