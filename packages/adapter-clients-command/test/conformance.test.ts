import { clientsCommandConformance, describeConformance } from '@openkyc/testkit';
import { clientsCommand } from '../src/index.js';

describeConformance({
  name: 'clients-command',
  simulator: () => clientsCommandConformance(),
  provider: (sim, options) =>
    clientsCommand({
      baseUrl: sim.url,
      username: sim.credentials.username,
      password: sim.credentials.password,
      tenantId: sim.credentials.tenantId,
      verificationType: 'FULL',
      ...options,
    }),
});
