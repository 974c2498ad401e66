import { describeConformance, patchStyleConformance } from '@openkyc/testkit';
import { deactivatedAsRejectedPatchStyle } from './status-mapping-adapters.js';

describeConformance({
  name: 'broken patch-style (DEACTIVATED polled as rejected)',
  simulator: () => patchStyleConformance(),
  provider: (sim, options) => deactivatedAsRejectedPatchStyle(sim, options),
});
