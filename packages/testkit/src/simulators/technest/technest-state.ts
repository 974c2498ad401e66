import { randomBytes } from 'node:crypto';

/**
 * In-memory model of one Technest platform account: customers, upload intents,
 * access tokens and scripted review outcomes. HTTP handlers and the public
 * simulator object both work on this; nothing here does I/O.
 */

export type TechnestCustomerStatus = 'created' | 'pending' | 'verified' | 'rejected';
export type TechnestCustomerType = 'individual' | 'business';
export type TechnestFileSlot = 'id_file' | 'id_file_back' | 'proof_of_address_file' | 'liveness_check_file';
export type TechnestFileCategory = 'id_document' | 'id_document_back' | 'proof_of_address' | 'liveness_check';
export type TechnestContentType = 'image/jpeg' | 'image/png' | 'application/pdf';

export const TECHNEST_FILE_SLOTS: readonly TechnestFileSlot[] = ['id_file', 'id_file_back', 'proof_of_address_file', 'liveness_check_file'];
export const TECHNEST_FILE_CATEGORIES: readonly TechnestFileCategory[] = ['id_document', 'id_document_back', 'proof_of_address', 'liveness_check'];
export const TECHNEST_CONTENT_TYPES: readonly TechnestContentType[] = ['image/jpeg', 'image/png', 'application/pdf'];
/** Fields that must be present before `id_file` may be attached, in the order they are reported. */
export const TECHNEST_FIELDS_REQUIRED_FOR_VERIFICATION = ['date_of_birth', 'phone', 'country', 'address'] as const;
/** The largest file Technest's storage accepts (10 MB). */
export const TECHNEST_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Internal view of a customer (camelCase); `customerToJson` gives the API shape. */
export interface TechnestCustomerRecord {
  /** `ckcust_…`. */
  id: string;
  /** `individual` or `business`. */
  type: TechnestCustomerType;
  /** The platform's reference (unique, rejected records included). */
  customerReference: string;
  /** `created`, `pending`, `verified` or `rejected`. */
  status: TechnestCustomerStatus;
  /** E-mail address. */
  email: string;
  /** First name. */
  firstName: string;
  /** Last name. */
  lastName: string;
  /** `YYYY-MM-DD`, once sent. */
  dateOfBirth: string | null;
  /** E.164, once sent. */
  phone: string | null;
  /** Country of residence, once sent. */
  country: string | null;
  /** Stored as sent (the contract fixes no address sub-fields). */
  address: Record<string, unknown> | null;
  /** When it was created (simulator clock). */
  createdAt: Date;
  /** When the KYC acknowledgement was recorded. */
  kycSubmittedAt: Date | null;
  /** When it was verified. */
  verifiedAt: Date | null;
  /** When it was rejected. */
  rejectedAt: Date | null;
  /** Free-text reason, when rejected. */
  rejectionReason: string | null;
  /** The file id attached in each slot. */
  files: Record<TechnestFileSlot, string | null>;
  /** When `id_file` was attached (the review clock starts here); null unless reviewed. */
  reviewStartedAt: Date | null;
}

export interface TechnestUploadedBytes {
  readonly bytes: Buffer;
  readonly contentType: string;
  readonly uploadedAt: Date;
}

export interface TechnestFileRecord {
  id: string;
  customerId: string;
  category: TechnestFileCategory;
  filename: string;
  contentType: TechnestContentType;
  createdAt: Date;
  /** Upload URL expiry by the simulator clock. */
  expiresAt: Date;
  uploadUrl: string;
  /** Latest successful PUT; absent until the bytes arrive. */
  upload?: TechnestUploadedBytes;
}

export interface TechnestTokenRecord {
  token: string;
  scopes: string[];
  issuedAt: Date;
  expiresAt: Date;
  revoked: boolean;
}

/** Scripted result of a review. Default when none is set: verified after `reviewDelayMs`. */
export interface TechnestOutcome {
  /** The decision. */
  readonly status: 'verified' | 'rejected';
  /** Free-text reason for rejections, like the upstream rail sends (`"ID document unreadable"`). */
  readonly reason?: string;
  /** Review duration from `id_file` attach; `Infinity` keeps the customer pending forever. */
  readonly afterMs?: number;
}

export interface TechnestStatusChange {
  /** Snapshot of the customer right after the change. */
  readonly customer: TechnestCustomerRecord;
  readonly previousStatus: TechnestCustomerStatus;
  /** When the change happened by the simulator clock (the review's due time). */
  readonly at: Date;
}

export const DEFAULT_REJECTION_REASON = 'ID document unreadable';

export interface TechnestState {
  readonly customers: Map<string, TechnestCustomerRecord>;
  readonly customerIdsByReference: Map<string, string>;
  readonly files: Map<string, TechnestFileRecord>;
  readonly tokens: Map<string, TechnestTokenRecord>;
  /** Keyed by customer id or customer_reference (id wins when both are set). */
  readonly outcomes: Map<string, TechnestOutcome>;
  newId(prefix: 'ckcust' | 'file' | 'evt' | 'tn_at'): string;
  /** Epoch ms at which a pending customer's review completes (`Infinity` for never). */
  reviewDueAtMs(customer: TechnestCustomerRecord): number;
  outcomeFor(customer: TechnestCustomerRecord): TechnestOutcome;
  /** Attaching `id_file` starts verification: the customer is pending from `at`. */
  startReview(customer: TechnestCustomerRecord, at: Date): void;
  /** Applies every review due by `nowMs`, earliest first, and returns the resulting changes. */
  applyDueReviews(nowMs: number): TechnestStatusChange[];
}

export function createTechnestState(options: { readonly reviewDelayMs: number }): TechnestState {
  const customers = new Map<string, TechnestCustomerRecord>();
  // Only these can have a review due: every API request checks them (status refreshes on read),
  // so scanning all customers would make each request cost O(customers).
  const underReview = new Set<TechnestCustomerRecord>();
  // No review is due before this (a lower bound, never later than the earliest due time): a request
  // costs O(1) until then instead of a scan of every customer under review. A review's due time moves
  // only when it starts or when an outcome is set, and both lower or reset the bound.
  let noReviewDueBeforeMs = Infinity;
  const outcomes = new (class extends Map<string, TechnestOutcome> {
    override set(key: string, value: TechnestOutcome): this {
      noReviewDueBeforeMs = -Infinity; // an outcome's afterMs may bring a review forward: look again
      return super.set(key, value);
    }
  })();

  function outcomeFor(customer: TechnestCustomerRecord): TechnestOutcome {
    return outcomes.get(customer.id) ?? outcomes.get(customer.customerReference) ?? { status: 'verified' };
  }

  // Computed lazily from the outcome so setOutcome() after submission still changes the timing.
  function reviewDueAtMs(customer: TechnestCustomerRecord): number {
    if (customer.status !== 'pending' || customer.reviewStartedAt === null) return Infinity;
    return customer.reviewStartedAt.getTime() + (outcomeFor(customer).afterMs ?? options.reviewDelayMs);
  }

  return {
    customers,
    customerIdsByReference: new Map(),
    files: new Map(),
    tokens: new Map(),
    outcomes,
    newId: (prefix) => `${prefix}_${randomBytes(12).toString('hex')}`,
    reviewDueAtMs,
    outcomeFor,
    startReview(customer, at) {
      customer.status = 'pending';
      customer.reviewStartedAt = at;
      underReview.add(customer);
      noReviewDueBeforeMs = Math.min(noReviewDueBeforeMs, reviewDueAtMs(customer));
    },
    applyDueReviews(nowMs) {
      if (underReview.size === 0 || nowMs < noReviewDueBeforeMs) return [];
      const due: { customer: TechnestCustomerRecord; dueAtMs: number }[] = [];
      let nextDueAtMs = Infinity;
      for (const customer of underReview) {
        const dueAtMs = reviewDueAtMs(customer);
        if (dueAtMs <= nowMs) due.push({ customer, dueAtMs });
        else nextDueAtMs = Math.min(nextDueAtMs, dueAtMs);
      }
      noReviewDueBeforeMs = nextDueAtMs;
      due.sort((a, b) => a.dueAtMs - b.dueAtMs);
      return due.map(({ customer, dueAtMs }) => {
        const outcome = outcomeFor(customer);
        const at = new Date(dueAtMs);
        const previousStatus = customer.status;
        underReview.delete(customer);
        customer.status = outcome.status;
        if (outcome.status === 'verified') {
          customer.verifiedAt = at;
        } else {
          customer.rejectedAt = at;
          customer.rejectionReason = outcome.reason ?? DEFAULT_REJECTION_REASON;
        }
        return { customer: cloneCustomer(customer), previousStatus, at };
      });
    },
  };
}

/** The customer object exactly as the API returns it. */
export function customerToJson(customer: TechnestCustomerRecord): Record<string, unknown> {
  return {
    object: 'customer',
    id: customer.id,
    type: customer.type,
    customer_reference: customer.customerReference,
    status: customer.status,
    email: customer.email,
    first_name: customer.firstName,
    last_name: customer.lastName,
    date_of_birth: customer.dateOfBirth,
    phone: customer.phone,
    country: customer.country,
    address: customer.address === null ? null : { ...customer.address },
    created_at: isoSeconds(customer.createdAt),
    kyc_submitted_at: isoOrNull(customer.kycSubmittedAt),
    verified_at: isoOrNull(customer.verifiedAt),
    rejected_at: isoOrNull(customer.rejectedAt),
    rejection_reason: customer.rejectionReason,
    files: { ...customer.files },
  };
}

export function cloneCustomer(customer: TechnestCustomerRecord): TechnestCustomerRecord {
  return structuredClone(customer);
}

/** ISO 8601 at second precision, like the provider's docs (`2026-05-05T12:34:56Z`). */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isoOrNull(date: Date | null): string | null {
  return date === null ? null : isoSeconds(date);
}
