import type { ParkedWebhook, ParkedWebhookReplay } from '@openkyc/core';
import { CSRF_FIELD } from '../csrf.js';
import { html, type Html } from '../html.js';
import { age, layout, statusBadge, time } from './layout.js';
import { customerPath, type PageContext } from './page-context.js';

/** The outcome of "apply parked deliveries", shown once above the list (from the redirect's query string). */
export type ApplyParkedNotice =
  | { readonly kind: 'done'; readonly applied: number; readonly waiting: number }
  | { readonly kind: 'replayed'; readonly result: ParkedWebhookReplay['outcome']; readonly dedupeKey: string; readonly customerId?: string }
  | { readonly kind: 'failed'; readonly code: string };

/** How many parked webhooks the page lists. */
const PARKED_PAGE_LIMIT = 500;

/**
 * `/parked`: the webhook inbox, oldest receipt first: verified deliveries for provider records no stored
 * customer has yet. A parked delivery holds the provider-neutral report only (core drops the provider's free
 * text before parking), so there is no personal data here to mask: ids, statuses and times always show. The
 * page's action applies those whose customer exists by now; each row's "Apply" does it for that delivery only.
 */
export async function parkedPage(ctx: PageContext, notice?: ApplyParkedNotice): Promise<string> {
  const parked = await ctx.kyc.listParkedWebhooks({ limit: PARKED_PAGE_LIMIT });
  const stale = parked.filter((delivery) => delivery.stale).length;
  const content = html`
${notice && noticeBox(ctx, notice)}
<div class="row"><h1>Parked webhooks</h1><span class="muted">${parked.length >= PARKED_PAGE_LIMIT ? `the oldest ${PARKED_PAGE_LIMIT}` : `${parked.length} waiting`}, ${stale} stale</span></div>
<form method="post" action="${ctx.link('/parked/apply')}">
<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrfToken}">
<button type="submit">Apply parked deliveries</button> <span class="muted">applies, exactly once, those whose customer exists by now (reconcile does it on every run too)</span>
</form>
${parked.length === 0 ? html`<p>Nothing parked: every verified webhook found its customer.</p>` : table(ctx, parked)}`;
  return layout(ctx, 'Parked webhooks', content);
}

function table(ctx: PageContext, parked: readonly ParkedWebhook[]): Html {
  const now = ctx.now();
  const rows = parked.map(
    (delivery) => html`<tr${delivery.stale ? html` class="stale"` : ''}><td>${delivery.provider}</td><td class="mono">${delivery.providerCustomerId}</td>
<td>${statusBadge(delivery.status)} <code>${delivery.rawStatus}</code></td><td>${time(delivery.occurredAt)}</td><td>${time(delivery.receivedAt)}</td>
<td class="n">${age(delivery.receivedAt, now)}${delivery.stale ? html` <span class="warn">stale</span>` : ''}</td><td class="mono">${delivery.dedupeKey}</td><td>${replayForm(ctx, delivery)}</td></tr>`,
  );
  return html`<table id="parked"><thead><tr><th>Provider</th><th>Provider customer id</th><th>Status (provider's)</th><th>Reported</th><th>Received</th><th class="n">Age</th><th>Dedupe key</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** This delivery only: applied if its customer exists by now (POST, CSRF-checked, audited). */
function replayForm(ctx: PageContext, delivery: ParkedWebhook): Html {
  return html`<form method="post" action="${ctx.link('/parked/replay')}" class="inline">
<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrfToken}"><input type="hidden" name="provider" value="${delivery.provider}"><input type="hidden" name="dedupeKey" value="${delivery.dedupeKey}">
<button type="submit" title="apply this delivery now if its customer exists">Apply</button></form>`;
}

function noticeBox(ctx: PageContext, notice: ApplyParkedNotice): Html {
  if (notice.kind === 'replayed') return replayedBox(ctx, notice);
  if (notice.kind === 'done') {
    return html`<p class="notice" role="status">Applied ${notice.applied}; ${notice.waiting} still waiting for their customer.</p>`;
  }
  return html`<p class="notice failed" role="alert">Applying parked deliveries failed (<code>${notice.code}</code>). The log has the details.</p>`;
}

function replayedBox(ctx: PageContext, notice: Extract<ApplyParkedNotice, { kind: 'replayed' }>): Html {
  const key = html`<code>${notice.dedupeKey}</code>`;
  const customer = notice.customerId === undefined ? '' : html` to <a href="${ctx.link(customerPath(notice.customerId))}">${notice.customerId}</a>`;
  switch (notice.result) {
    case 'applied':
      return html`<p class="notice" role="status">Delivery ${key} applied${customer}.</p>`;
    case 'already_applied':
      return html`<p class="notice" role="status">Delivery ${key} had been applied already${customer}; removed from the inbox.</p>`;
    case 'waiting':
      return html`<p class="notice failed" role="alert">Delivery ${key} not applied: still no customer has its provider record. It stays parked.</p>`;
    case 'not_parked':
      return html`<p class="notice failed" role="alert">Delivery ${key} is not parked (any more): nothing to apply.</p>`;
  }
}
