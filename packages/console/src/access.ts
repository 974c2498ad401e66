import { CSRF_COOKIE, cookieNames } from './csrf.js';

/**
 * Whether a refused request carried credentials: an `Authorization` header, or any cookie but the console's own
 * CSRF cookie (which proves nothing about who is asking). Without credentials the answer is `401` (sign in),
 * with them `403` (signed in, not allowed).
 */
export function hasCredentials(request: Request): boolean {
  if (request.headers.has('authorization')) return true;
  return cookieNames(request).some((name) => name !== CSRF_COOKIE);
}
