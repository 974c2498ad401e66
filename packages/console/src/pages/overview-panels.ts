import { CUSTOMER_STATUSES, type CustomerCounts } from '@openkyc/core';
import { html, type Html } from '../html.js';
import { statusBadge } from './layout.js';
import type { PageContext } from './page-context.js';

/**
 * The overview is a list of panels, each rendering one thing an operator checks. A new one (parked webhooks,
 * consumer lag, dead letters once the client can list them) is one more entry in `OVERVIEW_PANELS`: it gets the
 * page context and the customer counts (read once per page, shared by every panel).
 */
export interface OverviewPanel {
  /** Stable, used as the panel's element id (`panel-<id>`). */
  readonly id: string;
  /** The panel's heading. */
  readonly title: string;
  /** The panel's body. */
  render(view: OverviewView): Promise<Html> | Html;
}

/** What a panel renders from. */
export interface OverviewView extends PageContext {
  /** Customers per status and provider, and overdue reviews (one read of the store per page). */
  counts(): Promise<CustomerCounts>;
}

const customersByStatus: OverviewPanel = {
  id: 'status',
  title: 'Customers by status',
  async render(view) {
    const counts = await view.counts();
    const rows = CUSTOMER_STATUSES.map(
      (status) => html`<tr><td><a href="${view.link('/customers', { status })}">${statusBadge(status)}</a></td><td class="n">${counts.byStatus[status]}</td></tr>`,
    );
    return html`<table>${rows}<tr><th>total</th><td class="n">${counts.total}</td></tr></table>`;
  },
};

const customersByProvider: OverviewPanel = {
  id: 'provider',
  title: 'Customers by provider',
  async render(view) {
    const counts = await view.counts();
    // Configured providers first (also those without customers), then any the store still holds.
    const ids = [...new Set([...view.kyc.providers.keys(), ...Object.keys(counts.byProvider)])];
    const rows = ids.map(
      (provider) =>
        html`<tr><td><a href="${view.link('/customers', { provider })}">${provider}</a></td><td class="n">${counts.byProvider[provider] ?? 0}</td></tr>`,
    );
    return html`<table>${rows}</table>`;
  },
};

const reviewsOverdue: OverviewPanel = {
  id: 'reviews-overdue',
  title: 'Reviews overdue',
  async render(view) {
    const { reviewsOverdue: overdue } = await view.counts();
    return html`<p class="big">${overdue}</p>
<p class="muted">pending past the provider's escalation time · <a href="${view.link('/customers', { status: 'pending' })}">pending customers</a></p>`;
  },
};

/**
 * The overview's panels, in page order. Slots for the durable-delivery panels go after these: parked webhooks
 * (the webhook inbox's listing), consumer lag (`kyc.consume` checkpoints) and dead letters
 * (`kyc.listDeadLetters`, with a retry action like the customer page's refresh).
 */
export const OVERVIEW_PANELS: readonly OverviewPanel[] = [customersByStatus, customersByProvider, reviewsOverdue];
