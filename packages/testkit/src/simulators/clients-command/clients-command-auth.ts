import { timingSafeEqual } from 'node:crypto';
import type { SimulatorRequest, SimulatorResponse } from '../shared/simulator-server.js';
import { unauthenticated } from './clients-command-errors.js';

/** The credentials every call must carry. */
export interface ClientsCommandCredentials {
  readonly username: string;
  readonly password: string;
  readonly tenantId: string;
}

export const TENANT_HEADER = 'fineract-platform-tenantid';

/**
 * HTTP Basic plus `Fineract-Platform-TenantId` on every call. A missing or
 * unknown tenant answers the same 401 as bad credentials: users belong to a
 * tenant, so without the right tenant no credentials can be valid. (Real
 * Fineract answers a missing tenant with a 400; the contract only documents
 * 401, and an adapter should treat both as a configuration error.) The
 * `tenantIdentifier` query parameter Fineract also accepts is NOT honoured:
 * the contract requires the header.
 *
 * Returns the 401 response, or `undefined` when the request may proceed.
 */
export function checkAuthentication(request: SimulatorRequest, expected: ClientsCommandCredentials): SimulatorResponse | undefined {
  const tenant = request.headers[TENANT_HEADER];
  if (tenant === undefined || !safeEqual(tenant, expected.tenantId)) return unauthenticated();
  const credentials = parseBasic(request.headers.authorization);
  if (!credentials) return unauthenticated();
  const userOk = safeEqual(credentials.username, expected.username);
  const passwordOk = safeEqual(credentials.password, expected.password);
  return userOk && passwordOk ? undefined : unauthenticated();
}

/** `Basic base64(user:password)` → parts; the password may contain colons. */
export function parseBasic(header: string | undefined): { username: string; password: string } | undefined {
  const match = /^Basic +([A-Za-z0-9+/]+={0,2})$/i.exec(header?.trim() ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** `Basic …` header value for the given credentials (for tests and adapters' fixtures). */
export function clientsCommandAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

function safeEqual(actual: string, expected: string): boolean {
  const a = Buffer.from(actual, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
