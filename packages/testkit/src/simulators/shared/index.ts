// Building blocks for provider simulators; see README.md in this folder.
export {
  createRouter,
  emptyResponse,
  jsonResponse,
  matchPath,
  parseJsonBody,
  route,
  startSimulatorServer,
  textResponse,
  type JsonBodyResult,
  type Route,
  type RouteContract,
  type RouteHandler,
  type RunningSimulatorServer,
  type SimulatorHandler,
  type SimulatorRequest,
  type SimulatorResponse,
  type StartSimulatorServerOptions,
} from './simulator-server.js';
export {
  checkAgainstRoutes,
  contractOf,
  displayPattern,
  type ContractViolationDetails,
  type SimulatorContract,
} from './simulator-contract.js';
export {
  createRequestLog,
  type ContractViolation,
  type CreateRequestLogOptions,
  type RecordedRequest,
  type RecordedRequestPredicate,
  type RequestLog,
} from './request-log.js';
export { createHeaderMismatchLog, type HeaderMismatch, type HeaderMismatchLog } from './header-mismatches.js';
export { createAfterProcessingFaults, type AfterProcessingFaults } from './after-processing-faults.js';
export { asCodeSegment, echoForms, echoSentence, echoedValues } from './echo-faults.js';
export {
  createFaultInjector,
  faultTarget,
  type FaultTarget,
  type FaultAction,
  type FaultBody,
  type FaultInjector,
  type FaultSpec,
  type InjectedFault,
  type InjectedFaultResponse,
} from './fault-injection.js';
export { createSimulatorClock, type ClockListener, type CreateSimulatorClockOptions, type SimulatorClock } from './simulator-clock.js';
export {
  createWebhookDispatcher,
  type CreateWebhookDispatcherOptions,
  type DeliverAgainOptions,
  type ReleaseOptions,
  type ReleaseOrder,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookDeliveryState,
  type WebhookDispatcher,
  type WebhookSigner,
} from './webhook-dispatcher.js';
export { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from './webhook-receiver.js';
