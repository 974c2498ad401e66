import type { ParkedWebhook } from '@openkyc/core';
import { CSRF_FIELD } from '../csrf.js';
import { html, type Html } from '../html.js';
import { age, layout, statusBadge, time } from './layout.js';
import type { PageContext } from './page-context.js';

/** The outcome of "apply parked deliveries", shown once above the list (from the redirect's query string). */
export type ApplyParkedNotice = { readonly kind: 'done'; readonly applied: number; readonly waiting: number } | { readonly kind: 'failed'; readonly code: string };

/** How many parked webhooks the page lists. */
const PARKED_PAGE_LIMIT = 500;

/**
 * `/parked`: the webhook inbox, oldest receipt first: verified deliveries for provider records no stored
 * customer has yet. A parked delivery holds the provider-neutral report only (core drops the provider's free
 * text before parking), so there is no personal data here to mask: ids, statuses and times always show. The
 * action applies those whose customer exists by now.
 */
export async function parkedPage(ctx: PageContext, notice?: ApplyParkedNotice): Promise<string> {
  const parked = await ctx.kyc.listParkedWebhooks({ limit: PARKED_PAGE_LIMIT });
  const stale = parked.filter((delivery) => delivery.stale).length;
  const content = html`
${notice && noticeBox(notice)}
<div class="row"><h1>Parked webhooks</h1><span class="muted">${parked.length >= PARKED_PAGE_LIMIT ? `the oldest ${PARKED_PAGE_LIMIT}` : `${parked.length} waiting`}, ${stale} stale</span></div>
<form method="post" action="${ctx.link('/parked/apply')}">
<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrfToken}">
<button type="submit">Apply parked deliveries</button> <span class="muted">applies, exactly once, those whose customer exists by now (reconcile does it on every run too)</span>
</form>
${parked.length === 0 ? html`<p>Nothing parked: every verified webhook found its customer.</p>` : table(parked, ctx.now())}`;
  return layout(ctx, 'Parked webhooks', content);
}

function table(parked: readonly ParkedWebhook[], now: number): Html {
  const rows = parked.map(
    (delivery) => html`<tr${delivery.stale ? html` class="stale"` : ''}><td>${delivery.provider}</td><td class="mono">${delivery.providerCustomerId}</td>
<td>${statusBadge(delivery.status)} <code>${delivery.rawStatus}</code></td><td>${time(delivery.occurredAt)}</td><td>${time(delivery.receivedAt)}</td>
<td class="n">${age(delivery.receivedAt, now)}${delivery.stale ? html` <span class="warn">stale</span>` : ''}</td><td class="mono">${delivery.dedupeKey}</td></tr>`,
  );
  return html`<table id="parked"><thead><tr><th>Provider</th><th>Provider customer id</th><th>Status (provider's)</th><th>Reported</th><th>Received</th><th class="n">Age</th><th>Dedupe key</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function noticeBox(notice: ApplyParkedNotice): Html {
  if (notice.kind === 'done') {
    return html`<p class="notice" role="status">Applied ${notice.applied}; ${notice.waiting} still waiting for their customer.</p>`;
  }
  return html`<p class="notice failed" role="alert">Applying parked deliveries failed (<code>${notice.code}</code>). The log has the details.</p>`;
}
