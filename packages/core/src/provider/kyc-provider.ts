import type { Application, ApplicationField, DocumentType, FileContentType } from '../models/application.js';
import type { CustomerStatus } from '../models/customer-status.js';
import type { Rejection, Requirement } from '../models/requirement.js';
import type { ValidationIssue } from '../errors.js';
import type { KycLogger } from '../logging/logger.js';

/**
 * The adapter contract. An adapter is a factory returning a `KycProvider`.
 * Adapters own their provider's quirks (auth, uploads, code tables, shapes);
 * core owns the lifecycle, events, dedupe, storage, retry policy and redaction.
 *
 * The contract is versioned so core can refuse an adapter built for another
 * version instead of misbehaving at run time.
 */
export const KYC_PROVIDER_SPEC_VERSION = 'v1' as const;

export interface KycProvider {
  readonly specificationVersion: typeof KYC_PROVIDER_SPEC_VERSION;
  /** Provider id: `'technest'`, `'patch-style'`, `'clients-command'`, … */
  readonly id: string;
  readonly capabilities: ProviderCapabilities;

  /** Provider-specific checks on top of the capability rules; pure, no I/O. */
  validate?(application: Application, context: ValidationContext): readonly ValidationIssue[];

  /** Creates the provider record. Must be safe to repeat with the same `reference` (adopt what an earlier try made). */
  createCustomer(input: CreateCustomerInput, context: ProviderCallContext): Promise<ProviderReport>;
  /** Sends the application and starts verification. Must be safe to repeat after a failure part-way. */
  submit(input: SubmitInput, context: ProviderCallContext): Promise<ProviderReport>;
  /** Reads the current state from the provider. */
  fetch(input: ProviderCustomerRef, context: ProviderCallContext): Promise<ProviderReport>;
  /** Where `capabilities.activation === 'explicit'`. */
  activate?(input: ProviderCustomerRef, context: ProviderCallContext): Promise<ProviderReport>;
  /**
   * Prepares a new attempt after a rejection, where the mode needs one:
   * `'new-customer'` creates a new provider record (the report carries its id),
   * `'undo-rejection'` reopens the same record. Not called for `'resubmit'`.
   */
  retry?(input: RetryInput, context: ProviderCallContext): Promise<ProviderReport>;
  /** Where `capabilities.webhooks` is true. */
  readonly webhooks?: ProviderWebhooks;
  /** Releases connection pools the adapter owns (never an injected dispatcher). */
  close?(): Promise<void>;
}

export interface ProviderCapabilities {
  /** Identity and supporting documents this provider accepts. */
  readonly documentTypes: readonly DocumentType[];
  /** Documents that must come with a `back` side. */
  readonly twoSidedDocuments: readonly DocumentType[];
  /** At least one document of one of these types is required (the identity document). */
  readonly identityDocumentTypes: readonly DocumentType[];
  /** Optional fields of the application this provider requires. */
  readonly requiredFields: readonly ApplicationField[];
  readonly files: {
    readonly contentTypes: readonly FileContentType[];
    readonly minBytes?: number;
    readonly maxBytes: number;
  };
  readonly customerTypes: readonly ('individual' | 'business')[];
  /** `'none'`: success ends at `verified`; `'automatic'`: provider activates by itself; `'explicit'`: call `activate`. */
  readonly activation: 'none' | 'automatic' | 'explicit';
  readonly retryAfterRejection: 'new-customer' | 'resubmit' | 'undo-rejection';
  readonly webhooks: boolean;
  /** Whether the provider can ask for more information (status `needs_info`). */
  readonly needsInfo: boolean;
  readonly reviewTime: {
    /** Verification completes during `submit` (no `pending` wait). */
    readonly synchronous: boolean;
    /** How long review usually takes, for display and polling cadence. */
    readonly typicalMs: number;
    /** Past this, `reconcile` emits `customer.review_overdue`. */
    readonly escalateAfterMs: number;
  };
}

/**
 * What an adapter tells core about one provider record. Status is normalized;
 * `rawStatus` keeps the provider's own value next to it for audit and debugging.
 */
export interface ProviderReport {
  readonly providerCustomerId: string;
  readonly status: CustomerStatus;
  readonly rawStatus: string;
  readonly requirements?: readonly Requirement[];
  readonly rejection?: Rejection;
  /**
   * The status the provider says this record was in just before, when it is known
   * (a webhook's `oldStatus`, or implied: patch-style deactivates only ACTIVE
   * customers). Core walks through it when the customer is not there yet, so a
   * late or reordered report neither skips real steps nor invents others.
   */
  readonly previousStatus?: CustomerStatus;
  /** The provider's own time for this state (ISO 8601); core uses the receipt time when absent. */
  readonly occurredAt?: string;
  /** E.g. `'FULL'` / `'PARTIAL'` on a verified clients-command customer. */
  readonly verificationLevel?: string;
  /** The provider-side reference of this record (Technest appends `-r2`… on retries). */
  readonly providerReference?: string;
}

export interface ProviderCustomerRef {
  readonly providerCustomerId: string;
  /** Our stable id. */
  readonly customerId: string;
  /** The reference used at the provider for this attempt. */
  readonly providerReference: string;
}

export interface CreateCustomerInput {
  /** Our stable id (same across retries). */
  readonly customerId: string;
  /** The platform's reference. */
  readonly reference: string;
  /** The reference to use at the provider for this attempt. */
  readonly providerReference: string;
  readonly type: 'individual' | 'business';
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
}

export interface SubmitInput extends ProviderCustomerRef {
  readonly application: Application;
  readonly type: 'individual' | 'business';
  /** 1 for the first submission; counts resubmissions and retries. */
  readonly submission: number;
}

export interface RetryInput extends ProviderCustomerRef {
  readonly reference: string;
  readonly type: 'individual' | 'business';
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  /** 2 for the first retry: Technest references become `<reference>-r2`. */
  readonly attempt: number;
}

export interface ProviderCallContext {
  /** Aborts all I/O of the operation. */
  readonly signal?: AbortSignal;
  readonly logger: KycLogger;
  /** Core's clock (injectable for tests). */
  now(): Date;
  /** Stable per logical operation, so adapters can make creates idempotent. */
  readonly idempotencyKey: string;
}

export interface ValidationContext {
  now(): Date;
  readonly customerType?: 'individual' | 'business';
}

export interface WebhookRequest {
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Exactly the bytes received. */
  readonly rawBody: Uint8Array;
  readonly now: Date;
}

export interface ProviderWebhooks {
  /** Throws `WebhookVerificationError` unless the delivery is authentic and fresh. */
  verify(request: WebhookRequest): void;
  /** Turns a verified delivery into a report. Throws `WebhookVerificationError('malformed_body')` on unparseable input. */
  parse(request: WebhookRequest): WebhookParseResult;
}

export type WebhookParseResult =
  | {
      readonly kind: 'report';
      /** Event id, or a content key when the provider sends none. */
      readonly dedupeKey: string;
      readonly report: ProviderReport;
    }
  | {
      /** A verified event that does not concern the lifecycle (unknown type, etc.). */
      readonly kind: 'ignored';
      readonly dedupeKey: string;
      readonly reason: string;
    };
