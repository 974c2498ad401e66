import { clientsCommandConformance, describeConformance } from '@openkyc/testkit';
import { activeAsVerifiedClientsCommand } from './status-mapping-adapters.js';

describeConformance({
  name: 'broken clients-command (Active 300 read as verified)',
  simulator: () => clientsCommandConformance(),
  provider: (sim, options) => activeAsVerifiedClientsCommand(sim, options),
});
