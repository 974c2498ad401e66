import { describeConformance, patchStyleConformance } from '@openkyc/testkit';
import { dedupeBrokenPatchStyle } from './dedupe-adapters.js';

describeConformance({
  name: 'broken patch-style (dedupe-per-delivery)',
  simulator: () => patchStyleConformance(),
  provider: (sim, options) => dedupeBrokenPatchStyle('dedupe-per-delivery', sim, options),
});
