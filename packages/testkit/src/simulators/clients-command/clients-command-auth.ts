import { timingSafeEqual } from 'node:crypto';
import type { HeaderMismatchLog } from '../shared/header-mismatches.js';
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
 * HTTP Basic plus `Fineract-Platform-TenantId` on every call, each compared
 * with the configured value.
 *
 * A missing or unknown tenant answers the contract's 401 (`Unauthenticated`),
 * the same as bad credentials. Decision: real Fineract answers an invalid
 * tenant from its authentication filter with 400 and a bare servlet error
 * page — not the contract's 400, which is reserved for request-parameter
 * validation (`validation.msg.validation.errors.exist`, one entry per bad
 * parameter). The contract documents exactly one answer for "these
 * credentials do not get in", and users belong to a tenant, so without the
 * right tenant no credentials are valid: 401, which an adapter reports as an
 * `AuthenticationError` (a configuration problem), as it should. The
 * `tenantIdentifier` query parameter Fineract also accepts is NOT honoured:
 * the contract requires the header.
 *
 * Every refusal is recorded in `mismatches` with the header it was about
 * (never its value). Returns the 401 response, or `undefined` when the
 * request may proceed.
 */
export function checkAuthentication(
  request: SimulatorRequest,
  expected: ClientsCommandCredentials,
  mismatches?: HeaderMismatchLog,
): SimulatorResponse | undefined {
  const tenant = request.headers[TENANT_HEADER];
  if (tenant === undefined || !safeEqual(tenant, expected.tenantId)) {
    mismatches?.record(request, TENANT_HEADER, tenant === undefined ? 'is missing' : 'does not match the configured tenant');
    return unauthenticated();
  }
  const credentials = parseBasic(request.headers.authorization);
  const userOk = credentials !== undefined && safeEqual(credentials.username, expected.username);
  const passwordOk = credentials !== undefined && safeEqual(credentials.password, expected.password);
  if (userOk && passwordOk) return undefined;
  mismatches?.record(request, 'authorization', credentials === undefined ? 'is not HTTP Basic' : 'does not carry the configured user and password');
  return unauthenticated();
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
