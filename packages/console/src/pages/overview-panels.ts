import { CUSTOMER_STATUSES, type ConsumerStatus, type CustomerCounts, type ParkedWebhook } from '@openkyc/core';
import { html, type Html } from '../html.js';
import { age, statusBadge } from './layout.js';
import { deadLettersPath } from './page-context.js';
import type { PageContext } from './page-context.js';

/**
 * The overview is a list of panels, each rendering one thing an operator checks. A new one is one more entry
 * in `OVERVIEW_PANELS`: it gets the page context and the shared reads (each made at most once per page, however
 * many panels use it).
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
  /** The durable consumers with lag and dead-letter counts (`kyc.listConsumers`, one read per page). */
  consumers(): Promise<readonly ConsumerStatus[]>;
  /** The webhook inbox, oldest first, at most `PARKED_READ_LIMIT` (one read per page). */
  parked(): Promise<readonly ParkedWebhook[]>;
}

/** How many parked webhooks the overview reads; more show as `1000+`. */
export const PARKED_READ_LIMIT = 1000;

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

const parkedWebhooks: OverviewPanel = {
  id: 'parked',
  title: 'Parked webhooks',
  async render(view) {
    const parked = await view.parked();
    const count = parked.length >= PARKED_READ_LIMIT ? `${PARKED_READ_LIMIT}+` : String(parked.length);
    const stale = parked.filter((delivery) => delivery.stale).length;
    const oldest = parked[0];
    return html`<p class="big">${count}</p>
<table><tr><td>stale (past <code>webhookInbox.staleAfterMs</code>)</td><td class="n">${stale}</td></tr>
<tr><td>oldest</td><td class="n">${oldest === undefined ? '—' : age(oldest.receivedAt, view.now())}</td></tr></table>
<p class="muted">verified deliveries waiting for their customer · <a href="${view.link('/parked')}">parked webhooks</a></p>`;
  },
};

const consumerLag: OverviewPanel = {
  id: 'consumers',
  title: 'Consumer lag',
  async render(view) {
    const consumers = await view.consumers();
    if (consumers.length === 0) return html`<p class="muted">No durable consumer (<code>kyc.consume</code>) has run on this store.</p>`;
    const rows = consumers.map(
      (consumer) => html`<tr><td class="mono">${consumer.name}</td><td>${consumer.leased ? 'running' : html`<span class="warn">stopped</span>`}</td><td class="n">${consumer.lag}</td></tr>`,
    );
    return html`<table><thead><tr><th>consumer</th><th>holder</th><th class="n">events behind</th></tr></thead><tbody>${rows}</tbody></table>`;
  },
};

const deadLetters: OverviewPanel = {
  id: 'dead-letters',
  title: 'Dead letters',
  async render(view) {
    const consumers = await view.consumers();
    const total = consumers.reduce((sum, consumer) => sum + consumer.deadLetters, 0);
    const rows = consumers.map(
      (consumer) => html`<tr><td><a class="mono" href="${view.link(deadLettersPath(consumer.name))}">${consumer.name}</a></td><td class="n">${consumer.deadLetters}</td></tr>`,
    );
    return html`<p class="big">${total}</p>${rows.length === 0 ? '' : html`<table>${rows}</table>`}
<p class="muted">events whose handler kept failing; retry them from each consumer's list</p>`;
  },
};

const recentActions: OverviewPanel = {
  id: 'audit',
  title: 'Recent operator actions',
  async render(view) {
    const entries = await view.kyc.listAuditEntries({ limit: RECENT_ACTIONS });
    if (entries.length === 0) return html`<p class="muted">None yet · <a href="${view.link('/audit')}">audit trail</a></p>`;
    const rows = entries.map(
      (entry) =>
        html`<tr><td><code>${entry.action}</code></td><td>${entry.outcome === 'ok' ? 'ok' : html`<span class="failed-outcome">${entry.errorCode ?? 'failed'}</span>`}</td><td class="n">${age(entry.at, view.now())}</td></tr>`,
    );
    return html`<table>${rows}</table><p class="muted">the store's audit trail · <a href="${view.link('/audit')}">all entries</a></p>`;
  },
};

/** How many audit entries the overview shows. */
const RECENT_ACTIONS = 5;

/**
 * The overview's panels, in page order: customers first, then durable delivery (the webhook inbox, the
 * consumers' lag and their dead letters, each linking to its page with the actions), then the latest
 * operator actions.
 */
export const OVERVIEW_PANELS: readonly OverviewPanel[] = [customersByStatus, customersByProvider, reviewsOverdue, parkedWebhooks, consumerLag, deadLetters, recentActions];
