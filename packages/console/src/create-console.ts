import { ConfigurationError, NotFoundError } from '@openkyc/core';
import { hasCredentials } from './access.js';
import type { ConsoleOptions, OpsConsole } from './console-options.js';
import { CSRF_FIELD, csrfGuard } from './csrf.js';
import { htmlResponse, redirect, securityHeaders, textResponse } from './http/responses.js';
import { personalDataView } from './mask.js';
import { customerPage, type ActionNotice } from './pages/customer-page.js';
import { customersPage, parseCustomersQuery } from './pages/customers-page.js';
import { FAVICON_SVG } from './pages/layout.js';
import { overviewPage } from './pages/overview-page.js';
import { customerPath, linkBuilder, type PageContext } from './pages/page-context.js';
import { refreshAction } from './refresh-action.js';

/**
 * Creates the operator console: one Web `Request → Response` handler serving, under `basePath`,
 * `/` (overview), `/customers?q=` (search and listing) and `/customers/:id` (a customer's timeline), plus the
 * POST action `/customers/:id/refresh`. Every request passes `authorize` first; every POST needs the page's
 * CSRF token; every response carries a strict Content-Security-Policy. Throws `ConfigurationError` when
 * `authorize` is missing or `basePath` is not a plain path.
 */
export function createConsole(options: ConsoleOptions): OpsConsole {
  if (typeof options.authorize !== 'function') {
    throw new ConfigurationError('createConsole needs `authorize(request)`: the console has no open default.', [
      { path: ['authorize'], code: 'required', message: 'a function answering whether the request may see the console' },
    ]);
  }
  const basePath = normalizeBasePath(options.basePath);
  const csrf = csrfGuard(options.csrfSecret, basePath === '' ? '/' : basePath);
  const personal = personalDataView(options.showPersonalData === true);
  const link = linkBuilder(basePath);
  const { kyc } = options;

  return {
    async fetch(request) {
      try {
        return await answer(request);
      } catch (error) {
        kyc.logger.error({ errorName: error instanceof Error ? error.name : typeof error }, 'console request failed');
        return textResponse(500, 'Internal error; the log has the details.');
      }
    },
  };

  async function answer(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = pathUnder(url.pathname, basePath);
    if (path === undefined) return textResponse(404, 'Not found');
    if (!(await options.authorize(request))) return refuse(request);

    const route = matchRoute(path);
    if (route === undefined) return textResponse(404, 'Not found');
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    if (method !== route.method) return textResponse(405, 'Method not allowed', { allow: route.method === 'GET' ? 'GET, HEAD' : 'POST' });

    const response = await dispatch(route, request, url);
    return request.method === 'HEAD' ? new Response(null, { status: response.status, headers: response.headers }) : response;
  }

  async function dispatch(route: Route, request: Request, url: URL): Promise<Response> {
    switch (route.name) {
      case 'favicon':
        return new Response(FAVICON_SVG, { headers: await securityHeaders({ 'content-type': 'image/svg+xml', 'cache-control': 'max-age=86400' }) });
      case 'overview':
        return page(request, (ctx) => overviewPage(ctx));
      case 'customers': {
        const query = parseCustomersQuery(url.searchParams);
        if (query === undefined) return textResponse(400, 'Unknown status filter');
        return page(request, (ctx) => customersPage(ctx, query));
      }
      case 'customer': {
        const customer = await findCustomer(route.customerId);
        if (customer === undefined) return textResponse(404, 'No such customer');
        const notice = noticeFrom(url.searchParams);
        return page(request, (ctx) => customerPage(ctx, customer, notice));
      }
      case 'refresh':
        return refresh(request, route.customerId);
    }
  }

  /** A rendered page, with this browser's CSRF token in its forms (and the cookie set on first visit). */
  async function page(request: Request, render: (ctx: PageContext) => Promise<string>): Promise<Response> {
    const { token, setCookie } = await csrf.issue(request);
    const body = await render({ kyc, personal, csrfToken: token, link });
    return htmlResponse(200, body, setCookie === undefined ? {} : { 'set-cookie': setCookie });
  }

  async function refresh(request: Request, customerId: string): Promise<Response> {
    const form = await readForm(request);
    if (form === undefined) return textResponse(413, 'Form too large');
    if (!(await csrf.verify(request, form.get(CSRF_FIELD)))) {
      return textResponse(403, 'Invalid or missing CSRF token: reload the page and try again.');
    }
    const customer = await findCustomer(customerId);
    if (customer === undefined) return textResponse(404, 'No such customer');
    const operator = await options.operator?.(request);
    const entry = await refreshAction(kyc, customer, operator, options.audit);
    const notice = entry.outcome === 'ok' ? { done: 'refresh' } : { failed: entry.errorCode };
    return redirect(link(customerPath(customer.id), notice));
  }

  async function findCustomer(customerId: string) {
    try {
      return await kyc.getCustomer(customerId);
    } catch (error) {
      if (NotFoundError.isInstance(error)) return undefined;
      throw error;
    }
  }

  function refuse(request: Request): Promise<Response> {
    if (hasCredentials(request)) return textResponse(403, 'Forbidden');
    const challenge = options.wwwAuthenticate ?? 'Basic realm="openkyc console", charset="UTF-8"';
    return textResponse(401, 'Sign in to see the openkyc console.', challenge === false ? {} : { 'www-authenticate': challenge });
  }
}

// --- routing -----------------------------------------------------------------

type Route =
  | { readonly name: 'overview' | 'customers' | 'favicon'; readonly method: 'GET' }
  | { readonly name: 'customer'; readonly method: 'GET'; readonly customerId: string }
  | { readonly name: 'refresh'; readonly method: 'POST'; readonly customerId: string };

function matchRoute(path: string): Route | undefined {
  if (path === '' || path === '/') return { name: 'overview', method: 'GET' };
  if (path === '/customers') return { name: 'customers', method: 'GET' };
  if (path === '/favicon.svg') return { name: 'favicon', method: 'GET' };
  const customer = /^\/customers\/([^/]+)(\/refresh)?$/.exec(path);
  if (customer === null) return undefined;
  const customerId = decodeSegment(customer[1]!);
  if (customerId === undefined) return undefined;
  return customer[2] === undefined ? { name: 'customer', method: 'GET', customerId } : { name: 'refresh', method: 'POST', customerId };
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The part of `pathname` under `basePath`, or `undefined` when the request is not for the console. */
function pathUnder(pathname: string, basePath: string): string | undefined {
  if (basePath === '') return pathname;
  if (pathname === basePath) return '';
  return pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length) : undefined;
}

/** `''` for the root, else `/segment[/segment…]` without a trailing slash. */
function normalizeBasePath(basePath: string | undefined): string {
  const trimmed = (basePath ?? '').replace(/\/+$/, '');
  if (trimmed === '') return '';
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(trimmed)) {
    throw new ConfigurationError(`basePath must be a plain path such as '/ops' (letters, digits, '.', '_', '~', '-').`, [
      { path: ['basePath'], code: 'invalid_base_path', message: "a path such as '/ops'" },
    ]);
  }
  return trimmed;
}

/** The notice a redirect after an action asked for. */
function noticeFrom(params: URLSearchParams): ActionNotice | undefined {
  const done = params.get('done');
  if (done !== null) return { kind: 'done', action: done };
  const failed = params.get('failed');
  return failed === null ? undefined : { kind: 'failed', code: failed };
}

const MAX_FORM_BYTES = 8 * 1024;

/** A url-encoded form body, or `undefined` when it is larger than a console form can be. */
async function readForm(request: Request): Promise<URLSearchParams | undefined> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_FORM_BYTES) return undefined;
  const text = await request.text();
  if (text.length > MAX_FORM_BYTES) return undefined;
  const type = request.headers.get('content-type') ?? '';
  return type.startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(text) : new URLSearchParams();
}
