import { describeConformance, technestConformance } from '@openkyc/testkit';
import { brokenTechnest } from './broken-adapters.js';

describeConformance({
  name: 'broken technest (leaks-bearer)',
  simulator: () => technestConformance(),
  provider: (sim, options) => brokenTechnest('leaks-bearer', sim, options),
});
