import { ConfigurationError } from '@openkyc/core';
import { technestErrorBody } from '@openkyc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsole, type ConsoleAuditEntry, type OpsConsole } from '../src/index.js';
import { consoleClient, linksOf, OPERATOR, ORIGIN } from './support/console-client.js';
import { HOSTILE, startConsoleFixture, type ConsoleFixture } from './support/console-fixture.js';

// The console handler against a real openkyc client on the Technest simulator: access, CSRF, CSP, masking,
// escaping, routing. The browser test (console-browser.test.ts) covers the same pages in Chromium.

let fixture: ConsoleFixture;
let ops: OpsConsole;
let audits: ConsoleAuditEntry[];
let authorizeCalls: number;

const authorize = (request: Request) => {
  authorizeCalls++;
  return request.headers.get('authorization') === OPERATOR.authorization;
};

beforeEach(async () => {
  fixture = await startConsoleFixture();
  audits = [];
  authorizeCalls = 0;
  ops = createConsole({ kyc: fixture.kyc, authorize, basePath: '/ops', operator: () => 'alice', audit: (entry) => void audits.push(entry) });
});

afterEach(() => fixture.close());

const plain = (path: string, init: RequestInit = {}) => ops.fetch(new Request(ORIGIN + path, init));

describe('access', () => {
  it('answers 401 with a challenge when the request has no credentials, before touching any route', async () => {
    for (const path of ['/ops', '/ops/', '/ops/customers', '/ops/no-such-page', `/ops/customers/${fixture.fresh.id}`]) {
      const response = await plain(path);
      expect(response.status, path).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Basic realm="openkyc console", charset="UTF-8"');
      expect(await response.text()).not.toContain(fixture.fresh.reference);
    }
  });

  it('answers 403 when credentials were sent but authorize said no', async () => {
    expect((await plain('/ops/', { headers: { authorization: 'Bearer someone-else' } })).status).toBe(403);
    expect((await plain('/ops/', { headers: { cookie: 'session=abc' } })).status).toBe(403);
  });

  it("does not count its own CSRF cookie as credentials", async () => {
    expect((await plain('/ops/', { headers: { cookie: 'okc_csrf=x' } })).status).toBe(401);
  });

  it('sends no challenge when the app signs in with cookies', async () => {
    const cookieConsole = createConsole({ kyc: fixture.kyc, authorize: () => false, wwwAuthenticate: false });
    const response = await cookieConsole.fetch(new Request(`${ORIGIN}/`));
    expect(response.status).toBe(401);
    expect(response.headers.has('www-authenticate')).toBe(false);
  });

  it('answers 404 outside basePath without asking authorize, so the app can fall through', async () => {
    for (const path of ['/', '/opsx', '/other/ops/']) expect((await plain(path)).status, path).toBe(404);
    expect(authorizeCalls).toBe(0);
  });

  it('refuses to start without authorize or with a basePath that is not a plain path', () => {
    const noAuthorize = { kyc: fixture.kyc } as unknown as Parameters<typeof createConsole>[0];
    expect(() => createConsole(noAuthorize)).toThrow(ConfigurationError);
    for (const basePath of ['ops', '/o"ps', '/a b', '/x/<y>']) {
      expect(() => createConsole({ kyc: fixture.kyc, authorize, basePath }), basePath).toThrow(ConfigurationError);
    }
    expect(() => createConsole({ kyc: fixture.kyc, authorize, csrfSecret: 'short' })).toThrow(ConfigurationError);
  });
});

describe('routing', () => {
  it('answers 404 for unknown pages and customers, 405 with Allow for the wrong method', async () => {
    const client = consoleClient(ops);
    expect((await client.get('/ops/nothing-here')).response.status).toBe(404);
    expect((await client.get('/ops/customers/no-such-id')).response.status).toBe(404);
    expect((await client.get('/ops/customers/%E0%A4%A')).response.status).toBe(404);
    const getAction = await client.get(`/ops/customers/${fixture.fresh.id}/refresh`);
    expect(getAction.response.status).toBe(405);
    expect(getAction.response.headers.get('allow')).toBe('POST');
    const postPage = await client.post('/ops/', {});
    expect(postPage.status).toBe(405);
    expect(postPage.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers HEAD like GET, without a body', async () => {
    const response = await plain('/ops/', { method: 'HEAD', headers: OPERATOR });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('answers 400 for a status filter that is not a customer status', async () => {
    expect((await consoleClient(ops).get('/ops/customers?status=approved')).response.status).toBe(400);
  });
});

describe('security headers', () => {
  it('puts a strict CSP on every response: pages, errors, refusals, redirects', async () => {
    const client = consoleClient(ops);
    await client.get(`/ops/customers/${fixture.decided.id}`);
    const responses = [
      (await client.get('/ops/')).response,
      (await client.get('/ops/customers?q=user-fresh')).response,
      (await client.get('/ops/nothing')).response,
      (await client.get('/ops/favicon.svg')).response,
      await plain('/ops/'),
      await plain('/elsewhere'),
      await client.post(`/ops/customers/${fixture.decided.id}/refresh`, { csrf: client.csrfToken! }),
    ];
    for (const response of responses) {
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, String(response.status)).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; img-src 'self'; script-src 'none'/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).not.toContain('unsafe');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toMatch(/no-store|max-age/);
    }
  });
});

describe('pages', () => {
  it('shows counts per status and provider and the overdue reviews on the overview', async () => {
    const { response, body } = await consoleClient(ops).get('/ops/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const statusPanel = /id="panel-status">([\s\S]*?)<\/section>/.exec(body)![1]!;
    expect(statusPanel).toMatch(/s-created">created<\/span><\/a><\/td><td class="n">2</);
    expect(statusPanel).toMatch(/s-pending">pending<\/span><\/a><\/td><td class="n">1</);
    expect(statusPanel).toMatch(/s-rejected">rejected<\/span><\/a><\/td><td class="n">1</);
    expect(statusPanel).toMatch(/total<\/th><td class="n">4</);
    expect(body).toMatch(/id="panel-provider">[\s\S]*technest<\/a><\/td><td class="n">4</);
    expect(body).toMatch(/id="panel-reviews-overdue">[\s\S]*class="big">0</);
  });

  it('uses basePath in every link and form of every page', async () => {
    const client = consoleClient(ops);
    const pages = ['/ops/', '/ops/customers', '/ops/customers?status=pending', '/ops/customers?q=user-decided', `/ops/customers/${fixture.rejected.id}`];
    for (const path of pages) {
      const links = linksOf((await client.get(path)).body);
      expect(links.length, path).toBeGreaterThan(2);
      for (const link of links) expect(link, `${path}: ${link}`).toMatch(/^\/ops\//);
    }
  });

  it('finds a customer by reference, by our id and by the provider customer id', async () => {
    const client = consoleClient(ops);
    const { decided } = fixture;
    for (const q of [decided.reference, decided.id, decided.providerCustomerId, ` ${decided.reference} `]) {
      const { body } = await client.get(`/ops/customers?q=${encodeURIComponent(q)}`);
      expect(body, q).toContain('1 customer for');
      expect(body).toContain(`href="/ops/customers/${decided.id}"`);
    }
    expect((await client.get('/ops/customers?q=nobody')).body).toContain('0 customers for');
  });

  it('lists customers by status and pages through them', async () => {
    const client = consoleClient(ops);
    const { body } = await client.get('/ops/customers?status=created');
    expect(body).toContain(`/ops/customers/${fixture.fresh.id}"`);
    expect(body).not.toContain(`/ops/customers/${fixture.decided.id}"`);
  });

  it("shows a customer's timeline: events, the ignored stale report with its reason, raw beside normalized status, webhook deliveries", async () => {
    const { body } = await consoleClient(ops).get(`/ops/customers/${fixture.rejected.id}`);
    const timeline = /<table id="timeline">([\s\S]*?)<\/table>/.exec(body)![1]!;
    const all = timeline.split('<tr').slice(2);
    // The webhook delivery's row (stamped by the store's clock, not the simulator's) is checked on its own.
    const deliveries = all.filter((row) => row.startsWith(' class="delivery"'));
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toContain('webhook delivery');
    expect(deliveries[0]).toContain('<td>technest</td>');
    expect(deliveries[0]).toContain('<code>evt_stale_1</code>');
    const rows = all.filter((row) => !row.startsWith(' class="delivery"'));
    expect(rows.map((row) => /<code>(customer\.[a-z_]+|report ignored)|report ignored/.exec(row)?.[0])).toEqual([
      '<code>customer.created',
      '<code>customer.submitted',
      '<code>customer.rejected',
      'report ignored',
    ]);
    // Every event row shows the provider's raw status beside the normalized one: the api answers to
    // create and submit, and the poll (refresh) that saw the rejection.
    expect(rows[0]).toMatch(/s-created">created<\/span><\/td><td><code>created<\/code><\/td><td>api<\/td>/);
    expect(rows[1]).toMatch(/s-pending">pending<\/span><\/td><td><code>pending<\/code><\/td><td>api<\/td>/);
    expect(rows[2]).toMatch(/s-rejected">rejected<\/span><\/td><td><code>rejected<\/code><\/td><td>poll<\/td>/);
    expect(rows[3]).toContain('<code>stale</code>');
    expect(rows[3]).toContain('older than the last report applied');
    expect(rows[3]).toMatch(/s-pending">pending<\/span><\/td>\s*<td><code>pending<\/code>/);
    expect(body).toMatch(/Provider records[\s\S]*s-rejected">rejected<\/span><\/td><td><code>rejected<\/code>/);
  });
});

describe('personal data', () => {
  it('is masked by default: names, e-mail and provider free text', async () => {
    const client = consoleClient(ops);
    const pages = [
      (await client.get(`/ops/customers/${fixture.rejected.id}`)).body,
      (await client.get('/ops/customers')).body,
      (await client.get('/ops/customers?q=user-rejected')).body,
    ];
    for (const body of pages) {
      expect(body).not.toContain('Smith');
      expect(body).not.toContain('jane.smith');
      expect(body).not.toContain('example.com');
      expect(body).not.toContain('reviewer note');
      expect(body).toContain('J••• S•••');
    }
    expect(pages[0]).toContain('j•••@e•••');
    expect(pages[0]).toMatch(/Provider's reason<\/dt><dd>••• \(\d+ characters hidden\)/);
  });

  it('is shown, escaped, when the app turns showPersonalData on', async () => {
    const open = createConsole({ kyc: fixture.kyc, authorize, basePath: '/ops', showPersonalData: true });
    const { body } = await consoleClient(open).get(`/ops/customers/${fixture.rejected.id}`);
    expect(body).toContain('Jane Smith');
    expect(body).toContain('jane.smith@example.com');
    expect(body).toContain('&lt;img src=x onerror=alert(3)&gt; reviewer note about Jane');
  });
});

describe('escaping', () => {
  it('never lets a hostile reference, name or provider text become markup', async () => {
    const client = consoleClient(createConsole({ kyc: fixture.kyc, authorize, basePath: '/ops', showPersonalData: true }));
    const pages = [
      (await client.get(`/ops/customers/${encodeURIComponent(fixture.hostile.id)}`)).body,
      (await client.get(`/ops/customers/${fixture.rejected.id}`)).body,
      (await client.get('/ops/customers')).body,
      (await client.get(`/ops/customers?q=${encodeURIComponent(fixture.hostile.reference)}`)).body,
      (await client.get(`/ops/customers?q=${encodeURIComponent(HOSTILE)}`)).body,
      (await client.get(`/ops/customers/${fixture.decided.id}?failed=${encodeURIComponent(HOSTILE)}`)).body,
    ];
    for (const body of pages) {
      expect(body).not.toContain('<script');
      expect(body).not.toContain('<img');
      expect(body).not.toMatch(/"'>/);
    }
    expect(pages[0]).toContain('ref-&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(pages[3]).toContain('1 customer for');
  });
});

describe('refresh action', () => {
  it('refuses a POST without a valid CSRF token with 403 and changes nothing', async () => {
    const client = consoleClient(ops);
    const path = `/ops/customers/${fixture.decided.id}/refresh`;
    const before = await fixture.kyc.getCustomer(fixture.decided.id);
    fixture.sim.clearRequests();

    expect((await client.post(path, {})).status).toBe(403); // no cookie, no token
    await client.get(`/ops/customers/${fixture.decided.id}`); // now the browser has the cookie
    const token = client.csrfToken!;
    expect((await client.post(path, {})).status).toBe(403); // cookie, no token
    expect((await client.post(path, { csrf: 'A'.repeat(43) })).status).toBe(403); // wrong token
    expect((await client.post(path, { csrf: `${token}x` })).status).toBe(403); // malformed
    expect((await client.post(path, { csrf: token }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await client.post(path, { csrf: token }, { 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await client.post(path, { csrf: token }, { 'content-type': 'text/plain' })).status).toBe(403);
    // A token from another browser (another cookie) does not fit this one's cookie.
    const other = consoleClient(ops);
    await other.get(`/ops/customers/${fixture.decided.id}`);
    expect((await client.post(path, { csrf: other.csrfToken! })).status).toBe(403);

    expect(await fixture.kyc.getCustomer(fixture.decided.id)).toEqual(before);
    expect(fixture.sim.requests()).toEqual([]);
    expect(audits).toEqual([]);
    expect(await fixture.kyc.listAuditEntries()).toEqual([]);
  });

  it('refreshes with a valid token: 303 back to the customer, the new status applied and audited', async () => {
    const client = consoleClient(ops);
    await client.get(`/ops/customers/${fixture.decided.id}`);
    const response = await client.post(`/ops/customers/${fixture.decided.id}/refresh`, { csrf: client.csrfToken! }, { 'sec-fetch-site': 'same-origin' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/ops/customers/${fixture.decided.id}?done=refresh`);
    expect((await fixture.kyc.getCustomer(fixture.decided.id)).status).toBe('verified');

    const expected = { action: 'refresh', customerId: fixture.decided.id, provider: 'technest', operator: 'alice', outcome: 'ok', from: 'pending', to: 'verified' };
    expect(audits).toEqual([{ ...expected, at: expect.any(String) }]);
    expect(fixture.logs.filter((line) => line.msg === 'console action')).toEqual([
      { level: 'info', msg: 'console action', obj: { audit: true, ...expected, at: expect.any(String) } },
    ]);
    // Kept in the store's audit trail too (ids and statuses only), and shown in the customer's timeline.
    expect(await fixture.kyc.listAuditEntries({ customerId: fixture.decided.id })).toEqual([
      { at: audits[0]!.at, action: 'refresh', actor: 'alice', customerId: fixture.decided.id, target: 'technest', outcome: 'ok', detail: 'pending → verified' },
    ]);
    const { body } = await client.get(response.headers.get('location')!);
    expect(body).toMatch(/Refreshed: now <span class="status s-verified">verified/);
    expect(body).toMatch(/<tr class="audit">[\s\S]*?operator action: <code>refresh<\/code>[\s\S]*?<td>alice<\/td>[\s\S]*?ok · pending → verified · <span class="mono">technest<\/span>/);
  });

  it('audits a refresh the provider failed, and says so on the page', async () => {
    const client = consoleClient(ops);
    await client.get(`/ops/customers/${fixture.decided.id}`);
    fixture.sim.injectFault({ server: 'api', method: 'GET', path: /^\/v1\/customers\//, status: 404, body: technestErrorBody('customer_not_found', 'No such customer') });
    const response = await client.post(`/ops/customers/${fixture.decided.id}/refresh`, { csrf: client.csrfToken! });
    expect(response.status).toBe(303);
    const location = response.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^/ops/customers/${fixture.decided.id}\\?failed=[a-z_]+$`));
    expect(audits).toMatchObject([{ outcome: 'failed', from: 'pending', to: 'pending', errorCode: expect.stringMatching(/^[a-z_]+$/) }]);
    expect(await fixture.kyc.listAuditEntries()).toEqual([
      { at: audits[0]!.at, action: 'refresh', actor: 'alice', customerId: fixture.decided.id, target: 'technest', outcome: 'failed', errorCode: audits[0]!.errorCode, detail: 'pending → pending' },
    ]);
    expect((await fixture.kyc.getCustomer(fixture.decided.id)).status).toBe('pending');
    expect((await client.get(location)).body).toContain('Refresh failed (<code>');
  });

  it('answers 404 for a refresh of a customer that does not exist, after the CSRF check', async () => {
    const client = consoleClient(ops);
    await client.get(`/ops/customers/${fixture.fresh.id}`);
    expect((await client.post('/ops/customers/nobody/refresh', { csrf: client.csrfToken! })).status).toBe(404);
    expect((await client.post('/ops/customers/nobody/refresh', {})).status).toBe(403);
  });

  it('keeps one CSRF cookie per browser: later pages reuse it and set no new one', async () => {
    const client = consoleClient(ops);
    const first = await client.get(`/ops/customers/${fixture.decided.id}`);
    expect(first.response.headers.get('set-cookie')).toMatch(/^okc_csrf=[A-Za-z0-9_-]{43}; Path=\/ops; HttpOnly; SameSite=Strict$/);
    const token = client.csrfToken;
    const second = await client.get(`/ops/customers/${fixture.fresh.id}`);
    expect(second.response.headers.get('set-cookie')).toBeNull();
    expect(client.csrfToken).toBe(token);
  });
});
