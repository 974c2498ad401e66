import type { KycEvent } from '../models/events.js';

/**
 * The store's side of durable delivery (`kyc.consume`): a store-wide, ordered log of committed events, the
 * named consumers' checkpoints and leases, and their dead letters. Every `CustomerStore` implements it;
 * `describeStoreConformance` from `@openkyc/testkit` checks it.
 *
 * The log's guarantee: a reader that starts at `''` and always passes the cursor of the last event it read
 * sees every committed event exactly once, and a customer's events in their commit order. In particular an
 * event that commits late (its transaction began before others that committed first) is never skipped:
 * stores with concurrent writers must order the log so that nothing can commit before a cursor once it has
 * been handed out (PostgreSQL: by transaction id, read only below the oldest running transaction).
 */
export interface EventLog {
  /** Up to `limit` committed events after `after` (`''`: from the first), in log order. */
  readEventLog(after: EventLogCursor, limit: number): Promise<EventLogPage>;
  /**
   * Makes `holder` the consumer `name`'s holder for `leaseMs`, unless another holder's lease is still running
   * (then `undefined`). A new name starts at the log's beginning (`from: 'start'`) or after everything
   * committed so far (`'now'`). Each successful claim gets a higher `fence` than the previous one.
   */
  claimConsumer(claim: ConsumerClaimRequest): Promise<ConsumerClaim | undefined>;
  /** Extends the lease by `leaseMs` from now; false when the fence is no longer the consumer's (taken over). */
  renewConsumer(name: string, fence: number, leaseMs: number): Promise<boolean>;
  /** Ends the lease now so another instance may claim at once; nothing happens when the fence is stale. */
  releaseConsumer(name: string, fence: number): Promise<void>;
  /**
   * Records that the consumer handled everything up to `cursor`. Fenced: false (and nothing written) when the
   * fence is no longer the consumer's. Never moves the checkpoint backwards: an older cursor is ignored.
   */
  saveCheckpoint(name: string, fence: number, cursor: EventLogCursor): Promise<boolean>;
  /**
   * Records (or replaces) the dead letter of one event for a consumer; `retryRequested` goes back to false.
   * Fenced like `saveCheckpoint`.
   */
  addDeadLetter(name: string, fence: number, letter: NewDeadLetter): Promise<boolean>;
  /** Removes an event's dead letter after its handler succeeded on a retry. Fenced like `saveCheckpoint`. */
  removeDeadLetter(name: string, fence: number, eventId: string): Promise<boolean>;
  /** The consumer's dead letters, oldest event first. */
  listDeadLetters(name: string): Promise<readonly DeadLetter[]>;
  /**
   * Every consumer name the store has seen, by name: its holder and lease, its checkpoint, how many committed
   * events lie after the checkpoint (`lag`) and how many dead letters it has. For operators (`kyc.listConsumers`).
   */
  listConsumers(): Promise<readonly ConsumerStatus[]>;
  /** Marks a dead letter for one more delivery by the consumer's holder; false when there is none. */
  requestDeadLetterRetry(name: string, eventId: string): Promise<boolean>;
  /**
   * Calls `onAppend` soon after events were committed, as a wake-up for readers (PostgreSQL: `LISTEN/NOTIFY`
   * across processes). Best effort: readers still poll. Returns a function that stops the calls.
   */
  watchEventLog(onAppend: () => void): () => void;
}

/**
 * A position in the event log, opaque outside the store that made it: pass back what `readEventLog`
 * answered. `''` is before the first event.
 */
export type EventLogCursor = string;

/** One committed event and its place in the log. */
export interface LoggedEvent {
  /** Read on after this to get the events that follow. */
  readonly cursor: EventLogCursor;
  /** The event, as `listEvents` answers it. */
  readonly event: KycEvent;
}

/** What `readEventLog` answers. */
export interface EventLogPage {
  /** In log order; fewer than asked for when the reader has caught up. */
  readonly events: readonly LoggedEvent[];
  /**
   * True when events were committed that cannot be read yet because an older transaction is still running
   * (they follow it in the log): read again shortly.
   */
  readonly pending: boolean;
}

/** What `claimConsumer` takes. */
export interface ConsumerClaimRequest {
  /** The consumer's name, shared by every instance running it. */
  readonly name: string;
  /** Who claims (random per running consumer); for operators and logs. */
  readonly holder: string;
  /** How long the lease runs unless renewed. */
  readonly leaseMs: number;
  /** Where a consumer name seen for the first time starts. */
  readonly from: 'start' | 'now';
}

/** A successful claim: the holder's fence token and where to read on. */
export interface ConsumerClaim {
  /** Pass to every write while holding; a takeover invalidates it. */
  readonly fence: number;
  /** The stored checkpoint: read after this. */
  readonly cursor: EventLogCursor;
}

/** What a consumer records when an event's handler kept failing. */
export interface NewDeadLetter {
  /** The event's id. */
  readonly eventId: string;
  /** The customer the event belongs to. */
  readonly customerId: string;
  /** The event's place in the log. */
  readonly cursor: EventLogCursor;
  /** The class or code of the last error (e.g. `TypeError`, `provider_error`): no free text. */
  readonly errorCode: string;
  /** A message free of personal data (never the raw text of an error that is not a `KycError`). */
  readonly errorMessage: string;
  /** How many times the handler failed on it. */
  readonly attempts: number;
  /** When the last attempt failed (ISO 8601). */
  readonly failedAt: string;
}

/** An event whose handler kept failing for one consumer, from `kyc.listDeadLetters`. */
export interface DeadLetter extends NewDeadLetter {
  /** The event itself. */
  readonly event: KycEvent;
  /** True after `kyc.retryDeadLetter`, until the consumer has delivered it again. */
  readonly retryRequested: boolean;
}

/** One durable consumer as the store sees it, from `kyc.listConsumers`. */
export interface ConsumerStatus {
  /** The consumer's name. */
  readonly name: string;
  /** The last instance that claimed it (random per running consumer). */
  readonly holder: string;
  /** When its lease runs out (ISO 8601, store clock); in the past when no instance holds it. */
  readonly leaseUntil: string;
  /** True while the lease runs, by the store's clock: an instance is consuming. */
  readonly leased: boolean;
  /** Its checkpoint, a cursor of this store: everything up to here was handled. */
  readonly cursor: EventLogCursor;
  /** Committed events after the checkpoint: how far it is behind the head of the log. */
  readonly lag: number;
  /** How many dead letters it has (`kyc.listDeadLetters`). */
  readonly deadLetters: number;
}
