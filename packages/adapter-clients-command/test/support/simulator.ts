// The clients-command simulator and fixtures, from the testkit.
export {
  createClientsCommandSimulator,
  sampleDocument,
  type ClientsCommandSimulator,
  type ClientsCommandSimulatorOptions,
  type RecordedRequest,
} from '@openkyc/testkit';
