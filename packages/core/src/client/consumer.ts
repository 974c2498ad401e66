import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../errors.js';
import type { KycLogger } from '../logging/logger.js';
import type { KycInstruments } from '../telemetry/kyc-telemetry.js';
import type { CustomerStore } from '../store/customer-store.js';
import type { DeadLetter, EventLogCursor, LoggedEvent } from '../store/event-log.js';
import { resolveConsumeOptions, type ConsumeOptions, type ConsumerHandler, type ResolvedConsumeOptions } from './consumer-options.js';
import { describeHandlerError } from './dead-letter-error.js';
import { createWaker, type Waker } from './waker.js';

/** A running durable consumer, from `kyc.consume`. */
export interface Consumer {
  /** The consumer's name. */
  readonly name: string;
  /**
   * Stops after the event being handled (a retry wait is cut short and that event is not passed), saves the
   * checkpoint and releases the name so another instance can take over at once.
   */
  stop(): Promise<void>;
}

/** The durable-delivery part of the client: `consume`, `listDeadLetters`, `retryDeadLetter`. */
export interface Consumers {
  consume(name: string, handler: ConsumerHandler, options?: ConsumeOptions): Consumer;
  listDeadLetters(name: string): Promise<readonly DeadLetter[]>;
  retryDeadLetter(name: string, eventId: string): Promise<void>;
}

/**
 * Durable named consumers over the store's event log. One instance at a time holds a name (a lease in the
 * store, renewed every third of `leaseMs`; a dead holder's lease runs out and another instance claims it,
 * with a higher fence, so the old holder's writes are refused). The holder reads a batch after its
 * checkpoint, hands each event to the handler in log order (which keeps each customer's order), retries a
 * failing event with jittered backoff without passing it, turns it into a dead letter after `maxAttempts`
 * failures, and saves the checkpoint after the batch. Wake-ups come from the store (`watchEventLog`:
 * LISTEN/NOTIFY on PostgreSQL); polling every `pollIntervalMs` is the fallback.
 */
export function createConsumers(store: CustomerStore, logger: KycLogger, instruments: KycInstruments): Consumers {
  /** Wakers of the consumers running in this process, by name: `retryDeadLetter` wakes them. */
  const running = new Map<string, Set<Waker>>();

  return {
    consume(name, handler, options = {}) {
      const resolved = resolveConsumeOptions(name, handler, options);
      const waker = createWaker();
      let wakers = running.get(name);
      if (wakers === undefined) {
        wakers = new Set();
        running.set(name, wakers);
      }
      wakers.add(waker);
      const run = new ConsumerRun(store, logger, instruments, name, handler, resolved, waker);
      const done = run.loop().finally(() => wakers.delete(waker));
      return {
        name,
        async stop() {
          run.stop();
          await done;
        },
      };
    },
    listDeadLetters(name) {
      return store.listDeadLetters(name);
    },
    async retryDeadLetter(name, eventId) {
      if (!(await store.requestDeadLetterRetry(name, eventId))) {
        throw new NotFoundError(`Consumer '${name}' has no dead letter for event '${eventId}'; see kyc.listDeadLetters('${name}').`);
      }
      for (const waker of running.get(name) ?? []) waker.wake({ deadLetters: true });
    },
  };
}

// --- one running consumer ---------------------------------------------------------

type Delivery = 'handled' | 'dead_letter' | 'interrupted';

class ConsumerRun {
  private readonly holder = randomUUID();
  private stopped = false;
  /** The fence of the current claim, or undefined while not holding. */
  private fence: number | undefined;
  private lastRenewed = 0;

  constructor(
    private readonly store: CustomerStore,
    private readonly logger: KycLogger,
    private readonly instruments: KycInstruments,
    private readonly name: string,
    private readonly handler: ConsumerHandler,
    private readonly options: ResolvedConsumeOptions,
    private readonly waker: Waker,
  ) {}

  stop(): void {
    this.stopped = true;
    this.waker.interrupt();
  }

  /** Claims the name, holds it until stopped or taken over, claims again. Never rejects. */
  async loop(): Promise<void> {
    const unwatch = this.store.watchEventLog(() => this.waker.wake());
    try {
      while (!this.stopped) {
        try {
          const claim = await this.store.claimConsumer({ name: this.name, holder: this.holder, leaseMs: this.options.leaseMs, from: this.options.from });
          if (claim === undefined) {
            // Another instance holds the name: look again, so a dead holder is replaced within its lease time.
            await this.waker.wait(jittered(Math.min(this.options.pollIntervalMs, this.options.leaseMs / 4)));
            continue;
          }
          this.logger.info({ consumer: this.name, fence: claim.fence }, 'consumer claimed its name');
          await this.hold(claim.fence, claim.cursor);
        } catch (error) {
          this.logger.warn({ consumer: this.name, error: describeHandlerError(error).code }, 'consumer store call failed; trying again');
          this.fence = undefined;
          await this.waker.wait(jittered(this.options.pollIntervalMs));
        }
      }
    } finally {
      unwatch();
    }
  }

  /** Works while holding `fence`: batches of events, dead-letter retries, checkpoints. */
  private async hold(fence: number, checkpoint: EventLogCursor): Promise<void> {
    this.fence = fence;
    this.lastRenewed = Date.now();
    const heartbeat = setInterval(() => void this.renew(fence), Math.max(10, Math.floor(this.options.leaseMs / 3)));
    let cursor = checkpoint;
    let saved = checkpoint;
    // Retry requests are looked for on claiming, at once when made in this process, and at least every
    // poll interval otherwise (another instance may have made one).
    let deadLettersCheckedAt = 0;
    try {
      while (this.holds(fence)) {
        if (this.waker.take('deadLetters') || Date.now() - deadLettersCheckedAt >= this.options.pollIntervalMs) {
          deadLettersCheckedAt = Date.now();
          await this.retryDeadLetters(fence);
        }
        const page = await this.store.readEventLog(cursor, this.options.batchSize);
        this.instruments.recordConsumerPosition(this.name, page.events[0]?.event.at);
        for (const logged of page.events) {
          this.instruments.recordConsumerPosition(this.name, logged.event.at);
          const delivery = await this.deliver(fence, logged);
          if (delivery === 'interrupted') break;
          cursor = logged.cursor;
        }
        // Handled a short batch to its end: caught up (no lag until the next event).
        if (page.events.length < this.options.batchSize && cursor === page.events.at(-1)?.cursor) this.instruments.recordConsumerPosition(this.name, undefined);
        if (cursor !== saved && this.fence === fence) {
          if (!(await this.store.saveCheckpoint(this.name, fence, cursor))) break; // taken over
          saved = cursor;
        }
        if (page.events.length === this.options.batchSize) continue;
        // Caught up: wait for a wake-up (a commit, a retry request) or poll. Events behind a running
        // transaction are looked at again shortly.
        await this.waker.wait(page.pending ? 20 : jittered(this.options.pollIntervalMs));
      }
    } finally {
      clearInterval(heartbeat);
      if (this.fence === fence && this.stopped) {
        this.fence = undefined;
        await this.store.releaseConsumer(this.name, fence).catch(() => undefined);
      }
      if (this.fence === fence) this.fence = undefined;
    }
  }

  /** Hands one event to the handler until it succeeds or has failed `maxAttempts` times. */
  private async deliver(fence: number, logged: LoggedEvent, previousAttempts = 0): Promise<Delivery> {
    const event = logged.event;
    for (let attempt = 1; ; attempt++) {
      if (!this.holds(fence)) return 'interrupted';
      try {
        await this.handler(event);
        return 'handled';
      } catch (error) {
        const described = describeHandlerError(error, this.options.describeError);
        const context = { consumer: this.name, eventId: event.id, eventType: event.type, customerId: event.customerId, attempt, errorCode: described.code };
        if (attempt >= this.options.maxAttempts) {
          const letter = { eventId: event.id, customerId: event.customerId, cursor: logged.cursor, errorCode: described.code, errorMessage: described.message, attempts: previousAttempts + attempt, failedAt: new Date().toISOString() };
          if (!(await this.store.addDeadLetter(this.name, fence, letter))) return 'interrupted';
          this.instruments.deadLetters.add(1, { 'openkyc.consumer': this.name });
          this.logger.error(context, 'consumer handler kept failing; the event is now a dead letter');
          return 'dead_letter';
        }
        this.logger.warn(context, 'consumer handler failed; retrying');
        const delay = jittered(Math.min(this.options.maxRetryDelayMs, this.options.retryDelayMs * 2 ** (attempt - 1)));
        await this.waker.wait(delay, true);
      }
    }
  }

  /** Delivers the dead letters `kyc.retryDeadLetter` asked for again. */
  private async retryDeadLetters(fence: number): Promise<void> {
    const letters = (await this.store.listDeadLetters(this.name)).filter((letter) => letter.retryRequested);
    for (const letter of letters) {
      const delivery = await this.deliver(fence, { cursor: letter.cursor, event: letter.event }, letter.attempts);
      if (delivery === 'interrupted') return;
      if (delivery === 'handled') await this.store.removeDeadLetter(this.name, fence, letter.eventId);
    }
  }

  private holds(fence: number): boolean {
    return !this.stopped && this.fence === fence;
  }

  private async renew(fence: number): Promise<void> {
    if (this.fence !== fence) return;
    try {
      if (await this.store.renewConsumer(this.name, fence, this.options.leaseMs)) {
        this.lastRenewed = Date.now();
        return;
      }
      this.lose(fence, 'taken over');
    } catch {
      // The store is unreachable: the lease may run out meanwhile; past it, another instance may hold the name.
      if (Date.now() - this.lastRenewed >= this.options.leaseMs) this.lose(fence, 'lease not renewed in time');
    }
  }

  private lose(fence: number, reason: string): void {
    if (this.fence !== fence) return;
    this.fence = undefined;
    this.logger.warn({ consumer: this.name, fence, reason }, 'consumer lost its name');
    this.waker.interrupt();
  }
}

/** Between half and all of `ms`, so instances retrying together spread out. */
function jittered(ms: number): number {
  return Math.round(ms / 2 + Math.random() * (ms / 2));
}
