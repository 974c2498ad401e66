import { ConfigurationError, NotFoundError, type ParkedWebhookReplay } from '@openkyc/core';
import { hasCredentials } from './access.js';
import type { ConsoleOptions, OpsConsole } from './console-options.js';
import { CSRF_FIELD, csrfGuard } from './csrf.js';
import { htmlResponse, redirect, securityHeaders, textResponse } from './http/responses.js';
import { personalDataView } from './mask.js';
import { customerPage, type ActionNotice } from './pages/customer-page.js';
import { customersPage, parseCustomersQuery } from './pages/customers-page.js';
import { deadLettersPage, type RetryNotice } from './pages/dead-letters-page.js';
import { parkedPage, type ApplyParkedNotice } from './pages/parked-page.js';
import { applyParkedAction, replayParkedAction, retryDeadLetterAction } from './durable-actions.js';
import { auditPage } from './pages/audit-page.js';
import { FAVICON_SVG } from './pages/layout.js';
import { overviewPage } from './pages/overview-page.js';
import { customerPath, deadLettersPath, linkBuilder, type PageContext } from './pages/page-context.js';
import { refreshAction } from './refresh-action.js';

/**
 * Creates the operator console: one Web `Request → Response` handler serving, under `basePath`,
 * `/` (overview), `/customers?q=` (search and listing), `/customers/:id` (a customer's timeline), `/parked`
 * (the webhook inbox), `/audit` (the audit trail) and `/consumers/:name/dead-letters`, plus the POST actions `/customers/:id/refresh`,
 * `/parked/apply` and `/consumers/:name/dead-letters/:eventId/retry`. Every request passes `authorize` first;
 * every POST needs the page's CSRF token; every response carries a strict Content-Security-Policy. Throws
 * `ConfigurationError` when `authorize` is missing or `basePath` is not a plain path.
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
  const now = () => (options.now?.() ?? new Date()).getTime();

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
      case 'parked':
        return page(request, (ctx) => parkedPage(ctx, applyParkedNoticeFrom(url.searchParams)));
      case 'apply-parked':
        return action(request, async (operator) => {
          const entry = await applyParkedAction(kyc, operator, options.audit);
          const notice = entry.outcome === 'ok' ? { applied: String(entry.applied), waiting: String(entry.waiting) } : { failed: entry.errorCode };
          return redirect(link('/parked', notice));
        });
      case 'replay-parked':
        return action(request, async (operator, form) => {
          const provider = form.get('provider');
          const dedupeKey = form.get('dedupeKey');
          if (provider === null || provider === '' || dedupeKey === null || dedupeKey === '') return textResponse(400, 'Which delivery? The form needs provider and dedupeKey.');
          const entry = await replayParkedAction(kyc, provider, dedupeKey, operator, options.audit);
          const notice = entry.outcome === 'ok' ? { replayed: entry.result, key: dedupeKey, customer: entry.customerId } : { failed: entry.errorCode };
          return redirect(link('/parked', notice));
        });
      case 'audit':
        return page(request, (ctx) => auditPage(ctx));
      case 'dead-letters':
        return page(request, (ctx) => deadLettersPage(ctx, route.consumer, retryNoticeFrom(url.searchParams)));
      case 'retry-dead-letter':
        return action(request, async (operator) => {
          const entry = await retryDeadLetterAction(kyc, route.consumer, route.eventId, operator, options.audit);
          const notice = entry.outcome === 'ok' ? { retried: entry.eventId } : { failed: entry.errorCode };
          return redirect(link(deadLettersPath(route.consumer), notice));
        });
    }
  }

  /** A rendered page, with this browser's CSRF token in its forms (and the cookie set on first visit). */
  async function page(request: Request, render: (ctx: PageContext) => Promise<string>): Promise<Response> {
    const { token, setCookie } = await csrf.issue(request);
    const body = await render({ kyc, personal, csrfToken: token, link, now });
    return htmlResponse(200, body, setCookie === undefined ? {} : { 'set-cookie': setCookie });
  }

  /** A POST action: the form's CSRF token checked first (403, nothing done, when it fails), then `run`. */
  async function action(request: Request, run: (operator: string | undefined, form: URLSearchParams) => Promise<Response>): Promise<Response> {
    const form = await readForm(request);
    if (form === undefined) return textResponse(413, 'Form too large');
    if (!(await csrf.verify(request, form.get(CSRF_FIELD)))) {
      return textResponse(403, 'Invalid or missing CSRF token: reload the page and try again.');
    }
    return run(await options.operator?.(request), form);
  }

  function refresh(request: Request, customerId: string): Promise<Response> {
    return action(request, async (operator) => {
      const customer = await findCustomer(customerId);
      if (customer === undefined) return textResponse(404, 'No such customer');
      const entry = await refreshAction(kyc, customer, operator, options.audit);
      const notice = entry.outcome === 'ok' ? { done: 'refresh' } : { failed: entry.errorCode };
      return redirect(link(customerPath(customer.id), notice));
    });
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
  | { readonly name: 'overview' | 'customers' | 'favicon' | 'parked' | 'audit'; readonly method: 'GET' }
  | { readonly name: 'apply-parked' | 'replay-parked'; readonly method: 'POST' }
  | { readonly name: 'customer'; readonly method: 'GET'; readonly customerId: string }
  | { readonly name: 'refresh'; readonly method: 'POST'; readonly customerId: string }
  | { readonly name: 'dead-letters'; readonly method: 'GET'; readonly consumer: string }
  | { readonly name: 'retry-dead-letter'; readonly method: 'POST'; readonly consumer: string; readonly eventId: string };

function matchRoute(path: string): Route | undefined {
  if (path === '' || path === '/') return { name: 'overview', method: 'GET' };
  if (path === '/customers') return { name: 'customers', method: 'GET' };
  if (path === '/favicon.svg') return { name: 'favicon', method: 'GET' };
  if (path === '/parked') return { name: 'parked', method: 'GET' };
  if (path === '/parked/apply') return { name: 'apply-parked', method: 'POST' };
  if (path === '/parked/replay') return { name: 'replay-parked', method: 'POST' };
  if (path === '/audit') return { name: 'audit', method: 'GET' };
  const deadLetters = /^\/consumers\/([^/]+)\/dead-letters(?:\/([^/]+)\/retry)?$/.exec(path);
  if (deadLetters !== null) {
    const consumer = decodeSegment(deadLetters[1]!);
    if (consumer === undefined) return undefined;
    if (deadLetters[2] === undefined) return { name: 'dead-letters', method: 'GET', consumer };
    const eventId = decodeSegment(deadLetters[2]);
    return eventId === undefined ? undefined : { name: 'retry-dead-letter', method: 'POST', consumer, eventId };
  }
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

/** The notice after a dead letter's retry. */
function retryNoticeFrom(params: URLSearchParams): RetryNotice | undefined {
  const retried = params.get('retried');
  if (retried !== null) return { kind: 'done', eventId: retried };
  const failed = params.get('failed');
  return failed === null ? undefined : { kind: 'failed', code: failed };
}

/** The notice after "apply parked deliveries" or "apply" on one delivery. */
function applyParkedNoticeFrom(params: URLSearchParams): ApplyParkedNotice | undefined {
  const replayed = params.get('replayed');
  if (isReplayResult(replayed)) {
    const customerId = params.get('customer');
    return { kind: 'replayed', result: replayed, dedupeKey: params.get('key') ?? '', ...(customerId === null ? {} : { customerId }) };
  }
  const applied = Number(params.get('applied'));
  const waiting = Number(params.get('waiting'));
  if (params.has('applied') && Number.isSafeInteger(applied) && Number.isSafeInteger(waiting)) return { kind: 'done', applied, waiting };
  const failed = params.get('failed');
  return failed === null ? undefined : { kind: 'failed', code: failed };
}

function isReplayResult(value: string | null): value is ParkedWebhookReplay['outcome'] {
  return value === 'applied' || value === 'already_applied' || value === 'waiting' || value === 'not_parked';
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
