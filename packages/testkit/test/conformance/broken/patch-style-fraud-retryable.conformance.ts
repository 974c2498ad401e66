import { describeConformance, patchStyleConformance } from '@openkyc/testkit';
import { patchStyleWithoutFraudCode } from './rejection-adapters.js';

describeConformance({
  name: 'broken patch-style (fraud rejection marked retryable)',
  simulator: () => patchStyleConformance(),
  provider: (sim, options) => patchStyleWithoutFraudCode(sim, options),
});
