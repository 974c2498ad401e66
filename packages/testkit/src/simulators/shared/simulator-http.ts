/*
 * The simulators' request and response model and their router: plain data and
 * pure functions, below everything else in shared/ (the server, the request log,
 * fault injection and the contract check all build on them).
 */

/**
 * A fully-read incoming request. Handlers get the whole body as a Buffer up
 * front: simulators need the raw bytes (uploads, signatures) and never stream.
 */
export interface SimulatorRequest {
  /** Name of the server that received it (`'api'`, `'storage'`, …). */
  readonly server: string;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Path without the query string, e.g. `/v1/customers/ckcust_1`. */
  readonly path: string;
  /** First value of each query parameter; use `searchParams` for repeated keys. */
  readonly query: Readonly<Record<string, string>>;
  /** Every query parameter, repeated keys included. */
  readonly searchParams: URLSearchParams;
  /** Lower-case header names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** The whole raw body. */
  readonly body: Buffer;
  /** `:name` segments captured by the router (empty outside the router). */
  readonly params: Readonly<Record<string, string>>;
}

/** What a handler returns. */
export interface SimulatorResponse {
  /** The HTTP status. */
  readonly status: number;
  /** Response headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The body, if any (`content-length` is set for you). */
  readonly body?: string | Uint8Array;
}

/** Answers one request of a simulator server. */
export type SimulatorHandler = (request: SimulatorRequest) => SimulatorResponse | Promise<SimulatorResponse>;

// ---------------------------------------------------------------------------
// Router

/** Answers the requests of one route. */
export type RouteHandler = (request: SimulatorRequest) => SimulatorResponse | Promise<SimulatorResponse>;

/** One method + path pattern and its handler (see `route`). */
export interface Route {
  /** HTTP method, upper case. */
  readonly method: string;
  /** `/v1/customers/:id/files` — `:name` matches one non-empty path segment. */
  readonly pattern: string;
  /** Answers the matching requests. */
  readonly handler: RouteHandler;
  /** What the provider's contract says about this route beyond method and path. */
  readonly contract?: RouteContract;
}

/** What a provider's contract says about one route beyond its method and path. */
export interface RouteContract {
  /**
   * A query parameter that selects the operation (Fineract's `?command=`): a
   * request with any other value, or without it, is not documented.
   */
  readonly operation?: {
    /** The parameter's name, e.g. `command`. */
    readonly parameter: string;
    /** The values the contract documents for platforms. */
    readonly values: readonly string[];
    /** Values the contract documents for the provider's back office only: served, but a platform calling them is a violation. */
    readonly backOfficeValues?: readonly string[];
  };
}

/** Shorthand for building a route (method, `:param` pattern, handler, contract details) for {@link createRouter}. */
export function route(method: string, pattern: string, handler: RouteHandler, contract?: RouteContract): Route {
  return { method: method.toUpperCase(), pattern, handler, ...(contract === undefined ? {} : { contract }) };
}

/**
 * Turns a route table into a handler. The first route whose method and pattern
 * match wins; captured params are added to the request. Unmatched requests go to
 * `notFound` so each simulator can answer in its provider's error format.
 */
export function createRouter(routes: readonly Route[], notFound: RouteHandler): SimulatorHandler {
  return (request) => {
    for (const candidate of routes) {
      if (candidate.method !== request.method) continue;
      const params = matchPath(candidate.pattern, request.path);
      if (params) return candidate.handler({ ...request, params });
    }
    return notFound(request);
  };
}

/** Matches `path` against a `:param` pattern; returns the decoded params or `undefined`. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const patternSegments = splitPath(pattern);
  const pathSegments = splitPath(path);
  if (patternSegments.length !== pathSegments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, patternSegment] of patternSegments.entries()) {
    const segment = pathSegments[index] ?? '';
    if (patternSegment.startsWith(':')) {
      if (segment === '') return undefined;
      params[patternSegment.slice(1)] = safeDecode(segment);
    } else if (patternSegment !== segment) {
      return undefined;
    }
  }
  return params;
}

// ---------------------------------------------------------------------------
// Body and response helpers

export type JsonBodyResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

/** Parses the body as JSON. An empty body is reported as `{ ok: true, value: undefined }`. */
export function parseJsonBody(body: Buffer): JsonBodyResult {
  if (body.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

/** A JSON response (`content-type: application/json`). */
export function jsonResponse(status: number, value: unknown, headers: Readonly<Record<string, string>> = {}): SimulatorResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

/** A text response (`text/plain` unless another type is given, e.g. XML). */
export function textResponse(status: number, text: string, contentType = 'text/plain'): SimulatorResponse {
  return { status, headers: { 'content-type': contentType }, body: text };
}

/** A response without a body. */
export function emptyResponse(status: number, headers: Readonly<Record<string, string>> = {}): SimulatorResponse {
  return { status, headers };
}

/** A path's segments without the leading and trailing slash (`/a/b/` → `['a', 'b']`). */
export function splitPath(path: string): string[] {
  return path.split('/').filter((segment, index, all) => !(segment === '' && (index === 0 || index === all.length - 1)));
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
