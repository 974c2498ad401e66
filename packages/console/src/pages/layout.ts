import { html, type Html } from '../html.js';
import { CONSOLE_CSS } from '../style.js';
import type { PageContext } from './page-context.js';

/** The frame of every page: header with navigation and search, then the page's content. No script. */
export function layout(ctx: Pick<PageContext, 'link'>, title: string, content: Html, query = ''): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · openkyc console</title>
<link rel="icon" href="${ctx.link('/favicon.svg')}" type="image/svg+xml">
<style>${rawCss}</style>
</head>
<body>
<header>
<strong>openkyc console</strong>
<nav><a href="${ctx.link('/')}">Overview</a><a href="${ctx.link('/customers')}">Customers</a><a href="${ctx.link('/parked')}">Parked webhooks</a><a href="${ctx.link('/audit')}">Audit</a></nav>
<form method="get" action="${ctx.link('/customers')}" role="search">
<input type="search" name="q" value="${query}" placeholder="reference, customer id or provider id" aria-label="Search customers">
<button type="submit">Search</button>
</form>
</header>
<main>
${content}
</main>
</body>
</html>
`.__html;
}

/** A customer status as a badge. */
export function statusBadge(status: string): Html {
  return html`<span class="status s-${status}">${status}</span>`;
}

/** An ISO timestamp, shortened for reading (the full value in the title). */
export function time(iso: string | undefined): Html {
  if (iso === undefined) return html`<span class="muted">—</span>`;
  return html`<time datetime="${iso}" title="${iso}">${iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}</time>`;
}

/** How long ago `iso` was, in the two largest units (`3 d 4 h`, `12 min`, `40 s`); `—` in the future or unreadable. */
export function age(iso: string, now: number): string {
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const units: [string, number][] = [['d', 86_400_000], ['h', 3_600_000], ['min', 60_000], ['s', 1_000]];
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0 || (parts.length === 0 && unit === 's')) parts.push(`${count} ${unit}`);
    else if (parts.length > 0) break;
    rest -= count * size;
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

// The stylesheet is ours, constant and free of `<`: it goes in verbatim, so its CSP hash matches.
const rawCss: Html = { __html: CONSOLE_CSS };

/** The console's icon, served at `/favicon.svg` so the browser asks for nothing outside the console. */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b5cad"/><path d="M4 8.5l2.5 2.5L12 5.5" stroke="#fff" stroke-width="2" fill="none"/></svg>';
