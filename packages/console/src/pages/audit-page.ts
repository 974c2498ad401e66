import type { AuditEntry } from '@openkyc/core';
import { html, type Html } from '../html.js';
import { layout, time } from './layout.js';
import { customerPath, type PageContext } from './page-context.js';

/** How many entries the audit page lists, newest first. */
const AUDIT_PAGE_LIMIT = 200;

/**
 * `/audit`: the store's audit trail, newest first: every console action (and any an app records through
 * `kyc.recordAuditEntry`) with who, what, target, outcome and when. Entries hold ids and codes only, so
 * nothing here needs masking.
 */
export async function auditPage(ctx: PageContext): Promise<string> {
  const entries = await ctx.kyc.listAuditEntries({ limit: AUDIT_PAGE_LIMIT });
  const content = html`<div class="row"><h1>Audit trail</h1><span class="muted">${entries.length >= AUDIT_PAGE_LIMIT ? `the latest ${AUDIT_PAGE_LIMIT}` : `${entries.length} entries`}, newest first</span></div>
${entries.length === 0 ? html`<p>No operator action recorded yet.</p>` : auditTable(ctx, entries, true)}`;
  return layout(ctx, 'Audit trail', content);
}

/** Audit entries as a table; `withCustomer` adds the customer column (the customer page leaves it out). */
export function auditTable(ctx: PageContext, entries: readonly AuditEntry[], withCustomer: boolean): Html {
  const rows = entries.map(
    (entry) => html`<tr class="audit"><td>${time(entry.at)}</td><td>${entry.actor ?? html`<span class="muted">—</span>`}</td><td><code>${entry.action}</code></td>
${withCustomer ? html`<td>${entry.customerId === undefined ? '' : html`<a href="${ctx.link(customerPath(entry.customerId))}" class="mono">${entry.customerId}</a>`}</td>` : ''}
<td class="mono">${entry.target ?? ''}</td><td>${outcome(entry)}</td><td>${entry.detail ?? ''}</td></tr>`,
  );
  return html`<table id="audit"><thead><tr><th>At</th><th>Operator</th><th>Action</th>${withCustomer ? html`<th>Customer</th>` : ''}<th>Target</th><th>Outcome</th><th>Detail</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function outcome(entry: AuditEntry): Html {
  if (entry.outcome === 'ok') return html`ok`;
  return html`<span class="failed-outcome">failed</span>${entry.errorCode === undefined ? '' : html` <code>${entry.errorCode}</code>`}`;
}
