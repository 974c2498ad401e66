import { CUSTOMER_STATUSES, NotFoundError, type Customer, type CustomerStatus } from '@openkyc/core';
import { html, type Html } from '../html.js';
import { layout, statusBadge, time } from './layout.js';
import { customerPath, type PageContext } from './page-context.js';

/** What `/customers` was asked: a search (`q`), or a filtered listing (`status`, `provider`, page cursor `after`). */
export interface CustomersQuery {
  readonly q: string;
  readonly status?: CustomerStatus;
  readonly provider?: string;
  readonly after?: string;
}

const PAGE_SIZE = 50;

/** Reads `/customers`' query string; `undefined` when `status` is not a customer status. */
export function parseCustomersQuery(params: URLSearchParams): CustomersQuery | undefined {
  const status = params.get('status') ?? '';
  if (status !== '' && !(CUSTOMER_STATUSES as readonly string[]).includes(status)) return undefined;
  const provider = params.get('provider') ?? '';
  const after = params.get('after') ?? '';
  return {
    q: (params.get('q') ?? '').trim(),
    ...(status === '' ? {} : { status: status as CustomerStatus }),
    ...(provider === '' ? {} : { provider }),
    ...(after === '' ? {} : { after }),
  };
}

/** `/customers`: search results for `q`, else one page of the (filtered) listing. */
export async function customersPage(ctx: PageContext, query: CustomersQuery): Promise<string> {
  if (query.q !== '') {
    const found = await searchCustomers(ctx, query.q);
    const heading = html`<h1>Search</h1><p class="muted">${found.length === 1 ? '1 customer' : `${found.length} customers`} for <code>${query.q}</code> (reference, customer id or provider customer id, exact)</p>`;
    return layout(ctx, 'Search', html`${heading}${customerTable(ctx, found)}`, query.q);
  }
  const page = await ctx.kyc.listCustomers({
    limit: PAGE_SIZE,
    ...(query.status === undefined ? {} : { status: query.status }),
    ...(query.provider === undefined ? {} : { provider: query.provider }),
    ...(query.after === undefined ? {} : { after: query.after }),
  });
  const filters = [query.status && html`status ${statusBadge(query.status)}`, query.provider && html`provider <code>${query.provider}</code>`].filter(Boolean);
  const heading = html`<h1>Customers</h1><p class="muted">${filters.length === 0 ? 'all customers' : filters}${
    filters.length > 0 ? html` · <a href="${ctx.link('/customers')}">clear filters</a>` : ''
  }</p>`;
  const next =
    page.next === undefined
      ? ''
      : html`<p><a rel="next" href="${ctx.link('/customers', { status: query.status, provider: query.provider, after: page.next })}">Next page →</a></p>`;
  return layout(ctx, 'Customers', html`${heading}${customerTable(ctx, page.customers)}${next}`);
}

/** Exact matches by our id, the platform's reference, or any provider record id at any configured provider. */
async function searchCustomers(ctx: PageContext, q: string): Promise<Customer[]> {
  const lookups = [
    ctx.kyc.getCustomer(q).catch((error: unknown) => {
      if (NotFoundError.isInstance(error)) return undefined;
      throw error;
    }),
    ctx.kyc.findCustomerByReference(q),
    ...[...ctx.kyc.providers.keys()].map((provider) => ctx.kyc.findCustomerByProviderCustomerId(provider, q)),
  ];
  const byId = new Map<string, Customer>();
  for (const customer of await Promise.all(lookups)) if (customer !== undefined) byId.set(customer.id, customer);
  return [...byId.values()];
}

function customerTable(ctx: PageContext, customers: readonly Customer[]): Html {
  if (customers.length === 0) return html`<p>No customers.</p>`;
  const rows = customers.map(
    (customer) => html`<tr>
<td><a href="${ctx.link(customerPath(customer.id))}">${customer.reference}</a></td>
<td>${ctx.personal.name(customer.firstName)} ${ctx.personal.name(customer.lastName)}</td>
<td>${customer.provider}</td>
<td class="mono">${customer.providerCustomerId}</td>
<td>${statusBadge(customer.status)} <code class="muted">${customer.rawStatus}</code></td>
<td>${time(customer.updatedAt)}</td>
</tr>`,
  );
  return html`<table><thead><tr><th>Reference</th><th>Name</th><th>Provider</th><th>Provider customer id</th><th>Status (provider's)</th><th>Updated</th></tr></thead><tbody>${rows}</tbody></table>`;
}
