import { createFaultInjector, type FaultInjector, type FaultSpec } from '../shared/fault-injection.js';
import type { SimulatorHandler } from '../shared/simulator-server.js';
import { faultBody } from './clients-command-errors.js';

/**
 * Fault presets in Fineract's envelope, and faults applied AFTER the handler
 * ran (the shared server only applies them before). The latter model a
 * response lost on the way back — the client was created, but the caller saw
 * a 503 or timed out — which is what the contract's
 * `GET /v1/clients?externalId=…` lookup is for.
 */

/** Where a preset applies; defaults to every API path, any method, once. */
export interface ClientsCommandFaultTarget {
  readonly method?: string;
  readonly path?: string | RegExp;
  readonly times?: number;
  readonly latencyMs?: number;
}

const ANY_API_PATH = /^\//;

/** 429 `error.msg.too.many.requests` with `Retry-After: <seconds>` (default 1). */
export function clientsCommandRateLimitFault(options: ClientsCommandFaultTarget & { readonly retryAfterSeconds?: number } = {}): FaultSpec {
  return {
    ...target(options),
    status: 429,
    headers: { 'Retry-After': String(options.retryAfterSeconds ?? 1) },
    body: faultBody(429),
  };
}

/** A 5xx (default 500 `error.msg.platform.server.side.error`; 503 `…service.unavailable`). */
export function clientsCommandServerErrorFault(options: ClientsCommandFaultTarget & { readonly status?: number } = {}): FaultSpec {
  const status = options.status ?? 500;
  if (!Number.isInteger(status) || status < 500 || status > 599) throw new RangeError(`server error status must be 5xx, got ${status}`);
  return { ...target(options), status, body: faultBody(status) };
}

/** A status fault without a body gets the Fineract envelope for its status. */
export function withFineractBody(spec: FaultSpec): FaultSpec {
  return spec.status !== undefined && spec.status >= 400 && spec.body === undefined && spec.reset !== true ? { ...spec, body: faultBody(spec.status) } : spec;
}

export interface AfterProcessingFaults {
  readonly injector: FaultInjector;
  /** Runs the handler, then applies a matching fault: optional delay, then the fault's answer instead of the real one. */
  wrap(handler: SimulatorHandler): SimulatorHandler;
  /** Ends pending delays at once (on shutdown) so no timer outlives the server. */
  releaseDelays(): void;
}

export function createAfterProcessingFaults(): AfterProcessingFaults {
  const injector = createFaultInjector();
  const pending = new Map<NodeJS.Timeout, () => void>();

  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(timer);
        resolve();
      }, ms);
      pending.set(timer, resolve);
    });
  }

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
}

function target(options: ClientsCommandFaultTarget): FaultSpec {
  return {
    server: 'api',
    path: options.path ?? ANY_API_PATH,
    ...(options.method === undefined ? {} : { method: options.method }),
    ...(options.times === undefined ? {} : { times: options.times }),
    ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
  };
}
