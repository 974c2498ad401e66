import type { Kyc, ParkedWebhookReplay } from '@openkyc/core';

/**
 * The parts of the openkyc client the console uses: reads, its actions (`refresh`, `retryDeadLetter`,
 * `applyParkedWebhooks`, `applyParkedWebhook`), the audit trail it records every action in, and the
 * redacting logger (its audit lines). A full `Kyc` from `createKyc` fits.
 */
export type ConsoleKyc = Pick<
  Kyc,
  | 'getCustomer'
  | 'findCustomerByReference'
  | 'findCustomerByProviderCustomerId'
  | 'listCustomers'
  | 'countCustomers'
  | 'listEvents'
  | 'refresh'
  | 'listParkedWebhooks'
  | 'applyParkedWebhooks'
  | 'applyParkedWebhook'
  | 'listDeliveries'
  | 'recordAuditEntry'
  | 'listAuditEntries'
  | 'listConsumers'
  | 'listDeadLetters'
  | 'retryDeadLetter'
  | 'providers'
  | 'logger'
>;

/** What `createConsole` takes. */
export interface ConsoleOptions {
  /** The openkyc client the console reads through and acts on. */
  readonly kyc: ConsoleKyc;
  /**
   * Decides whether a request may see the console; required, there is no open default. Answering `false` gets
   * `401` when the request carries no credentials (no `Authorization` header and no cookie other than the
   * console's own CSRF cookie), else `403`. Runs before routing, for every request under `basePath`.
   */
  readonly authorize: (request: Request) => boolean | Promise<boolean>;
  /**
   * Where the console is mounted, e.g. `'/ops'` (default `''`: the root). Every link and form uses it; requests
   * outside it get `404`.
   */
  readonly basePath?: string;
  /** The clock ages are shown by (how long a webhook has been parked); default the real one. Pass the client's `now` when you gave it one. */
  readonly now?: () => Date;
  /** Show names, e-mail addresses and provider free text; masked when absent or `false`. */
  readonly showPersonalData?: boolean;
  /**
   * Signs CSRF tokens (at least 32 characters). Default: a random secret per process, so tokens end with a
   * restart; give every instance behind one load balancer the same secret.
   */
  readonly csrfSecret?: string;
  /**
   * Names the operator in audit lines and in the store's audit trail (e.g. from your session); default none.
   * Never put personal data here you would not want in logs.
   */
  readonly operator?: (request: Request) => string | undefined | Promise<string | undefined>;
  /**
   * Called with every action's audit entry after it was logged and appended to the store's audit trail
   * (`kyc.recordAuditEntry`), e.g. to forward it to your SIEM.
   */
  readonly audit?: (entry: ConsoleAuditEntry) => void | Promise<void>;
  /**
   * The `WWW-Authenticate` challenge sent with `401`; default `Basic realm="openkyc console"` (browsers then
   * ask for a user name and password). `false` sends none (cookie sign-in apps).
   */
  readonly wwwAuthenticate?: string | false;
}

/**
 * One operator action, as logged (`console action` at info level on `kyc.logger`), appended to the store's
 * audit trail and passed to `audit`: tell them apart by `action`.
 */
export type ConsoleAuditEntry = RefreshAuditEntry | RetryDeadLetterAuditEntry | ApplyParkedAuditEntry | ReplayParkedAuditEntry;

/** What every audit entry has. */
export interface AuditEntryBase {
  /** Who, when `operator` named them. */
  readonly operator?: string;
  /** When the action ended (ISO 8601). */
  readonly at: string;
  /** `ok`, or `failed` with the error's stable `code`. */
  readonly outcome: 'ok' | 'failed';
  /** The `KycError` code when it failed. */
  readonly errorCode?: string;
}

/** "Refresh now" on a customer. */
export interface RefreshAuditEntry extends AuditEntryBase {
  /** What was done. */
  readonly action: 'refresh';
  /** The customer acted on. */
  readonly customerId: string;
  /** Its provider id. */
  readonly provider: string;
  /** The status before the action. */
  readonly from: string;
  /** The status after it (unchanged when it failed). */
  readonly to: string;
}

/** "Retry" on a consumer's dead letter: its holder delivers the event again. */
export interface RetryDeadLetterAuditEntry extends AuditEntryBase {
  /** What was done. */
  readonly action: 'retry_dead_letter';
  /** The durable consumer's name. */
  readonly consumer: string;
  /** The dead letter's event. */
  readonly eventId: string;
  /** The customer the event belongs to, when the dead letter was found. */
  readonly customerId?: string;
}

/** "Apply parked deliveries": parked webhooks whose customer exists by now are applied. */
export interface ApplyParkedAuditEntry extends AuditEntryBase {
  /** What was done. */
  readonly action: 'apply_parked';
  /** Deliveries applied (or found already applied) and removed from the inbox. */
  readonly applied?: number;
  /** Deliveries still without a customer. */
  readonly waiting?: number;
}

/** "Apply" on one parked delivery: applied now if its customer exists by now (`kyc.applyParkedWebhook`). */
export interface ReplayParkedAuditEntry extends AuditEntryBase {
  /** What was done. */
  readonly action: 'replay_parked';
  /** The provider the delivery came from. */
  readonly provider: string;
  /** The delivery's dedupe key. */
  readonly dedupeKey: string;
  /** What happened to it: `applied`, `already_applied`, `waiting` (still no customer) or `not_parked`. */
  readonly result?: ParkedWebhookReplay['outcome'];
  /** The customer it applied to, when it did. */
  readonly customerId?: string;
}

/** The console: one Web `Request → Response` handler, like Hono's `app.fetch`. */
export interface OpsConsole {
  /** Answers every request under `basePath`; `404` for anything else, so an app can fall through to its own routes. */
  fetch(request: Request): Promise<Response>;
}
