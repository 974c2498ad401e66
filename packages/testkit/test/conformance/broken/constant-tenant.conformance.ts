import { clientsCommandConformance, describeConformance } from '@openkyc/testkit';
import { constantTenantClientsCommand } from './headers-adapters.js';

describeConformance({
  name: 'broken clients-command (constant-tenant)',
  simulator: () => clientsCommandConformance(),
  provider: (sim, options) => constantTenantClientsCommand(sim, options),
});
