import { clientsCommandConformance, describeConformance } from '@openkyc/testkit';
import { clientsCommandAlwaysRetryable } from './rejection-adapters.js';

describeConformance({
  name: 'broken clients-command (every rejection marked retryable)',
  simulator: () => clientsCommandConformance(),
  provider: (sim, options) => clientsCommandAlwaysRetryable(sim, options),
});
