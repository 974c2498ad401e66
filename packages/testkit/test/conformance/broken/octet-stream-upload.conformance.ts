import { describeConformance, technestConformance } from '@openkyc/testkit';
import { octetStreamUploadTechnest } from './headers-adapters.js';

describeConformance({
  name: 'broken technest (octet-stream-upload)',
  simulator: () => technestConformance(),
  provider: (sim, options) => octetStreamUploadTechnest(sim, options),
});
