import { describeConformance, patchStyleConformance } from '@openkyc/testkit';
import { keylessCreatePatchStyle } from './retries-adapters.js';

describeConformance({
  name: 'broken patch-style (keyless-create)',
  simulator: () => patchStyleConformance(),
  provider: (sim, options) => keylessCreatePatchStyle(sim, options),
});
