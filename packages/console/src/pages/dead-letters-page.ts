import type { DeadLetter } from '@openkyc/core';
import { CSRF_FIELD } from '../csrf.js';
import { html, type Html } from '../html.js';
import { layout, time } from './layout.js';
import { customerPath, deadLettersPath, type PageContext } from './page-context.js';

/** The outcome of a retry, shown once above the list (from the redirect's query string). */
export type RetryNotice = { readonly kind: 'done'; readonly eventId: string } | { readonly kind: 'failed'; readonly code: string };

/**
 * `/consumers/:name/dead-letters`: the events whose handler kept failing for one consumer, oldest first, each
 * with a "Retry" action. The error summary is the dead letter's own: a code and a message free of personal data
 * by contract (never the raw text of an error that is not a `KycError`).
 */
export async function deadLettersPage(ctx: PageContext, consumer: string, notice?: RetryNotice): Promise<string> {
  const letters = await ctx.kyc.listDeadLetters(consumer);
  const content = html`
${notice && noticeBox(notice)}
<div class="row"><h1>Dead letters of <code>${consumer}</code></h1><span class="muted">${letters.length} ${letters.length === 1 ? 'event' : 'events'}</span></div>
${letters.length === 0 ? html`<p>No dead letters: every event reached this consumer's handler.</p>` : table(ctx, consumer, letters)}`;
  return layout(ctx, `Dead letters of ${consumer}`, content);
}

function table(ctx: PageContext, consumer: string, letters: readonly DeadLetter[]): Html {
  const rows = letters.map(
    (letter) => html`<tr><td class="mono">${letter.eventId}</td><td><code>${letter.event.type}</code></td>
<td><a href="${ctx.link(customerPath(letter.customerId))}">${letter.event.reference}</a></td><td class="n">${letter.attempts}</td><td>${time(letter.failedAt)}</td>
<td><code>${letter.errorCode}</code> ${letter.errorMessage}</td><td>${retryCell(ctx, consumer, letter)}</td></tr>`,
  );
  return html`<table id="dead-letters"><thead><tr><th>Event</th><th>Type</th><th>Customer</th><th class="n">Attempts</th><th>Failed at</th><th>Last error</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
}

function retryCell(ctx: PageContext, consumer: string, letter: DeadLetter): Html {
  if (letter.retryRequested) return html`<span class="muted">retry requested</span>`;
  return html`<form method="post" action="${ctx.link(`${deadLettersPath(consumer)}/${encodeURIComponent(letter.eventId)}/retry`)}">
<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrfToken}"><button type="submit">Retry</button></form>`;
}

function noticeBox(notice: RetryNotice): Html {
  if (notice.kind === 'done') {
    return html`<p class="notice" role="status">Retry requested for <code>${notice.eventId}</code>: the consumer's running instance delivers it again; it leaves this list when the handler succeeds.</p>`;
  }
  return html`<p class="notice failed" role="alert">Retry failed (<code>${notice.code}</code>); nothing changed. The log has the details.</p>`;
}
