import type { KycLogger } from '../logging/logger.js';
import type { KycEvent, KycEventType } from '../models/events.js';

/**
 * An event handler. It runs after the event was committed; a handler that throws or rejects is logged and
 * never breaks the call that caused the event.
 */
export type KycEventHandler<E extends KycEvent> = (event: E) => void | Promise<void>;

export interface EventBus {
  on<T extends KycEventType>(type: T, handler: KycEventHandler<Extract<KycEvent, { type: T }>>): () => void;
  subscribe(handler: KycEventHandler<KycEvent>): () => void;
  /** Calls handlers in order; a failing handler is logged and never breaks the caller (e.g. webhook handling). */
  publish(events: readonly KycEvent[]): void;
}

/** Delivers events only after they were committed, so a handler never sees a change that was rolled back. */
export function createEventBus(logger: KycLogger): EventBus {
  // One list in registration order: `on` and `subscribe` handlers run in the order they were added.
  const handlers = new Set<{ readonly type: KycEventType | undefined; readonly handler: KycEventHandler<KycEvent> }>();

  return {
    on(type, handler) {
      const entry = { type, handler: handler as KycEventHandler<KycEvent> };
      handlers.add(entry);
      return () => handlers.delete(entry);
    },
    subscribe(handler) {
      const entry = { type: undefined, handler };
      handlers.add(entry);
      return () => handlers.delete(entry);
    },
    publish(events) {
      if (handlers.size === 0) return;
      for (const event of events) {
        for (const entry of [...handlers]) {
          if (entry.type === undefined || entry.type === event.type) call(entry.handler, event);
        }
      }
    },
  };

  function call(handler: KycEventHandler<KycEvent>, event: KycEvent): void {
    try {
      const result = handler(event);
      if (result instanceof Promise) result.catch((error: unknown) => report(error, event));
    } catch (error) {
      report(error, event);
    }
  }

  function report(error: unknown, event: KycEvent): void {
    logger.error(
      { eventId: event.id, eventType: event.type, customerId: event.customerId, error: describe(error) },
      'event handler failed',
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : 'non-error thrown';
}
