import { clientsCommandConformance, describeConformance } from '@openkyc/testkit';
import { brokenClientsCommand } from './broken-adapters.js';

describeConformance({
  name: 'broken clients-command (undocumented-request)',
  simulator: () => clientsCommandConformance(),
  provider: (sim, options) => brokenClientsCommand(sim, options),
});
