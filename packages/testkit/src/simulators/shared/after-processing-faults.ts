import { createFaultInjector, type FaultInjector } from './fault-injection.js';
import type { SimulatorHandler } from './simulator-server.js';

/**
 * Faults applied AFTER the handler ran (the server pipeline applies the usual
 * ones before). They model a response lost on the way back: the provider did
 * the work, the caller saw a 5xx or timed out. That is what idempotency keys
 * and lookup-before-recreate exist for. A connection reset is not supported
 * (the response is already decided).
 */
export interface AfterProcessingFaults {
  /** Where the faults are injected (`injectFault`, `clearFaults`). */
  readonly injector: FaultInjector;
  /** Runs the handler, then applies a matching fault: optional delay, then the fault's answer instead of the real one. */
  wrap(handler: SimulatorHandler): SimulatorHandler;
  /** Ends pending delays at once (on shutdown) so no timer outlives the server. */
  releaseDelays(): void;
}

/** Creates the after-processing faults of one simulator; wrap its API handler with `wrap`. */
export function createAfterProcessingFaults(): AfterProcessingFaults {
  const injector = createFaultInjector();
  const pending = new Map<NodeJS.Timeout, () => void>();

  return {
    injector,
    wrap: (handler) => async (request) => {
      const response = await handler(request);
      const fault = injector.take(request);
      if (!fault) return response;
      if (fault.latencyMs > 0) await delay(fault.latencyMs);
      return fault.response ?? response;
    },
    releaseDelays() {
      for (const [timer, resolve] of pending) {
        clearTimeout(timer);
        resolve();
      }
      pending.clear();
    },
  };

  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(timer);
        resolve();
      }, ms);
      pending.set(timer, resolve);
    });
  }
}
