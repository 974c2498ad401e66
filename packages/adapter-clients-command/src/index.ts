// The public API of @openkyc/adapter-clients-command. Explicit named exports
// only: what is not listed here is internal and may change without notice.

export { clientsCommand } from './clients-command-provider.js';
export {
  CLIENTS_COMMAND_PROVIDER_ID,
  CLIENTS_COMMAND_VERIFICATION_TYPES,
} from './clients-command-options.js';
export type {
  ClientsCommandOptions,
  ClientsCommandVerificationType,
  ResolvedClientsCommandOptions,
} from './clients-command-options.js';
export { clientsCommandCapabilities } from './clients-command-capabilities.js';
