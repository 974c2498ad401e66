import type { ConsumerStatus, CustomerCounts, ParkedWebhook } from '@openkyc/core';
import { html } from '../html.js';
import { layout } from './layout.js';
import { OVERVIEW_PANELS, PARKED_READ_LIMIT, type OverviewPanel, type OverviewView } from './overview-panels.js';
import type { PageContext } from './page-context.js';

/** `/`: every overview panel, rendered concurrently over shared reads (counts, consumers, parked webhooks). */
export async function overviewPage(ctx: PageContext, panels: readonly OverviewPanel[] = OVERVIEW_PANELS): Promise<string> {
  let counts: Promise<CustomerCounts> | undefined;
  let consumers: Promise<readonly ConsumerStatus[]> | undefined;
  let parked: Promise<readonly ParkedWebhook[]> | undefined;
  const view: OverviewView = {
    ...ctx,
    counts: () => (counts ??= ctx.kyc.countCustomers()),
    consumers: () => (consumers ??= ctx.kyc.listConsumers()),
    parked: () => (parked ??= ctx.kyc.listParkedWebhooks({ limit: PARKED_READ_LIMIT })),
  };
  const rendered = await Promise.all(panels.map(async (panel) => html`<section class="panel" id="panel-${panel.id}"><h2>${panel.title}</h2>${await panel.render(view)}</section>`));
  return layout(ctx, 'Overview', html`<h1>Overview</h1><div class="panels">${rendered}</div>`);
}
