import { describeConformance, patchStyleConformance } from '@openkyc/testkit';
import { patchStyleLoggingIdentifier } from './privacy-adapters.js';

describeConformance({
  name: 'broken patch-style (SSN formatted into a log message)',
  simulator: () => patchStyleConformance(),
  provider: (sim, options) => patchStyleLoggingIdentifier(sim, options),
});
