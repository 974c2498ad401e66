import { CONSOLE_CSS } from '../style.js';

/**
 * Every response the console sends goes through here, so each carries the same security headers: a strict
 * Content-Security-Policy (nothing loads from anywhere but the console itself, no script at all, the one
 * inline stylesheet allowed by its hash), no framing, no caching, no referrer.
 */
export async function securityHeaders(extra: Record<string, string> = {}): Promise<Headers> {
  const headers = new Headers({
    'content-security-policy': await contentSecurityPolicy(),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  });
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return headers;
}

/** An HTML page. */
export async function htmlResponse(status: number, page: string, extra: Record<string, string> = {}): Promise<Response> {
  return new Response(page, { status, headers: await securityHeaders({ 'content-type': 'text/html; charset=utf-8', ...extra }) });
}

/** `303 See Other` to a console URL (after a POST, so a reload does not repeat it). */
export async function redirect(location: string): Promise<Response> {
  return new Response(null, { status: 303, headers: await securityHeaders({ location }) });
}

/** A short plain-text answer (errors before a page can be rendered: 401, 403, 404, 405, 413). */
export async function textResponse(status: number, text: string, extra: Record<string, string> = {}): Promise<Response> {
  return new Response(`${text}\n`, { status, headers: await securityHeaders({ 'content-type': 'text/plain; charset=utf-8', ...extra }) });
}

/** The CSP, with the stylesheet's hash computed once. */
export function contentSecurityPolicy(): Promise<string> {
  policy ??= sha256Base64(CONSOLE_CSS).then((hash) =>
    [
      "default-src 'none'",
      `style-src 'sha256-${hash}'`,
      "img-src 'self'",
      "script-src 'none'",
      "connect-src 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
  );
  return policy;
}

let policy: Promise<string> | undefined;

async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let binary = '';
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary);
}
