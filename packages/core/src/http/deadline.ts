/**
 * Time budgets for one client call: a total deadline (all attempts and the
 * sleeps between them) and abortable sleeps. Uses the monotonic clock, so a
 * wall-clock jump cannot stretch or cut a deadline.
 */

/** The reason a `Deadline`'s signal is aborted with; recognise it with `isDeadlineReason`. */
export interface DeadlineReason {
  readonly kind: 'openkyc.deadline';
  readonly deadlineMs: number;
}

export function isDeadlineReason(value: unknown): value is DeadlineReason {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'openkyc.deadline';
}

export class Deadline {
  readonly deadlineMs: number;
  readonly signal: AbortSignal;
  readonly #startedAt: number;
  readonly #controller = new AbortController();
  /** What the signal aborts with; also thrown by callers that notice the deadline first. */
  readonly reason: DeadlineReason;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Starts counting now. Call `dispose()` when the call ends so no timer is left behind. */
  constructor(deadlineMs: number) {
    this.deadlineMs = deadlineMs;
    this.signal = this.#controller.signal;
    this.#startedAt = performance.now();
    const reason: DeadlineReason = { kind: 'openkyc.deadline', deadlineMs };
    this.reason = reason;
    this.#timer = setTimeout(() => this.#controller.abort(reason), deadlineMs);
  }

  /** Milliseconds left, never negative. */
  remaining(): number {
    return Math.max(0, this.deadlineMs - this.elapsed());
  }

  elapsed(): number {
    return performance.now() - this.#startedAt;
  }

  get expired(): boolean {
    return this.signal.aborted || this.remaining() <= 0;
  }

  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/**
 * Resolves after `ms`, or rejects with the reason of the first of `signals`
 * that aborts (immediately if one already has). Leaves no listener or timer behind.
 */
export function sleep(ms: number, signals: readonly (AbortSignal | undefined)[] = []): Promise<void> {
  const active = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  const aborted = active.find((signal) => signal.aborted);
  if (aborted) return Promise.reject(aborted.reason);
  if (ms <= 0) return Promise.resolve();

  return new Promise<void>((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      for (const signal of active) signal.removeEventListener('abort', onAbort);
    };
    const onAbort = (event: Event): void => {
      cleanup();
      reject((event.target as AbortSignal).reason);
    };
    const timer = setTimeout(() => {
      cleanup();
      resolve();
    }, ms);
    for (const signal of active) signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * One AbortController that aborts when any of `signals` does (with that
 * signal's reason). `dispose()` detaches it so long-lived signals (an
 * application-wide shutdown signal, say) do not accumulate listeners.
 */
export function linkSignals(signals: readonly (AbortSignal | undefined)[]): {
  controller: AbortController;
  dispose: () => void;
} {
  const controller = new AbortController();
  const active = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  const onAbort = (event: Event): void => {
    if (!controller.signal.aborted) controller.abort((event.target as AbortSignal).reason);
  };
  const dispose = (): void => {
    for (const signal of active) signal.removeEventListener('abort', onAbort);
  };
  for (const signal of active) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener('abort', onAbort, { once: true });
  }
  if (controller.signal.aborted) dispose();
  return { controller, dispose };
}
