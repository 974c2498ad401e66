export {
  createTechnestSimulator,
  type EmitWebhookOptions,
  type TechnestSimulator,
  type TechnestSimulatorOptions,
  type TechnestWebhookRejectionReason,
} from './technest-simulator.js';
export {
  TECHNEST_SIGNATURE_HEADER,
  TECHNEST_WEBHOOK_SHAPES,
  buildTechnestWebhookPayload,
  signTechnestWebhook,
  type TechnestEventContext,
  type TechnestWebhookShape,
  type TechnestWebhookShapeSetting,
} from './technest-webhooks.js';
export type { TechnestKycAcknowledgement } from './technest-api-routes.js';
export { technestEchoFault, technestRateLimitFault, technestServerErrorFault, type TechnestFaultTarget } from './technest-faults.js';
export { TECHNEST_ERROR_CODES, technestErrorBody, type TechnestErrorCode, type TechnestErrorExtras } from './technest-errors.js';
export {
  TECHNEST_MAX_FILE_BYTES,
  type TechnestContentType,
  type TechnestCustomerRecord,
  type TechnestCustomerStatus,
  type TechnestCustomerType,
  type TechnestFileCategory,
  type TechnestFileRecord,
  type TechnestFileSlot,
  type TechnestOutcome,
  type TechnestTokenRecord,
  type TechnestUploadedBytes,
} from './technest-state.js';
export { technestApplication, technestConformance } from './technest-conformance.js';
export { TECHNEST_REJECTION_TABLE } from './technest-rejection-reasons.js';
