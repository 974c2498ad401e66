import type { FaultSpec } from '../simulators/shared/fault-injection.js';
import type { ConformanceRequestStep, ConformanceStepFault } from './conformance-driver.js';

/**
 * The `FaultSpec` for a driver's `retries.inject(step, fault)`, once, on the
 * next request matching the step:
 * - `server_error`: the provider's 5xx answer (`serverError`, in its own
 *   envelope), before anything is handled;
 * - `reset`: the connection drops before anything is handled;
 * - `lost_response`: the request is handled, then the connection drops
 *   before the answer (`afterProcessing`).
 *
 * ```ts
 * inject: (step, fault) => sim.injectFault(conformanceStepFault(step, fault, { status: 503, body: { error: 'unavailable' } })),
 * ```
 */
export function conformanceStepFault(
  step: ConformanceRequestStep,
  fault: ConformanceStepFault,
  serverError: Pick<FaultSpec, 'status' | 'body' | 'headers'>,
): FaultSpec {
  const target: FaultSpec = {
    method: step.method,
    path: step.path,
    ...(step.server === undefined ? {} : { server: step.server }),
    ...(step.query === undefined ? {} : { query: step.query }),
    times: 1,
  };
  switch (fault) {
    case 'server_error':
      return { ...target, ...serverError };
    case 'reset':
      return { ...target, reset: true };
    case 'lost_response':
      return { ...target, reset: true, afterProcessing: true };
  }
}
