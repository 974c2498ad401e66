/**
 * `@openkyc/core`: the client (`createKyc`, `fromConfig`), the customer
 * lifecycle and its events, errors, stores, the adapter contract and the
 * webhook signature helpers. The HTTP toolkit for adapters is the separate
 * entry point `@openkyc/core/http`; the zod schemas of the models are in
 * `@openkyc/core/schemas` (this entry does not load zod until it validates).
 *
 * @packageDocumentation
 * @mergeModuleWith <project>
 */

// The public API of @openkyc/core. Explicit named exports only: what is not
// listed here is internal and may change without notice.

// Client
export { createKyc } from './client/create-kyc.js';
export type { CreateCustomerInput, Kyc, KycOptions, ValidationResult } from './client/kyc.js';
export type { HandleWebhook, WebhookDelivery, WebhookResult } from './webhooks/webhook-delivery.js';
export { fromConfig } from './client/from-config.js';
export type { KycConfig, ProviderFactories } from './client/from-config.js';
export { DEFAULT_RECONCILE_SCHEDULE } from './client/reconcile-schedule.js';
export type { ReconcileSchedule } from './client/reconcile-schedule.js';
export type { ReconcileOptions, ReconcileResult } from './client/use-cases/reconcile.js';
export type { Reconciler, ReconcilerOptions } from './client/use-cases/start-reconciler.js';
export type { ListParkedWebhooksOptions, ParkedWebhook, ParkedWebhooksPass } from './client/use-cases/parked-webhooks.js';
export type { KycEventHandler } from './client/event-bus.js';
export { MAX_CUSTOMER_PAGE_SIZE } from './client/list-customers.js';
export type { CustomerPage, ListCustomersQuery } from './client/list-customers.js';
export type { CountCustomersOptions, CustomerCounts } from './client/count-customers.js';
export type { Consumer } from './client/consumer.js';
export type { ConsumeOptions, ConsumerHandler, HandlerErrorSummary } from './client/consumer-options.js';

// Models
export { CUSTOMER_STATUSES, FINAL_STATUSES } from './models/customer-status.js';
export type { CustomerStatus } from './models/customer-status.js';
export type { Customer, CustomerAttempt, CustomerType, EventSource, IgnoredReport } from './models/customer.js';
export {
  ACCOUNT_PURPOSES,
  DOCUMENT_TYPES,
  EMPLOYMENT_STATUSES,
  FILE_CONTENT_TYPES,
  IDENTIFIER_TYPES,
  MONTHLY_VOLUMES,
  PROOF_OF_ADDRESS_KINDS,
  SOURCES_OF_FUNDS,
  APPLICATION_FIELDS,
} from './models/application.js';
export type {
  Address,
  Application,
  ApplicationDocument,
  ApplicationField,
  DocumentFile,
  DocumentType,
  FileContentType,
  Identifier,
  IdentifierType,
  Person,
  Profile,
  ProofOfAddressKind,
} from './models/application.js';
export { REJECTION_CODES } from './models/requirement.js';
export type { Rejection, RejectionCode, Requirement } from './models/requirement.js';
export { EVENT_TYPE_FOR_STATUS, KYC_EVENT_TYPES } from './models/events.js';
export type {
  CustomerActivatedEvent,
  CustomerCreatedEvent,
  CustomerDeactivatedEvent,
  CustomerNeedsInfoEvent,
  CustomerRejectedEvent,
  CustomerReviewOverdueEvent,
  CustomerSubmittedEvent,
  CustomerVerifiedEvent,
  KycEvent,
  KycEventOf,
  KycEventType,
} from './models/events.js';

// Validation
export { validateApplication } from './application/validate-application.js';
export { IDENTIFIER_RULES } from './values/identifier-formats.js';
export type { IdentifierRule } from './values/identifier-formats.js';

// Lifecycle (pure)
export { LIFECYCLE_MACHINE_VERSION, lifecycleMachine } from './lifecycle/lifecycle-machine.js';
export { applyReport, initialLifecycleSnapshot, lifecyclePath, STATUS_RANK } from './lifecycle/apply-report.js';
export type {
  LifecycleIgnoredReason,
  LifecycleReport,
  LifecycleReportKind,
  LifecycleResult,
  LifecycleSnapshot,
  LifecycleStep,
} from './lifecycle/apply-report.js';
export { migrateLifecycleSnapshot } from './lifecycle/migrate-snapshot.js';
export { applyProviderReport, PROVIDER_CLOCK_SKEW_MS } from './client/apply-provider-report.js';

// Adapter contract
export { KYC_PROVIDER_SPEC_VERSION } from './provider/kyc-provider.js';
export type {
  CreateCustomerInput as ProviderCreateCustomerInput,
  KycProvider,
  ProviderCallContext,
  ProviderCapabilities,
  ProviderCustomerRef,
  ProviderReport,
  ProviderWebhooks,
  RetryInput,
  ReviewEscalation,
  SubmitInput,
  ValidationContext,
  WebhookParseResult,
  WebhookRequest,
} from './provider/kyc-provider.js';
export { parseAdapterOptions } from './provider/parse-adapter-options.js';
export { lazySchema } from './values/lazy-schema.js';
export type { Zod } from './values/lazy-schema.js';

// Stores
export { memoryStore } from './store/memory-store.js';
export type { CommitResult, CustomerStore, DeliveryLookup, ProcessedDelivery, StoreCommit, StoreListQuery } from './store/customer-store.js';
export type { AuditEntry, AuditQuery, AuditTrail } from './store/audit-trail.js';
export type { AuditEntryInput } from './client/audit-entries.js';
export type { ParkedWebhookReplay } from './client/use-cases/apply-parked-webhook.js';
export type {
  ConsumerClaim,
  ConsumerClaimRequest,
  ConsumerStatus,
  DeadLetter,
  EventLog,
  EventLogCursor,
  EventLogPage,
  LoggedEvent,
  NewDeadLetter,
} from './store/event-log.js';
export { decideCommit } from './store/commit-rules.js';
export { compareParked } from './store/webhook-inbox.js';
export type { ParkedDelivery, ParkedQuery, WebhookInbox } from './store/webhook-inbox.js';
export type { ReconcileClaim, ReconcileLeases } from './store/reconcile-leases.js';
export type { StoredState } from './store/commit-rules.js';

// Webhook signatures
export { normalizeHeaders, toRawBytes } from './webhooks/webhook-request.js';
export { decodeWebhookBody, parseWebhookJson } from './webhooks/webhook-body.js';
export type { RawWebhookBody, WebhookHeadersInput } from './webhooks/webhook-request.js';
export { signTimestampedHmac, verifyTimestampedHmac } from './webhooks/timestamped-hmac.js';
export { parseStandardWebhookSecret, signStandardWebhook, verifyStandardWebhook } from './webhooks/standard-webhooks.js';
export { assertWebhookSecrets, assertWebhookTolerance } from './webhooks/webhook-config.js';
export { DEFAULT_WEBHOOK_MAX_BODY_BYTES, webhookHandler, type WebRequestHandler, type WebhookErrorContext, type WebhookHandlerOptions, type WebhookHandlerReceipt } from './webhooks/web-webhook-handler.js';

// Logging
export { silentLogger } from './logging/logger.js';
export type { KycLogger } from './logging/logger.js';
export { redact, redactingLogger } from './logging/redact.js';
export type { KycTelemetryOptions } from './telemetry/kyc-telemetry.js';
export type { DeliveryOutcome } from './client/traced-use-cases.js';

// Provider text and codes (for adapters)
export {
  MAX_SCRUBBED_LENGTH,
  SCRUBBED_VALUE_MARKER,
  defaultProviderTextScrubber,
  providerTextScrubber,
} from './redaction/provider-text-scrubber.js';
export type { ProviderTextScrubber } from './redaction/provider-text-scrubber.js';
export type { SubmittedValues } from './redaction/submitted-values.js';
export {
  UNRECOGNIZED_PROVIDER_CODE,
  describeProviderCode,
  documentedProviderCode,
  providerCodeVocabulary,
} from './redaction/provider-codes.js';
export type { ProviderCodeVocabulary } from './redaction/provider-codes.js';

// Errors
export {
  AuthenticationError,
  ConfigurationError,
  InvalidStateError,
  KycError,
  NotFoundError,
  NotRetryableError,
  ProviderError,
  RateLimitError,
  TimeoutError,
  ValidationError,
  WebhookVerificationError,
} from './errors.js';
export type {
  KycErrorCode,
  ProviderErrorDetails,
  ValidationIssue,
  WebhookVerificationReason,
} from './errors.js';
