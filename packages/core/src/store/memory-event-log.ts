import { ValidationError } from '../errors.js';
import type { KycEvent } from '../models/events.js';
import type { ConsumerStatus, DeadLetter, EventLog, LoggedEvent, NewDeadLetter } from './event-log.js';

/** `memoryStore`'s event log, fed by its commits through `register` and `appended`. */
export interface MemoryEventLog extends EventLog {
  /** The log's number for a customer, given once per customer (the store keeps it with the customer). */
  register(customerId: string): number;
  /** Records the `count` events the customer with this log number just gained, after those it had. */
  appended(slot: number, count: number): void;
}

/**
 * The event log of the in-process store. Commits run one at a time in one process, so the log is simply
 * append order and a cursor is the position (`'3'`: the first three events were read). Each entry is a
 * customer's log number and an index into that customer's history, in two typed arrays: 8 bytes per event
 * (figure 4 of the bench counts every byte a customer costs). Events are decoded from the customer's record
 * when read, so `forget` scrubs them here too. Leases use the process clock: every holder lives in this
 * process.
 */
export function memoryEventLog(eventsOf: (customerId: string) => readonly KycEvent[], now: () => number = Date.now): MemoryEventLog {
  /** Log number → customer id, and how many of its events the log holds. */
  const customerIds: string[] = [];
  const totals = new GrowableUint32();
  /** Position - 1 → the customer's log number, and the event's index in its history. */
  const slots = new GrowableUint32();
  const indexes = new GrowableUint32();
  const consumers = new Map<string, ConsumerState>();
  const deadLetters = new Map<string, Map<string, StoredDeadLetter>>();
  const listeners = new Set<() => void>();

  const eventAt = (position: number, cache = new Map<string, readonly KycEvent[]>()): KycEvent => {
    const customerId = customerIds[slots.at(position - 1)]!;
    let events = cache.get(customerId);
    if (events === undefined) {
      events = eventsOf(customerId);
      cache.set(customerId, events);
    }
    return events[indexes.at(position - 1)]!;
  };
  const holding = (name: string, fence: number): ConsumerState | undefined => {
    const state = consumers.get(name);
    return state?.fence === fence ? state : undefined;
  };

  return {
    register(customerId) {
      customerIds.push(customerId);
      totals.push(0);
      return customerIds.length - 1;
    },
    appended(slot, count) {
      const first = totals.at(slot);
      for (let offset = 0; offset < count; offset++) {
        slots.push(slot);
        indexes.push(first + offset);
      }
      totals.set(slot, first + count);
      // After the commit has returned: a listener reading at once sees the events.
      if (listeners.size > 0) queueMicrotask(() => listeners.forEach((listener) => listener()));
    },
    async readEventLog(after, limit) {
      const start = positionOf(after);
      const end = Math.min(slots.length, start + Math.max(0, limit));
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
      const claimed = state ?? { cursor: from === 'now' ? slots.length : 0, fence: 0, holder, leaseUntil: 0 };
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
    async listConsumers() {
      const at = now();
      return [...consumers.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, state]): ConsumerStatus => ({
          name,
          holder: state.holder,
          leaseUntil: new Date(state.leaseUntil).toISOString(),
          leased: state.leaseUntil > at,
          cursor: String(state.cursor),
          lag: slots.length - state.cursor,
          deadLetters: deadLetters.get(name)?.size ?? 0,
        }));
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
    if (!Number.isSafeInteger(position) || position < 0 || position > slots.length) {
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

/** A list of unsigned 32-bit numbers in one typed array, grown by half when full. */
class GrowableUint32 {
  private data = new Uint32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Uint32Array(Math.ceil(this.data.length * 1.5));
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  at(index: number): number {
    return this.data[index]!;
  }

  set(index: number, value: number): void {
    this.data[index] = value;
  }
}
