import { matchPath, splitPath, type Route, type SimulatorRequest } from './simulator-http.js';

/**
 * A simulator serves exactly its provider's contract (`shared/providers/*.md`),
 * and its route table IS that contract. Any other request — an unknown path,
 * an undocumented method on a documented path, an undocumented `?command=` —
 * is a contract violation: a real server may answer it with 404, so an adapter
 * that depends on it breaks in production. The server pipeline checks every
 * request against the table before faults or handlers run (so a fault cannot
 * hide one) and records what it finds in the request log, where the
 * conformance suite reads it.
 */

/** What was wrong with one request, as the contract check reports it. */
export interface ContractViolationDetails {
  /** Method and path template in the contract's notation: `GET /v1/clients/{clientId}/addresses`. */
  readonly route: string;
  /** Why it is not allowed, e.g. `the contract documents no such path`. */
  readonly reason: string;
}

/** Checks one request against a documented route table; `undefined` when the contract documents it. */
export type SimulatorContract = (request: Pick<SimulatorRequest, 'method' | 'path' | 'query'>) => ContractViolationDetails | undefined;

/** The contract made of these routes (usually the table given to `createRouter`). */
export function contractOf(routes: readonly Route[]): SimulatorContract {
  return (request) => checkAgainstRoutes(routes, request);
}

/** See {@link contractOf}. */
export function checkAgainstRoutes(
  routes: readonly Route[],
  request: Pick<SimulatorRequest, 'method' | 'path' | 'query'>,
): ContractViolationDetails | undefined {
  const method = request.method.toUpperCase();
  const onPath = routes.filter((candidate) => matchPath(candidate.pattern, request.path) !== undefined);
  if (onPath.length === 0) {
    return { route: `${method} ${displayPattern(templateFor(request.path, routes))}`, reason: 'the contract documents no such path' };
  }
  const documented = onPath.find((candidate) => candidate.method === method);
  if (documented === undefined) {
    const methods = [...new Set(onPath.map((candidate) => candidate.method))].join(', ');
    return { route: `${method} ${displayPattern(onPath[0]!.pattern)}`, reason: `the contract documents only ${methods} on this path` };
  }
  const operation = documented.contract?.operation;
  if (operation === undefined) return undefined;

  const value = request.query[operation.parameter];
  const route = `${method} ${displayPattern(documented.pattern)}?${operation.parameter}=${value ?? ''}`;
  if (value !== undefined && operation.values.includes(value)) return undefined;
  if (value !== undefined && (operation.backOfficeValues ?? []).includes(value)) {
    return { route, reason: "documented for the provider's back office only: a platform never calls it" };
  }
  const known = [...operation.values, ...(operation.backOfficeValues ?? [])].join('|');
  return { route, reason: `the contract documents only ${operation.parameter}=${known} here` };
}

/** `/v1/clients/:clientId` → `/v1/clients/{clientId}`, as the contract pages write paths. */
export function displayPattern(pattern: string): string {
  return pattern.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/**
 * A template for a path no route matches, so that violations of one kind read
 * the same whatever the ids: each segment sitting where a documented route
 * with the same leading segments has a `:param` becomes that param, e.g.
 * `/v1/clients/42/notes` → `/v1/clients/:clientId/notes`.
 */
function templateFor(path: string, routes: readonly Route[]): string {
  const segments = splitPath(path);
  const patterns = routes.map((candidate) => splitPath(candidate.pattern));
  const template = segments.map((segment, index) => {
    const aligned = patterns.filter(
      (pattern) => pattern.length > index && pattern.slice(0, index).every((part, j) => part.startsWith(':') || part === segments[j]),
    );
    if (aligned.some((pattern) => pattern[index] === segment)) return segment;
    return aligned.find((pattern) => pattern[index]!.startsWith(':'))?.[index] ?? segment;
  });
  return `/${template.join('/')}`;
}
