import { matchPath, type SimulatorRequest } from './simulator-http.js';

/**
 * A fault to apply to matching requests instead of (or before) the normal
 * handler. Combine fields: `latencyMs` alone delays then runs the handler;
 * `latencyMs` + `status` delays then answers; `reset` drops the connection.
 */
export interface FaultSpec {
  /** Only this method (any method when absent). */
  readonly method?: string;
  /** Exact path, a `:param` pattern (`/v1/customers/:id`), or a RegExp tested against the path. */
  readonly path: string | RegExp;
  /** Only requests received by this server (`'api'`, `'storage'`); any server when absent. */
  readonly server?: string;
  /** Only requests whose query has each of these parameters with exactly this value (e.g. `{ command: 'verify' }`). */
  readonly query?: Readonly<Record<string, string>>;
  /** Answer with this status instead of running the handler. */
  readonly status?: number;
  /**
   * Response body; objects and arrays are sent as JSON. A function computes it
   * from the faulted request (e.g. an error that echoes what was sent, see `echo-faults.ts`).
   */
  readonly body?: FaultBody | ((request: SimulatorRequest) => FaultBody);
  /** Response headers (e.g. `Retry-After`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Wait this long before answering / resetting / running the handler. */
  readonly latencyMs?: number;
  /** Destroy the socket without a response (client sees a connection reset). */
  readonly reset?: boolean;
  /**
   * Apply the fault AFTER the handler ran: the provider did the work (created the record, moved the
   * status), then the caller gets the fault's status instead of the real answer, or — with `reset` —
   * the connection drops before the answer. That is a lost response, what idempotency keys and
   * lookup-before-recreate exist for. `latencyMs` then delays the answer rather than the work.
   */
  readonly afterProcessing?: boolean;
  /** How many matching requests the fault applies to (default 1; `Infinity` for always). */
  readonly times?: number;
}

/** A fault's response body: text, bytes, or a value sent as JSON. */
export type FaultBody = string | Uint8Array | Record<string, unknown> | readonly unknown[];

/** Handle returned by `injectFault`, to check consumption or cancel early. */
export interface InjectedFault {
  /** Unique per injector, in injection order. */
  readonly id: number;
  /** The fault as injected. */
  readonly spec: FaultSpec;
  /** Matching requests still to be faulted. */
  readonly remaining: number;
  /** How many requests this fault has hit so far. */
  readonly hits: number;
  /** Removes the fault before it is used up. */
  cancel(): void;
}

export interface InjectedFaultResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
}

/** What the server must do for one faulted request. */
export interface FaultAction {
  readonly latencyMs: number;
  readonly reset: boolean;
  /** Run the handler first, then apply the fault (see `FaultSpec.afterProcessing`). */
  readonly afterProcessing: boolean;
  /** Absent for latency-only faults: the normal handler then runs. */
  readonly response?: InjectedFaultResponse;
}

/** Per-route faults a simulator's server pipeline applies before its handlers. */
export interface FaultInjector {
  /** Adds a fault; it applies to the next `spec.times` matching requests. */
  injectFault(spec: FaultSpec): InjectedFault;
  /** Removes every fault. */
  clearFaults(): void;
  /** Active (not yet consumed) faults, oldest first. */
  faults(): InjectedFault[];
  /** Consumes one use of the first matching fault (oldest first) and returns what to do. */
  take(request: SimulatorRequest): FaultAction | undefined;
}

/** Faults live outside the handlers so every simulator gets them for free from the server pipeline. */
export function createFaultInjector(): FaultInjector {
  let active: MutableFault[] = [];
  let nextId = 1;

  function remove(fault: MutableFault): void {
    active = active.filter((candidate) => candidate !== fault);
  }

  return {
    injectFault(spec) {
      const fault: MutableFault = { id: nextId++, spec, remaining: spec.times ?? 1, hits: 0 };
      if (fault.remaining > 0) active.push(fault);
      return {
        id: fault.id,
        spec,
        get remaining() {
          return fault.remaining;
        },
        get hits() {
          return fault.hits;
        },
        cancel: () => remove(fault),
      };
    },
    clearFaults() {
      active = [];
    },
    faults: () =>
      active.map((fault) => ({
        id: fault.id,
        spec: fault.spec,
        remaining: fault.remaining,
        hits: fault.hits,
        cancel: () => remove(fault),
      })),
    take(request) {
      const fault = active.find((candidate) => faultMatches(candidate.spec, request));
      if (!fault) return undefined;
      fault.remaining -= 1;
      fault.hits += 1;
      if (fault.remaining <= 0) remove(fault);
      return toAction(fault.spec, request);
    },
  };
}

interface MutableFault {
  readonly id: number;
  readonly spec: FaultSpec;
  remaining: number;
  hits: number;
}

function faultMatches(spec: FaultSpec, request: Pick<SimulatorRequest, 'server' | 'method' | 'path' | 'query'>): boolean {
  if (spec.server !== undefined && spec.server !== request.server) return false;
  if (spec.method !== undefined && spec.method.toUpperCase() !== request.method) return false;
  for (const [name, value] of Object.entries(spec.query ?? {})) if (request.query[name] !== value) return false;
  if (spec.path instanceof RegExp) {
    spec.path.lastIndex = 0; // a /g or /y RegExp is stateful; keep matching repeatable
    return spec.path.test(request.path);
  }
  return spec.path === request.path || matchPath(spec.path, request.path) !== undefined;
}

function toAction(spec: FaultSpec, request: SimulatorRequest): FaultAction {
  const base = { latencyMs: spec.latencyMs ?? 0, reset: spec.reset === true, afterProcessing: spec.afterProcessing === true };
  if (spec.reset || spec.status === undefined) return base;
  return { ...base, response: toResponse(spec, spec.status, request) };
}

function toResponse(spec: FaultSpec, status: number, request: SimulatorRequest): InjectedFaultResponse {
  const headers: Record<string, string> = {};
  const value = typeof spec.body === 'function' ? spec.body(request) : spec.body;
  let body: string | Uint8Array | undefined;
  if (typeof value === 'string' || value instanceof Uint8Array) {
    body = value;
  } else if (value !== undefined) {
    body = JSON.stringify(value);
    headers['content-type'] = 'application/json';
  }
  for (const [name, value] of Object.entries(spec.headers ?? {})) headers[name.toLowerCase()] = value;
  return { status, headers, ...(body === undefined ? {} : { body }) };
}

/** Where a fault preset applies; defaults to every path of the `api` server, any method, once. */
export interface FaultTarget {
  /** Only this method (any when absent). */
  readonly method?: string;
  /** Exact path, `:param` pattern or RegExp (every path when absent). */
  readonly path?: string | RegExp;
  /** How many matching requests it applies to (default 1). */
  readonly times?: number;
  /** Wait this long before answering. */
  readonly latencyMs?: number;
}

/** The `FaultSpec` fields of a preset's target (server `api`, any path unless given). */
export function faultTarget(options: FaultTarget): FaultSpec {
  return {
    server: 'api',
    path: options.path ?? /^\//,
    ...(options.method === undefined ? {} : { method: options.method }),
    ...(options.times === undefined ? {} : { times: options.times }),
    ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
  };
}
