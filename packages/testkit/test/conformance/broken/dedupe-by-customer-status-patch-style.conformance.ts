import { describeConformance, patchStyleConformance } from '@openkyc/testkit';
import { dedupeBrokenPatchStyle } from './dedupe-adapters.js';

describeConformance({
  name: 'broken patch-style (dedupe-by-customer-status)',
  simulator: () => patchStyleConformance(),
  provider: (sim, options) => dedupeBrokenPatchStyle('dedupe-by-customer-status', sim, options),
});
