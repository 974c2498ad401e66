import { ConfigurationError, KycError } from '../../errors.js';
import type { KycContext } from '../kyc-context.js';
import { reconcileCustomers, type ReconcileOptions, type ReconcileResult } from './reconcile.js';

/** What `kyc.startReconciler` takes. */
export interface ReconcilerOptions {
  /** Time between the end of one round and the start of the next (milliseconds), before jitter. */
  readonly intervalMs: number;
  /**
   * Spread of each wait as a fraction of `intervalMs` (default 0.2: 80 %–120 %), so instances started
   * together do not all poll at the same moment. The first round starts after up to `jitter × intervalMs`.
   */
  readonly jitter?: number;
  /** Options of each round (`concurrency`, `leaseMs`, `all`). */
  readonly reconcile?: Omit<ReconcileOptions, 'now' | 'signal'>;
  /** Called with each round's result (e.g. for metrics). */
  readonly onRound?: (result: ReconcileResult) => void;
}

/** A running reconciler, from `kyc.startReconciler`. */
export interface Reconciler {
  /** Starts no further round, stops the current one from starting more refreshes, and resolves when it has ended. */
  stop(): Promise<void>;
}

/**
 * `kyc.startReconciler`: runs `reconcile` on a schedule with jitter. Rounds never overlap in one
 * instance; across instances the store's leases keep each due customer to one poll. A failing round is
 * logged and the next one runs as planned. The timers do not keep the process alive.
 */
export function startReconciler(ctx: KycContext, options: ReconcilerOptions): Reconciler {
  const { intervalMs, jitter } = checkOptions(options);
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let round: Promise<void> | undefined;

  const schedule = (delayMs: number): void => {
    if (controller.signal.aborted) return;
    timer = setTimeout(() => {
      timer = undefined;
      round = runRound().finally(() => {
        round = undefined;
        schedule(intervalMs * (1 - jitter + 2 * jitter * Math.random()));
      });
    }, delayMs);
    timer.unref?.();
  };

  const runRound = async (): Promise<void> => {
    try {
      const result = await reconcileCustomers(ctx, { ...options.reconcile, signal: controller.signal });
      ctx.logger.debug({ checked: result.checked, changed: result.changed, failed: result.failed.length }, 'reconcile round done');
      options.onRound?.(result);
    } catch (error) {
      ctx.logger.error({ code: KycError.isInstance(error) ? error.code : 'unknown' }, 'reconcile round failed; the next round runs as planned');
    }
  };

  schedule(intervalMs * jitter * Math.random());
  return {
    async stop() {
      controller.abort();
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await round;
    },
  };
}

function checkOptions(options: ReconcilerOptions): { intervalMs: number; jitter: number } {
  const intervalMs = options.intervalMs;
  if (typeof intervalMs !== 'number' || !Number.isFinite(intervalMs) || intervalMs < 1) {
    throw new ConfigurationError('startReconciler needs intervalMs, a number of milliseconds of at least 1 (e.g. 60_000).', [
      { path: ['intervalMs'], code: 'invalid', message: 'a number of milliseconds of at least 1' },
    ]);
  }
  const jitter = options.jitter ?? 0.2;
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) {
    throw new ConfigurationError('startReconciler jitter is a fraction of intervalMs between 0 and 1 (default 0.2).', [
      { path: ['jitter'], code: 'invalid', message: 'a number from 0 to 1' },
    ]);
  }
  return { intervalMs, jitter };
}
