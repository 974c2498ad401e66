import { clientsCommandConformance, describeConformance } from '@openkyc/testkit';
import { clientsCommandLoggingApplication } from './privacy-adapters.js';

describeConformance({
  name: 'broken clients-command (logs the submitted application)',
  simulator: () => clientsCommandConformance(),
  provider: (sim, options) => clientsCommandLoggingApplication(sim, options),
});
