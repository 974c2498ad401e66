import { ValidationError } from '../errors.js';
import type { KycEvent } from '../models/events.js';
import type { DeadLetter, EventLog, LoggedEvent, NewDeadLetter } from './event-log.js';

/** `memoryStore`'s event log, fed by its commits through `appended`. */
export interface MemoryEventLog extends EventLog {
  /** Records `count` events the customer's history just gained, starting at index `firstIndex` of it. */
  appended(customerId: string, firstIndex: number, count: number): void;
}

/**
 * The event log of the in-process store. Commits run one at a time in one process, so the log is simply
 * append order and a cursor is the position (`'3'`: the first three events were read). Each entry is a
 * customer id and an index into that customer's history (two plain arrays, a few bytes per event); events
 * are decoded from the customer's record when read, so `forget` scrubs them here too. Leases use the
 * process clock: every holder lives in this process.
 */
export function memoryEventLog(eventsOf: (customerId: string) => readonly KycEvent[], now: () => number = Date.now): MemoryEventLog {
  const customerIds: string[] = [];
  const indexes: number[] = [];
  const consumers = new Map<string, ConsumerState>();
  const deadLetters = new Map<string, Map<string, StoredDeadLetter>>();
  const listeners = new Set<() => void>();

  const eventAt = (position: number, cache = new Map<string, readonly KycEvent[]>()): KycEvent => {
    const customerId = customerIds[position - 1]!;
    let events = cache.get(customerId);
    if (events === undefined) {
      events = eventsOf(customerId);
      cache.set(customerId, events);
    }
    return events[indexes[position - 1]!]!;
  };
  const holding = (name: string, fence: number): ConsumerState | undefined => {
    const state = consumers.get(name);
    return state?.fence === fence ? state : undefined;
  };

  return {
    appended(customerId, firstIndex, count) {
      for (let offset = 0; offset < count; offset++) {
        customerIds.push(customerId);
        indexes.push(firstIndex + offset);
      }
      // After the commit has returned: a listener reading at once sees the events.
      if (listeners.size > 0) queueMicrotask(() => listeners.forEach((listener) => listener()));
    },
    async readEventLog(after, limit) {
      const start = positionOf(after);
      const end = Math.min(customerIds.length, start + Math.max(0, limit));
      const cache = new Map<string, readonly KycEvent[]>();
      const events: LoggedEvent[] = [];
      for (let position = start + 1; position <= end; position++) {
        events.push({ cursor: String(position), event: eventAt(position, cache) });
      }
      return { events, pending: false };
    },
    async claimConsumer({ name, holder, leaseMs, from }) {
      const at = now();
      const state = consumers.get(name);
      if (state !== undefined && state.leaseUntil > at && state.holder !== holder) return undefined;
      const claimed = state ?? { cursor: from === 'now' ? customerIds.length : 0, fence: 0, holder, leaseUntil: 0 };
      claimed.fence += 1;
      claimed.holder = holder;
      claimed.leaseUntil = at + leaseMs;
      consumers.set(name, claimed);
      return { fence: claimed.fence, cursor: String(claimed.cursor) };
    },
    async renewConsumer(name, fence, leaseMs) {
      const state = holding(name, fence);
      if (state === undefined) return false;
      state.leaseUntil = now() + leaseMs;
      return true;
    },
    async releaseConsumer(name, fence) {
      const state = holding(name, fence);
      if (state !== undefined) state.leaseUntil = 0;
    },
    async saveCheckpoint(name, fence, cursor) {
      const state = holding(name, fence);
      if (state === undefined) return false;
      state.cursor = Math.max(state.cursor, positionOf(cursor));
      return true;
    },
    async addDeadLetter(name, fence, letter) {
      if (holding(name, fence) === undefined) return false;
      let letters = deadLetters.get(name);
      if (letters === undefined) {
        letters = new Map();
        deadLetters.set(name, letters);
      }
      letters.set(letter.eventId, { ...letter, position: positionOf(letter.cursor), retryRequested: false });
      return true;
    },
    async removeDeadLetter(name, fence, eventId) {
      if (holding(name, fence) === undefined) return false;
      deadLetters.get(name)?.delete(eventId);
      return true;
    },
    async listDeadLetters(name) {
      const letters = [...(deadLetters.get(name)?.values() ?? [])].sort((a, b) => a.position - b.position);
      return letters.map(({ position, ...letter }): DeadLetter => ({ ...letter, event: eventAt(position) }));
    },
    async requestDeadLetterRetry(name, eventId) {
      const letter = deadLetters.get(name)?.get(eventId);
      if (letter === undefined) return false;
      letter.retryRequested = true;
      return true;
    },
    watchEventLog(onAppend) {
      const listener = () => onAppend();
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };

  function positionOf(cursor: string): number {
    if (cursor === '') return 0;
    const position = Number(cursor);
    if (!Number.isSafeInteger(position) || position < 0 || position > customerIds.length) {
      throw new ValidationError([
        { path: ['cursor'], code: 'unknown_cursor', message: "not a cursor of this memoryStore's event log; pass back a cursor it answered" },
      ]);
    }
    return position;
  }
}

interface ConsumerState {
  /** Events up to this position were handled. */
  cursor: number;
  fence: number;
  holder: string;
  /** Epoch milliseconds. */
  leaseUntil: number;
}

interface StoredDeadLetter extends NewDeadLetter {
  readonly position: number;
  retryRequested: boolean;
}
