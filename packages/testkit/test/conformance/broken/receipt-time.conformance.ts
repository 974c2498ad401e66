import { describeConformance, technestConformance } from '@openkyc/testkit';
import { brokenTechnest } from './broken-adapters.js';

describeConformance({
  name: 'broken technest (receipt-time)',
  simulator: () => technestConformance(),
  provider: (sim, options) => brokenTechnest('receipt-time', sim, options),
});
