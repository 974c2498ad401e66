import type { AuditEntry, Customer, IgnoredReport, KycEvent, ProcessedDelivery } from '@openkyc/core';
import { CSRF_FIELD } from '../csrf.js';
import { html, type Html } from '../html.js';
import { layout, statusBadge, time } from './layout.js';
import { customerPath, type PageContext } from './page-context.js';

/** The outcome of an action, shown once above the page (from the redirect's query string). */
export type ActionNotice = { readonly kind: 'done'; readonly action: string } | { readonly kind: 'failed'; readonly code: string };

/** How many of a customer's audit entries its page shows (newest). */
const CUSTOMER_AUDIT_LIMIT = 100;

/**
 * `/customers/:id`: the customer, its provider records and its timeline (events, ignored reports, webhook
 * deliveries, operator actions); the refresh action.
 */
export async function customerPage(ctx: PageContext, customer: Customer, notice?: ActionNotice): Promise<string> {
  const [events, deliveries, audit] = await Promise.all([
    ctx.kyc.listEvents(customer.id),
    ctx.kyc.listDeliveries(customer.id),
    ctx.kyc.listAuditEntries({ customerId: customer.id, limit: CUSTOMER_AUDIT_LIMIT }),
  ]);
  const content = html`
${notice && noticeBox(notice, customer)}
<div class="row"><h1>${customer.reference}</h1>${statusBadge(customer.status)}<span class="muted">provider status <code>${customer.rawStatus}</code></span></div>
<form method="post" action="${ctx.link(`${customerPath(customer.id)}/refresh`)}">
<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrfToken}">
<button type="submit">Refresh now</button> <span class="muted">asks ${customer.provider} for the current status and applies what changed</span>
</form>
<h2>Customer</h2>
${details(ctx, customer)}
${requirements(customer)}
${rejection(ctx, customer)}
<h2>Provider records</h2>
${attempts(customer)}
<h2>Timeline</h2>
${timeline({ events, ignored: customer.ignored, deliveries, audit })}`;
  return layout(ctx, customer.reference, content);
}

function noticeBox(notice: ActionNotice, customer: Customer): Html {
  if (notice.kind === 'done') return html`<p class="notice" role="status">Refreshed: now ${statusBadge(customer.status)}.</p>`;
  return html`<p class="notice failed" role="alert">Refresh failed (<code>${notice.code}</code>); nothing changed. The log has the details.</p>`;
}

function details(ctx: PageContext, customer: Customer): Html {
  const rows: [string, Html | string][] = [
    ['Customer id', html`<code>${customer.id}</code>`],
    ['Reference', customer.reference],
    ['Type', customer.type],
    ['Name', `${ctx.personal.name(customer.firstName)} ${ctx.personal.name(customer.lastName)}`],
    ['E-mail', ctx.personal.email(customer.email)],
    ['Provider', customer.provider],
    ['Provider customer id', html`<code>${customer.providerCustomerId}</code>`],
    ['Provider reference', html`<code>${customer.providerReference}</code>`],
    ['Submissions', String(customer.submissions)],
    ['Created', time(customer.createdAt)],
    ['Updated', time(customer.updatedAt)],
    ['Last checked at the provider', time(customer.lastCheckedAt)],
    ...(customer.status !== 'pending' || customer.pendingSince === undefined ? [] : ([['Pending since', time(customer.pendingSince)]] as [string, Html][])),
    ...(customer.reviewOverdueAt === undefined
      ? []
      : ([['Review overdue', html`${time(customer.reviewOverdueAt)} (level ${customer.reviewOverdueLevel ?? 1})`]] as [string, Html][])),
    ...(customer.forgottenAt === undefined ? [] : ([['Personal data erased', time(customer.forgottenAt)]] as [string, Html][])),
  ];
  return html`<dl>${rows.map(([term, value]) => html`<dt>${term}</dt><dd>${value}</dd>`)}</dl>`;
}

function requirements(customer: Customer): Html | undefined {
  if (customer.requirements.length === 0) return undefined;
  const items = customer.requirements.map((requirement) => html`<li><code>${requirement.kind}</code> <code>${requirement.name}</code>: ${requirement.message}</li>`);
  return html`<h2>Requirements</h2><ul>${items}</ul>`;
}

function rejection(ctx: PageContext, customer: Customer): Html | undefined {
  const found = customer.rejection;
  if (found === undefined) return undefined;
  return html`<h2>Rejection</h2><dl>
<dt>Code</dt><dd><code>${found.code}</code> ${found.retryable ? '(retryable)' : '(not retryable)'}</dd>
<dt>Message</dt><dd>${found.message}</dd>
${found.providerReason === undefined ? '' : html`<dt>Provider's reason</dt><dd>${ctx.personal.providerText(found.providerReason)}</dd>`}
</dl>`;
}

function attempts(customer: Customer): Html {
  const rows = customer.attempts.map(
    (attempt) => html`<tr><td class="n">${attempt.number}</td><td class="mono">${attempt.providerCustomerId}</td><td class="mono">${attempt.providerReference}</td>
<td>${statusBadge(attempt.status)}</td><td><code>${attempt.rawStatus}</code></td><td>${time(attempt.startedAt)}</td></tr>`,
  );
  return html`<table><thead><tr><th>#</th><th>Provider customer id</th><th>Provider reference</th><th>Status</th><th>Provider's status</th><th>Started</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** What the timeline interleaves. */
interface TimelineSources {
  readonly events: readonly KycEvent[];
  readonly ignored: readonly IgnoredReport[];
  readonly deliveries: readonly ProcessedDelivery[];
  readonly audit: readonly AuditEntry[];
}

/**
 * Events, ignored reports, committed webhook deliveries and operator actions, oldest first; an ignored
 * report says why it changed nothing.
 */
function timeline({ events, ignored, deliveries, audit }: TimelineSources): Html {
  const entries = [
    ...events.map((event) => ({ at: event.at, row: eventRow(event) })),
    ...ignored.map((report) => ({ at: report.at, row: ignoredRow(report) })),
    ...deliveries.map((delivery) => ({ at: delivery.processedAt, row: deliveryRow(delivery) })),
    ...audit.map((entry) => ({ at: entry.at, row: auditRow(entry) })),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  if (entries.length === 0) return html`<p>No events.</p>`;
  return html`<table id="timeline"><thead><tr><th>At</th><th>What</th><th>Status</th><th>Provider's status</th><th>Source</th><th>Detail</th></tr></thead><tbody>${entries.map((entry) => entry.row)}</tbody></table>`;
}

function eventRow(event: KycEvent): Html {
  const transition = event.from === null || event.from === event.to ? statusBadge(event.to) : html`${statusBadge(event.from)} → ${statusBadge(event.to)}`;
  return html`<tr class="event"><td>${time(event.at)}</td><td><code>${event.type}</code></td><td>${transition}</td>${providerStatusCell(event)}<td>${event.source}</td><td>${eventDetail(event)}</td></tr>`;
}

/** The provider's raw status of the report that caused the event; none for `review_overdue` and older events. */
function providerStatusCell(event: KycEvent): Html {
  return event.providerStatus === undefined
    ? html`<td class="muted" title="no provider report caused this event, or it was stored before openkyc recorded one">—</td>`
    : html`<td><code>${event.providerStatus}</code></td>`;
}

function eventDetail(event: KycEvent): Html | string {
  switch (event.type) {
    case 'customer.needs_info':
      return event.requirements.map((requirement) => requirement.name).join(', ');
    case 'customer.rejected':
      return html`<code>${event.rejection.code}</code>`;
    case 'customer.verified':
      return event.verificationLevel ?? '';
    case 'customer.review_overdue':
      return `level ${event.level}: ${event.action}`;
    default:
      return event.occurredAt === undefined ? '' : html`provider time ${time(event.occurredAt)}`;
  }
}

const IGNORED_REASONS: Readonly<Record<IgnoredReport['reason'], string>> = {
  stale: 'older than the last report applied',
  invalid_transition: 'the lifecycle has no way there from the current status',
  final_state: 'the customer is deactivated',
  superseded_attempt: "about an earlier attempt's provider record",
};

function ignoredRow(report: IgnoredReport): Html {
  return html`<tr class="ignored"><td>${time(report.at)}</td><td>report ignored: <code>${report.reason}</code></td><td>${statusBadge(report.status)}</td>
<td><code>${report.rawStatus}</code></td><td>${report.source}</td><td>${IGNORED_REASONS[report.reason] ?? ''} · provider time ${time(report.occurredAt)}</td></tr>`;
}

function deliveryRow(delivery: ProcessedDelivery): Html {
  return html`<tr class="delivery"><td>${time(delivery.processedAt)}</td><td>webhook delivery</td><td class="muted">—</td><td class="muted">—</td><td>${delivery.provider}</td>
<td>dedupe key <code>${delivery.dedupeKey}</code> (committed with this customer)</td></tr>`;
}

function auditRow(entry: AuditEntry): Html {
  const result =
    entry.outcome === 'ok' ? html`ok` : html`<span class="failed-outcome">failed</span>${entry.errorCode === undefined ? '' : html` <code>${entry.errorCode}</code>`}`;
  return html`<tr class="audit"><td>${time(entry.at)}</td><td>operator action: <code>${entry.action}</code></td><td class="muted">—</td><td class="muted">—</td><td>${entry.actor ?? html`<span class="muted">operator</span>`}</td>
<td>${result}${entry.detail === undefined ? '' : html` · ${entry.detail}`}${entry.target === undefined ? '' : html` · <span class="mono">${entry.target}</span>`}</td></tr>`;
}
