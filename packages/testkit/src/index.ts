// The public API of @openkyc/testkit: the conformance suites, the provider
// simulators, and the building blocks to write a simulator for a new provider.

// Conformance suites
export { describeConformance } from './conformance/describe-conformance.js';
export { describeStoreConformance } from './conformance/describe-store-conformance.js';
export type { StoreConformanceOptions } from './conformance/describe-store-conformance.js';
export { CONFORMANCE_CANARY } from './conformance/conformance-harness.js';
export { conformanceStepFault } from './conformance/step-faults.js';
export type {
  ConformanceDelivery,
  ConformanceDriver,
  ConformanceFault,
  ConformanceOutcome,
  ConformanceProviderOptions,
  ConformanceRejectionReason,
  ConformanceRejectOptions,
  ConformanceRequestStep,
  ConformanceRetries,
  ConformanceSetup,
  ConformanceStatuses,
  ConformanceStepFault,
  ConformanceWebhooks,
  ConformanceWebhookShapes,
  ProviderRecordView,
} from './conformance/conformance-driver.js';
// The privacy group's driver members (issue #12).
export type {
  ConformanceCallFault,
  ConformanceInjectedFault,
  ConformanceOperation,
  ConformancePrivacy,
  ConformanceProviderCall,
} from './conformance/conformance-driver.js';

// Fixtures
export {
  SAMPLE_DOCUMENT_CONTENT_TYPES,
  SAMPLE_DOCUMENT_KINDS,
  sampleDocument,
  type SampleDocument,
  type SampleDocumentContentType,
  type SampleDocumentKind,
  type SampleDocumentOptions,
} from './fixtures/sample-document.js';

// Technest simulator
export {
  TECHNEST_ERROR_CODES,
  TECHNEST_MAX_FILE_BYTES,
  TECHNEST_REJECTION_TABLE,
  TECHNEST_SIGNATURE_HEADER,
  TECHNEST_WEBHOOK_SHAPES,
  buildTechnestWebhookPayload,
  createTechnestSimulator,
  signTechnestWebhook,
  technestErrorBody,
  technestEchoFault,
  technestRateLimitFault,
  technestServerErrorFault,
  technestApplication,
  technestConformance,
  type EmitWebhookOptions,
  type TechnestCustomerRecord,
  type TechnestCustomerStatus,
  type TechnestKycAcknowledgement,
  type TechnestOutcome,
  type TechnestSimulator,
  type TechnestSimulatorOptions,
  type TechnestWebhookShape,
  type TechnestWebhookShapeSetting,
  type TechnestWebhookRejectionReason,
} from './simulators/technest/index.js';

// Patch-style simulator and the document host it fetches from
export {
  PATCH_STYLE_REJECTION_TABLE,
  PATCH_STYLE_SANDBOX_EMAILS,
  createPatchStyleSimulator,
  patchStyleApplication,
  patchStyleConformance,
  patchStyleEchoFault,
  type PatchStyleConformanceSimulator,
  signPatchStyleWebhook,
  verifyPatchStyleWebhook,
  type CreatePatchStyleSimulatorOptions,
  type PatchStyleCustomerSnapshot,
  type PatchStyleCustomerStatus,
  type PatchStyleKycData,
  type PatchStyleOutcome,
  type PatchStyleSimulator,
  type PatchStyleWebhookEvent,
  type PatchStyleWebhookRejectionReason,
} from './simulators/patch-style/index.js';
export {
  PII_CANARY,
  errorRenderings,
  findPiiLeaks,
  piiCanaryForms,
  type PiiCanary,
  type PiiLeak,
} from './fixtures/pii-canary.js';
export {
  failureOf,
  piiCanaryCustomer,
  piiLeaksIn,
  withPiiCanary,
  type PiiLeakSources,
} from './fixtures/pii-canary-application.js';
export { storedCustomer, storedEvent, type StoredCustomerOptions } from './fixtures/stored-customer.js';
export {
  createDocumentHost,
  type CreateDocumentHostOptions,
  type DocumentHost,
  type DocumentHostFault,
  type HostDocumentInput,
  type HostedDocument,
} from './fixtures/document-host.js';

// Clients-command simulator (no webhooks: back-office changes are seen by polling)
export {
  CLIENTS_COMMAND_REJECTION_TABLE,
  CLIENTS_COMMAND_STATUSES,
  CLIENTS_COMMAND_VERIFY_RULE_CODES,
  DEFAULT_CLIENTS_COMMAND_IDENTIFIER_TYPES,
  clientsCommandApplication,
  clientsCommandConformance,
  clientsCommandEchoFault,
  createClientsCommandSimulator,
  type ClientsCommandClientRecord,
  type ClientsCommandSimulator,
  type ClientsCommandSimulatorOptions,
} from './simulators/clients-command/index.js';

// Building blocks for simulators of other providers
export {
  createHeaderMismatchLog,
  type HeaderMismatch,
  type HeaderMismatchLog,
  asCodeSegment,
  createAfterProcessingFaults,
  createFaultInjector,
  echoForms,
  echoSentence,
  echoedValues,
  faultTarget,
  type AfterProcessingFaults,
  type FaultTarget,
  createRequestLog,
  createRouter,
  createSimulatorClock,
  createWebhookDispatcher,
  emptyResponse,
  jsonResponse,
  matchPath,
  parseJsonBody,
  route,
  startSimulatorServer,
  startWebhookReceiver,
  textResponse,
  contractOf,
  type ContractViolation,
  type ContractViolationDetails,
  type SimulatorContract,
  type RouteContract,
  type CreateRequestLogOptions,
  type CreateSimulatorClockOptions,
  type CreateWebhookDispatcherOptions,
  type FaultInjector,
  type FaultBody,
  type FaultSpec,
  type InjectedFault,
  type RecordedRequest,
  type RequestLog,
  type Route,
  type RouteHandler,
  type SimulatorHandler,
  type StartSimulatorServerOptions,
  type WebhookSigner,
  type ReceivedWebhook,
  type ReleaseOptions,
  type RunningSimulatorServer,
  type SimulatorClock,
  type SimulatorRequest,
  type SimulatorResponse,
  type WebhookDelivery,
  type WebhookDispatcher,
  type WebhookReceiver,
} from './simulators/shared/index.js';
