import { describeConformance, technestConformance } from '@openkyc/testkit';
import { brokenTechnest } from './broken-adapters.js';

describeConformance({
  name: 'broken technest (no-dedupe)',
  simulator: () => technestConformance(),
  provider: (sim, options) => brokenTechnest('no-dedupe', sim, options),
});
