import { describeConformance, technestConformance } from '@openkyc/testkit';
import { technestKeepingDigits } from './privacy-adapters.js';

describeConformance({
  name: 'broken technest (a sanitizer that keeps digits)',
  simulator: () => technestConformance(),
  provider: (sim, options) => technestKeepingDigits(sim, options),
});
