import { describeConformance, patchStyleConformance } from '@openkyc/testkit';
import { patchStyleGuessingRetryable } from './rejection-adapters.js';

describeConformance({
  name: 'broken patch-style (a rejection without its reason guessed retryable)',
  simulator: () => patchStyleConformance(),
  provider: (sim, options) => patchStyleGuessingRetryable(sim, options),
});
