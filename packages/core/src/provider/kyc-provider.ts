import type { Application, ApplicationField, DocumentType, FileContentType, ProofOfAddressKind } from '../models/application.js';
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

/**
 * The adapter contract: what an adapter factory (`technest(…)`, `patchStyle(…)`…) returns. See
 * docs/adapter-authoring.md.
 */
export interface KycProvider {
  /** The contract version the adapter implements; `createKyc` refuses another one. */
  readonly specificationVersion: typeof KYC_PROVIDER_SPEC_VERSION;
  /** Provider id: `'technest'`, `'patch-style'`, `'clients-command'`, … */
  readonly id: string;
  /** What the provider accepts and how it behaves; core validates and decides with it before any request. */
  readonly capabilities: ProviderCapabilities;

  /** Provider-specific checks on top of the capability rules; pure, no I/O. */
  validate?(application: Application, context: ValidationContext): readonly ValidationIssue[];

  /** Creates the provider record. Must be safe to repeat with the same `reference` (adopt what an earlier try made). */
  createCustomer(input: CreateCustomerInput, context: ProviderCallContext): Promise<ProviderReport>;
  /**
   * Sends the application and starts verification. Must be safe to repeat after a failure part-way. Refuses
   * an application core would refuse with a `ValidationError`, before any request.
   */
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

/** What a provider accepts and how it behaves, declared by its adapter. */
export interface ProviderCapabilities {
  /** Identity and supporting documents this provider accepts. */
  readonly documentTypes: readonly DocumentType[];
  /** Documents that must come with a `back` side. */
  readonly twoSidedDocuments: readonly DocumentType[];
  /** At least one document of one of these types is required (the identity document). */
  readonly identityDocumentTypes: readonly DocumentType[];
  /**
   * The kinds of `proof_of_address` (`documents[].proofOfAddressKind`) this provider accepts; core refuses
   * another kind before any request. Absent: the adapter does not tell kinds apart and accepts every kind.
   * A document without a kind is always accepted: the adapter sends its provider's default.
   */
  readonly proofOfAddressKinds?: readonly ProofOfAddressKind[];
  /** Optional fields of the application this provider requires. */
  readonly requiredFields: readonly ApplicationField[];
  /** Accepted files. */
  readonly files: {
    /** Accepted content types (checked against the bytes, not only the declared type). */
    readonly contentTypes: readonly FileContentType[];
    /** Smallest accepted file, when the provider has a floor. */
    readonly minBytes?: number;
    /** Largest accepted file. */
    readonly maxBytes: number;
  };
  /** Customer types this provider verifies; `createCustomer` refuses others before any request. */
  readonly customerTypes: readonly ('individual' | 'business')[];
  /** `'none'`: success ends at `verified`; `'automatic'`: provider activates by itself; `'explicit'`: call `activate`. */
  readonly activation: 'none' | 'automatic' | 'explicit';
  /**
   * How a rejected customer is retried: a new provider record (`retry`, then `submit`), `submit` on the same
   * record, or reopening it (`retry`, then `submit`).
   */
  readonly retryAfterRejection: 'new-customer' | 'resubmit' | 'undo-rejection';
  /** Whether the provider sends webhooks (`webhooks` must then be set). */
  readonly webhooks: boolean;
  /** Whether the provider can ask for more information (status `needs_info`). */
  readonly needsInfo: boolean;
  /** Review-time expectations. */
  readonly reviewTime: {
    /** Verification completes during `submit` (no `pending` wait). */
    readonly synchronous: boolean;
    /** How long review usually takes, for display and polling cadence. */
    readonly typicalMs: number;
    /** Past this, `reconcile` emits `customer.review_overdue` (the first escalation level). */
    readonly escalateAfterMs: number;
    /**
     * Every escalation level the provider documents, in order (e.g. Technest: 5 h → contact operations,
     * 24 h → contact support). `reconcile` emits one `customer.review_overdue` per level reached, once per
     * review. Absent: one level at `escalateAfterMs`.
     */
    readonly escalations?: readonly ReviewEscalation[];
  };
}

/** One documented escalation level of a review that takes too long. */
export interface ReviewEscalation {
  /** 1 for the first level, 2 for the next, … */
  readonly level: number;
  /** Time in `pending` after which this level is reached. */
  readonly afterMs: number;
  /** What the provider says to do at this level, e.g. `'contact_operations'`, `'contact_support'`. */
  readonly action: string;
}

/**
 * What an adapter tells core about one provider record. Status is normalized;
 * `rawStatus` keeps the provider's own value next to it for audit and debugging.
 */
export interface ProviderReport {
  /** The provider's id of the record. */
  readonly providerCustomerId: string;
  /** The normalized status. */
  readonly status: CustomerStatus;
  /** The provider's own status value, for audit and debugging. */
  readonly rawStatus: string;
  /** When `needs_info`: what the end-user must provide, with end-user-safe messages. */
  readonly requirements?: readonly Requirement[];
  /** When `rejected`: why, with an end-user-safe message (`providerReason` for operators only). */
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

/** Identifies one provider record in calls about an existing customer. */
export interface ProviderCustomerRef {
  /** The provider's id of the current record. */
  readonly providerCustomerId: string;
  /** Our stable id. */
  readonly customerId: string;
  /** The reference used at the provider for this attempt. */
  readonly providerReference: string;
}

/** What an adapter's `createCustomer` receives (exported as `ProviderCreateCustomerInput`). */
export interface CreateCustomerInput {
  /** Our stable id (same across retries). */
  readonly customerId: string;
  /** The platform's reference. */
  readonly reference: string;
  /** The reference to use at the provider for this attempt. */
  readonly providerReference: string;
  /** The customer type. */
  readonly type: 'individual' | 'business';
  /** The end-customer's e-mail address. */
  readonly email: string;
  /** The end-customer's first name. */
  readonly firstName: string;
  /** The end-customer's last name. */
  readonly lastName: string;
}

/** What an adapter's `submit` receives. */
export interface SubmitInput extends ProviderCustomerRef {
  /**
   * The application. Through core it was validated against the capabilities and the adapter's `validate`;
   * an adapter validates it again all the same (it may be called directly), with `validateApplication`,
   * before any request, and sends the parsed application that returns (for core's own copy that call
   * answers at once when its checks are the ones core ran). See docs/adapter-authoring.md.
   */
  readonly application: Application;
  /** The customer type. */
  readonly type: 'individual' | 'business';
  /** 1 for the first submission; counts resubmissions and retries. */
  readonly submission: number;
}

/**
 * What an adapter's `retry` receives (after a rejection, for the `new-customer` and `undo-rejection` modes).
 */
export interface RetryInput extends ProviderCustomerRef {
  /** The platform's reference (Technest derives `<reference>-r<attempt>` from it). */
  readonly reference: string;
  /** The customer type. */
  readonly type: 'individual' | 'business';
  /** The end-customer's e-mail address. */
  readonly email: string;
  /** The end-customer's first name. */
  readonly firstName: string;
  /** The end-customer's last name. */
  readonly lastName: string;
  /** 2 for the first retry: Technest references become `<reference>-r2`. */
  readonly attempt: number;
}

/** What core passes to every adapter call. */
export interface ProviderCallContext {
  /** Aborts all I/O of the operation. */
  readonly signal?: AbortSignal;
  /** Already redacting; log ids, statuses and codes only. */
  readonly logger: KycLogger;
  /** Core's clock (injectable for tests). */
  now(): Date;
  /** Stable per logical operation, so adapters can make creates idempotent. */
  readonly idempotencyKey: string;
}

/** What an adapter's `validate` receives. */
export interface ValidationContext {
  /** Core's clock (e.g. for document expiry). */
  now(): Date;
  /** The customer's type, when known. */
  readonly customerType?: 'individual' | 'business';
}

/** One webhook delivery as adapters see it. */
export interface WebhookRequest {
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Exactly the bytes received. */
  readonly rawBody: Uint8Array;
  /** Core's clock at receipt, for timestamp tolerance checks. */
  readonly now: Date;
}

/** Webhook verification and parsing, for providers that send webhooks. */
export interface ProviderWebhooks {
  /** Throws `WebhookVerificationError` unless the delivery is authentic and fresh. */
  verify(request: WebhookRequest): void;
  /** Turns a verified delivery into a report. Throws `WebhookVerificationError('malformed_body')` on unparseable input. */
  parse(request: WebhookRequest): WebhookParseResult;
  /**
   * Optional: the dedupe key of a verified delivery read cheaply (e.g. the event id), before and without the
   * full `parse`; `undefined` when it cannot be read that way (no id, unreadable body: `parse` decides). When
   * given it must be exactly the `dedupeKey` that `parse` returns for the same request, and it must not throw.
   * Core looks it up first, so a redelivery costs the signature check and one dedupe lookup.
   */
  peekDedupeKey?(request: WebhookRequest): string | undefined;
  /**
   * Optional, preferred over `peekDedupeKey`: the dedupe key and, when the body has it at a fixed place, the
   * provider customer id of a verified delivery, read cheaply before and without `parse`; `undefined` when
   * the key cannot be read that way. Same rules as `peekDedupeKey` (it must not throw; the key must be the
   * one `parse` returns). With the customer id, core checks the key and reads the customer in one store
   * read before parsing. Core checks both against the parse and re-reads when they disagree, so a wrong
   * peek costs a read, never a wrong apply.
   */
  peekDelivery?(request: WebhookRequest): WebhookPeek | undefined;
}

/** What `ProviderWebhooks.peekDelivery` reads of a delivery before the full parse. */
export interface WebhookPeek {
  /** The delivery's dedupe key (the `dedupeKey` `parse` returns). */
  readonly dedupeKey: string;
  /** The provider customer id the delivery is about, when the body has it at a fixed place. */
  readonly providerCustomerId?: string;
}

/**
 * What an adapter's `webhooks.parse` returns: a report to apply, or an event to acknowledge and ignore.
 * Either way `dedupeKey` marks the delivery as processed.
 */
export type WebhookParseResult =
  | {
      /** A delivery about a customer's status. */
      readonly kind: 'report';
      /** Event id, or a content key when the provider sends none. */
      readonly dedupeKey: string;
      /** The report to apply. */
      readonly report: ProviderReport;
    }
  | {
      /** A verified event that does not concern the lifecycle (unknown type, etc.). */
      readonly kind: 'ignored';
      /** Event id, or a content key when the provider sends none. */
      readonly dedupeKey: string;
      /** Why it is ignored (kept for operators). */
      readonly reason: string;
    };
