/**
 * The audit trail: operator actions (the console's refresh, dead-letter retry, parked-delivery replay, or
 * any action an app records through `kyc.recordAuditEntry`), kept in the store next to what they acted on,
 * so "who did what to this customer, and did it work" survives restarts and is shared by every instance.
 *
 * An entry holds ids, action names, stable error codes and times only: never personal data of the
 * end-customer (names, e-mail, documents, provider free text). Entries are append-only; `forgetCustomer`
 * leaves them (they name no personal data).
 */
export interface AuditTrail {
  /** Appends one entry. */
  appendAuditEntry(entry: AuditEntry): Promise<void>;
  /** Entries newest first (by `at`, then append order), optionally only one customer's, at most `limit`. */
  listAuditEntries(query?: AuditQuery): Promise<readonly AuditEntry[]>;
}

/** One operator action, as the audit trail keeps it. */
export interface AuditEntry {
  /** When the action ended (ISO 8601). */
  readonly at: string;
  /** Who did it, as the app names its operators (e.g. the console's `operator(request)`); absent when unknown. */
  readonly actor?: string;
  /** What was done, a stable name such as `refresh`, `retry_dead_letter`, `apply_parked`, `replay_parked`. */
  readonly action: string;
  /** The customer acted on, when there is one. */
  readonly customerId?: string;
  /** What else was acted on, as ids (e.g. `consumer/eventId`, `provider/dedupeKey`). */
  readonly target?: string;
  /** `ok`, or `failed` with `errorCode`. */
  readonly outcome: 'ok' | 'failed';
  /** The failed action's stable error code (a `KycError` code). */
  readonly errorCode?: string;
  /** A short, personal-data-free summary of the effect (e.g. `pending → verified`, `applied 3, waiting 1`). */
  readonly detail?: string;
}

/** Filters for `AuditTrail.listAuditEntries`. */
export interface AuditQuery {
  /** Only this customer's entries. */
  readonly customerId?: string;
  /** At most this many (default 100). */
  readonly limit?: number;
}

/** How many entries a listing answers when `limit` is absent. */
export const DEFAULT_AUDIT_LIMIT = 100;
