import { describeConformance, technestConformance } from '@openkyc/testkit';
import { technestWithoutFraudRule } from './rejection-adapters.js';

describeConformance({
  name: 'broken technest (fraud rejection marked retryable)',
  simulator: () => technestConformance(),
  provider: (sim, options) => technestWithoutFraudRule(sim, options),
});
