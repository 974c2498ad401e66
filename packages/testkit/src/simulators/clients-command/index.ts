/** Public surface of the clients-command simulator (re-exported by the testkit index). */
export {
  createClientsCommandSimulator,
  type ClientsCommandSimulator,
  type ClientsCommandSimulatorOptions,
} from './clients-command-simulator.js';
export {
  clientsCommandEchoFault,
  clientsCommandRateLimitFault,
  clientsCommandServerErrorFault,
  type ClientsCommandFaultTarget,
} from './clients-command-faults.js';
export { ClientsCommandControlError, type ClientsCommandBackOfficeOptions } from './clients-command-controls.js';
export { clientsCommandAuthorization, type ClientsCommandCredentials } from './clients-command-auth.js';
export {
  CLIENTS_COMMAND_DATE_FORMAT,
  formatClientsCommandDate,
  parseClientsCommandDate,
  type ClientsCommandDate,
} from './clients-command-dates.js';
export {
  DEFAULT_CLIENTS_COMMAND_IDENTIFIER_TYPES,
  DEFAULT_CLIENTS_COMMAND_REJECTION_REASONS,
  type ClientsCommandCodeValue,
} from './clients-command-code-values.js';
export { CLIENTS_COMMAND_VERIFY_RULE_CODES } from './clients-command-lifecycle.js';
export type { ClientsCommandErrorBody, ClientsCommandErrorEntry } from './clients-command-errors.js';
export {
  CLIENTS_COMMAND_STATUSES,
  CLIENTS_COMMAND_MAX_DOCUMENT_BYTES,
  type ClientsCommandAddressRecord,
  type ClientsCommandAttestation,
  type ClientsCommandClientRecord,
  type ClientsCommandDocumentRecord,
  type ClientsCommandIdentifierRecord,
  type ClientsCommandStatus,
  type ClientsCommandTimeline,
  type ClientsCommandVerificationType,
} from './clients-command-state.js';
export { clientsCommandApplication, clientsCommandConformance } from './clients-command-conformance.js';
export { CLIENTS_COMMAND_REJECTION_TABLE } from './clients-command-rejection-reasons.js';
