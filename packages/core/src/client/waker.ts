/** A sleep that a consumer can be woken from early. */
export interface Waker {
  /**
   * Resolves after `ms`, or earlier on `interrupt()`, and, unless `onlyInterrupt`, on `wake()` (including one
   * that came while not waiting).
   */
  wait(ms: number, onlyInterrupt?: boolean): Promise<'woken' | 'timeout'>;
  /** Ends the current wait (new events, a retry request); `flags` stay set until taken. */
  wake(flags?: { readonly deadLetters?: boolean }): void;
  /** Ends every wait, a retry backoff too (stop, lost lease). */
  interrupt(): void;
  /** Whether `wake` set this flag since it was last taken; clears it. */
  take(flag: 'deadLetters'): boolean;
}

/** A `Waker` with no pending wake-up. */
export function createWaker(): Waker {
  let pending = false;
  let deadLetters = false;
  let current: { readonly end: (how: 'woken' | 'timeout') => void; readonly onlyInterrupt: boolean } | undefined;

  return {
    wait(ms, onlyInterrupt = false) {
      if (!onlyInterrupt && pending) {
        pending = false;
        return Promise.resolve('woken');
      }
      return new Promise((resolve) => {
        const timer = setTimeout(() => end('timeout'), ms);
        const end = (how: 'woken' | 'timeout') => {
          clearTimeout(timer);
          current = undefined;
          resolve(how);
        };
        current = { end, onlyInterrupt };
      });
    },
    wake(flags = {}) {
      if (flags.deadLetters === true) deadLetters = true;
      if (current !== undefined && !current.onlyInterrupt) {
        pending = false;
        current.end('woken');
      } else {
        pending = true;
      }
    },
    interrupt() {
      pending = true;
      current?.end('woken');
    },
    take() {
      const was = deadLetters;
      deadLetters = false;
      return was;
    },
  };
}
