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
  readonly #startedAt: number;
  #controller: AbortController | undefined;
  /** What the signal aborts with; also thrown by callers that notice the deadline first. */
  readonly reason: DeadlineReason;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;

  /**
   * Starts counting now. Call `dispose()` when the call ends so no timer is left behind.
   * The timer and the signal are created on first use of `signal` only: a call whose
   * attempts bound themselves by `remaining()` never pays for them.
   */
  constructor(deadlineMs: number) {
    this.deadlineMs = deadlineMs;
    this.#startedAt = performance.now();
    this.reason = { kind: 'openkyc.deadline', deadlineMs };
  }

  /** Aborted (with `reason`) when the deadline passes. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      const controller = new AbortController();
      this.#controller = controller;
      const left = this.remaining();
      if (left <= 0) controller.abort(this.reason);
      else if (!this.#disposed) this.#timer = setTimeout(() => controller.abort(this.reason), left);
    }
    return this.#controller.signal;
  }

  /** Milliseconds left, never negative. */
  remaining(): number {
    return Math.max(0, this.deadlineMs - this.elapsed());
  }

  elapsed(): number {
    return performance.now() - this.#startedAt;
  }

  get expired(): boolean {
    return this.#controller?.signal.aborted === true || this.remaining() <= 0;
  }

  dispose(): void {
    this.#disposed = true;
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
