/**
 * Called after every clock move with the new time. Simulators use it to run work
 * that became due (reviews finishing, tokens expiring) and return a promise for
 * any side effects (webhook deliveries) that `advance()` should wait for.
 */
export type ClockListener = (now: Date) => void | Promise<void>;

/**
 * Simulated time. It starts at the real time of creation and then stands still:
 * it only moves through `advance` / `set`. That makes expiry and review timing
 * deterministic and lets a test jump two hours ahead in microseconds.
 */
export interface SimulatorClock {
  /** The current simulated time. */
  now(): Date;
  /** `now()` as epoch milliseconds. */
  nowMs(): number;
  /** Moves time forward by `ms` and resolves once listeners (and their webhooks) are done. */
  advance(ms: number): Promise<void>;
  /** Jumps to an absolute time (may go backwards) and runs listeners like `advance`. */
  set(date: Date | number | string): Promise<void>;
  /** Registers a listener; returns an unsubscribe function. */
  onChange(listener: ClockListener): () => void;
}

/** Options of `createSimulatorClock`. */
export interface CreateSimulatorClockOptions {
  /** Starting time; defaults to the real current time. */
  readonly start?: Date | number | string;
}

/** A simulated clock that starts at `options.start` (default: now) and only moves on `advance` / `set`. */
export function createSimulatorClock(options: CreateSimulatorClockOptions = {}): SimulatorClock {
  let currentMs = options.start === undefined ? Date.now() : toEpochMs(options.start);
  const listeners = new Set<ClockListener>();

  // Listeners run one after another so due work is processed in a stable order.
  async function notify(): Promise<void> {
    const at = new Date(currentMs);
    for (const listener of [...listeners]) await listener(at);
  }

  return {
    now: () => new Date(currentMs),
    nowMs: () => currentMs,
    async advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`clock.advance(ms) needs a finite ms >= 0, got ${ms}`);
      currentMs += ms;
      await notify();
    },
    async set(date) {
      currentMs = toEpochMs(date);
      await notify();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function toEpochMs(value: Date | number | string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new RangeError(`invalid clock time: ${String(value)}`);
  return ms;
}
