import { clientsCommandConformance, describeConformance } from '@openkyc/testkit';
import { noAdoptClientsCommand } from './retries-adapters.js';

describeConformance({
  name: 'broken clients-command (no-adopt)',
  simulator: () => clientsCommandConformance(),
  provider: (sim, options) => noAdoptClientsCommand(sim, options),
});
