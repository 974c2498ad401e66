export {
  createPatchStyleSimulator,
  type CreatePatchStyleSimulatorOptions,
  type PatchStyleForceStatusInput,
  type PatchStyleInternalErrorFaultOptions,
  type PatchStyleSimulator,
  type PatchStyleRateLimitFaultOptions,
  type PatchStyleWebhookRejectionReason,
} from './patch-style-simulator.js';
export { patchStyleEchoFault, type PatchStyleFaultTarget } from './patch-style-faults.js';
export {
  buildPatchStyleWebhookEvent,
  generatePatchStyleWebhookSecret,
  PATCH_STYLE_WEBHOOK_TOLERANCE_SECONDS,
  signPatchStyleWebhook,
  verifyPatchStyleWebhook,
  type PatchStyleWebhookEvent,
  type PatchStyleWebhookHeaders,
  type PatchStyleWebhookPayload,
  type PatchStyleWebhookVerification,
  type SignPatchStyleWebhookInput,
  type VerifyPatchStyleWebhookInput,
} from './patch-style-webhooks.js';
export {
  PATCH_STYLE_CUSTOMER_STATUSES,
  PATCH_STYLE_PATCHABLE_STATUSES,
  PATCH_STYLE_REJECTION_REASONS,
  PATCH_STYLE_SANDBOX_EMAILS,
  patchStyleSandboxScenarioFor,
  type PatchStyleCustomerSnapshot,
  type PatchStyleCustomerStatus,
  type PatchStyleOutcome,
  type PatchStyleSandboxScenario,
} from './patch-style-state.js';
export {
  PATCH_STYLE_ACCOUNT_PURPOSES,
  PATCH_STYLE_ADDRESS_PROOF_TYPES,
  PATCH_STYLE_DOCUMENT_TYPES,
  PATCH_STYLE_EMPLOYMENT_STATUSES,
  PATCH_STYLE_EXPECTED_MONTHLY_PAYMENTS_USD,
  PATCH_STYLE_ID_DOCUMENT_TYPES,
  PATCH_STYLE_NATIONAL_ID_TYPES,
  PATCH_STYLE_PROOF_OF_ADDRESS,
  PATCH_STYLE_REQUIRED_ADDRESS_FIELDS,
  PATCH_STYLE_REQUIRED_KYC_FIELDS,
  PATCH_STYLE_SOURCES_OF_FUNDS,
  type PatchStyleDocumentType,
  type PatchStyleKycAddress,
  type PatchStyleKycData,
  type PatchStyleKycDocument,
} from './patch-style-kyc-data.js';
export {
  PATCH_STYLE_DOCUMENT_CONTENT_TYPES,
  PATCH_STYLE_MAX_DOCUMENT_BYTES,
  PATCH_STYLE_MIN_DOCUMENT_BYTES,
  type PatchStyleDocumentCheckProblem,
  type PatchStyleDocumentCheck,
} from './patch-style-document-check.js';
export { PATCH_STYLE_ERROR_CODES, type PatchStyleErrorBody, type PatchStyleErrorCode } from './patch-style-errors.js';
export { generatePatchStyleApiKey } from './patch-style-auth.js';
export type { IdempotencyRecord as PatchStyleIdempotencyRecord } from './patch-style-idempotency.js';
export { examplePatchStyleKycData } from './patch-style-example-data.js';
export { patchStyleApplication, patchStyleConformance, type PatchStyleConformanceSimulator } from './patch-style-conformance.js';
export { PATCH_STYLE_REJECTION_TABLE } from './patch-style-rejection-reasons.js';
