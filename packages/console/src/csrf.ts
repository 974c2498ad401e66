import { ConfigurationError } from '@openkyc/core';

/**
 * CSRF protection without server-side sessions: a signed double-submit token. Each browser gets a random value
 * in an HttpOnly, SameSite=Strict cookie; every form carries HMAC(secret, that value). A POST passes only with
 * both, matching, and not from another site (`Sec-Fetch-Site`). A page elsewhere can neither read the cookie
 * nor compute the token, and a cookie planted by a sibling subdomain is useless without the secret.
 */
export interface CsrfGuard {
  /** The token for this browser's forms, and the cookie to set when it has none yet. */
  issue(request: Request): Promise<{ readonly token: string; readonly setCookie?: string }>;
  /** Whether a POST carries a valid token for its cookie and comes from this site. */
  verify(request: Request, formToken: string | null): Promise<boolean>;
}

/** The console's own cookie; it is not a credential (see `hasCredentials`). */
export const CSRF_COOKIE = 'okc_csrf';
/** The form field every console form posts its token in. */
export const CSRF_FIELD = 'csrf';
const MIN_SECRET_LENGTH = 32;

/** A guard signing with `secret` (default: random, per process); the cookie is scoped to `cookiePath`. */
export function csrfGuard(secret: string | undefined, cookiePath: string): CsrfGuard {
  if (secret !== undefined && secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigurationError(`csrfSecret must be at least ${MIN_SECRET_LENGTH} characters; use a random value.`, [
      { path: ['csrfSecret'], code: 'too_short', message: `at least ${MIN_SECRET_LENGTH} characters` },
    ]);
  }
  const key = crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret ?? randomToken()),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );

  return {
    async issue(request) {
      const existing = readCookie(request, CSRF_COOKIE);
      const value = existing !== undefined && COOKIE_VALUE.test(existing) ? existing : undefined;
      const cookieValue = value ?? randomToken();
      const token = toBase64Url(new Uint8Array(await crypto.subtle.sign('HMAC', await key, new TextEncoder().encode(cookieValue))));
      if (value !== undefined) return { token };
      const secure = new URL(request.url).protocol === 'https:' ? '; Secure' : '';
      return { token, setCookie: `${CSRF_COOKIE}=${cookieValue}; Path=${cookiePath}; HttpOnly; SameSite=Strict${secure}` };
    },
    async verify(request, formToken) {
      const site = request.headers.get('sec-fetch-site');
      if (site !== null && site !== 'same-origin' && site !== 'none') return false;
      const cookieValue = readCookie(request, CSRF_COOKIE);
      if (cookieValue === undefined || !COOKIE_VALUE.test(cookieValue) || formToken === null) return false;
      const signature = fromBase64Url(formToken);
      if (signature === undefined) return false;
      // HMAC verify compares in constant time.
      return crypto.subtle.verify('HMAC', await key, signature, new TextEncoder().encode(cookieValue));
    },
  };
}

/** The value of one cookie in the request's `Cookie` header. */
export function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Every cookie name in the request's `Cookie` header. */
export function cookieNames(request: Request): string[] {
  return (request.headers.get('cookie') ?? '')
    .split(';')
    .map((part) => part.split('=')[0]!.trim())
    .filter((name) => name !== '');
}

const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

function randomToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return undefined;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
