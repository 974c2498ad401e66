import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pgliteStore } from '@openkyc/store-postgres';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsole } from '../src/index.js';
import { findChromium } from './support/find-chromium.js';
import { startConsoleFixture, type ConsoleFixture } from './support/console-fixture.js';
import { addDurableDelivery } from './support/durable-fixture.js';
import { serveConsole } from './support/node-mount.js';

// The console in a real headless Chromium (the Debian package, driven by playwright-core), mounted under /ops on
// node:http, reading customers from PGlite that a real openkyc client put there through the Technest simulator.
// Every page must load without a console error or CSP violation and without asking any other origin.

const OPERATOR = { username: 'operator', password: 'correct horse battery staple' };
// The README's screenshot is rewritten only on request (OPENKYC_UPDATE_SCREENSHOT=1), so a test run leaves the tree clean.
const SCREENSHOT =
  process.env.OPENKYC_UPDATE_SCREENSHOT === '1'
    ? fileURLToPath(new URL('../../../docs/console.png', import.meta.url))
    : join(mkdtempSync(join(tmpdir(), 'openkyc-console-')), 'console.png');

let fixture: ConsoleFixture;
let server: Awaited<ReturnType<typeof serveConsole>>;
let browser: Browser;
let store: ReturnType<typeof pgliteStore>;

beforeAll(async () => {
  store = pgliteStore();
  fixture = await startConsoleFixture({ store });
  const ops = createConsole({
    kyc: fixture.kyc,
    basePath: '/ops',
    authorize: (request) => request.headers.get('authorization') === `Basic ${btoa(`${OPERATOR.username}:${OPERATOR.password}`)}`,
    operator: () => OPERATOR.username,
  });
  server = await serveConsole(ops, '/ops');
  browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fixture?.close();
  await store?.close();
});

/** A page whose console errors, page errors and foreign requests are collected. */
async function watchedPage(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    if (new URL(request.url()).origin !== server.url) problems.push(`request to another origin: ${request.url()}`);
  });
  return { page, problems };
}

describe('the console in Chromium', () => {
  it('loads the overview, searches, shows the timeline and refreshes a customer, without errors or CSP violations', async () => {
    const context = await browser.newContext({ httpCredentials: OPERATOR, viewport: { width: 1280, height: 900 } });
    const { page, problems } = await watchedPage(context);

    const overview = await page.goto(`${server.url}/ops/`);
    expect(overview?.status()).toBe(200);
    expect(await page.title()).toBe('Overview · openkyc console');
    await expect.poll(() => page.locator('#panel-status tr', { hasText: 'pending' }).innerText()).toMatch(/pending\s+1/);
    expect(await page.locator('#panel-provider').innerText()).toMatch(/technest\s+4/);
    // The inline stylesheet applied (its CSP hash matched): the panels sit side by side in a grid.
    const [status, provider] = await Promise.all([page.locator('#panel-status').boundingBox(), page.locator('#panel-provider').boundingBox()]);
    expect(provider!.y).toBe(status!.y);
    expect(provider!.x).toBeGreaterThan(status!.x + status!.width);

    await page.getByRole('searchbox', { name: 'Search customers' }).fill(fixture.decided.providerCustomerId);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.locator('main p').first().innerText()).toContain('1 customer for');
    await page.getByRole('link', { name: fixture.decided.reference }).click();

    expect(new URL(page.url()).pathname).toBe(`/ops/customers/${fixture.decided.id}`);
    expect(await page.locator('h1 + .status').innerText()).toBe('pending');
    expect(await page.locator('#timeline').innerText()).toContain('customer.submitted');

    await page.getByRole('button', { name: 'Refresh now' }).click();
    await expect.poll(() => page.getByRole('status').innerText()).toContain('Refreshed: now verified');
    expect(await page.locator('h1 + .status').innerText()).toBe('verified');
    expect(await page.locator('#timeline').innerText()).toMatch(/customer\.verified/);
    expect((await fixture.kyc.getCustomer(fixture.decided.id)).status).toBe('verified');
    expect(fixture.logs.filter((line) => line.msg === 'console action')).toHaveLength(1);

    // The rejected customer's timeline: the stale report beside the provider's raw status; hostile text stays text.
    await page.goto(`${server.url}/ops/customers/${fixture.rejected.id}`);
    expect(await page.locator('#timeline tr.ignored').innerText()).toMatch(/report ignored: stale\s+pending\s+pending\s+webhook/);
    await page.goto(`${server.url}/ops/customers/${encodeURIComponent(fixture.hostile.id)}`);
    expect(await page.locator('h1').innerText()).toBe(fixture.hostile.reference);
    expect(await page.locator('main img, main script').count()).toBe(0);

    await page.goto(`${server.url}/ops/customers/${fixture.rejected.id}`);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows dead letters and parked webhooks, retries a dead letter, applies parked deliveries and one delivery, lists the audit trail, without errors or CSP violations', async () => {
    const durable = await addDurableDelivery(fixture);
    const context = await browser.newContext({ httpCredentials: OPERATOR, viewport: { width: 1280, height: 900 } });
    const { page, problems } = await watchedPage(context);

    await page.goto(`${server.url}/ops/`);
    expect(await page.locator('#panel-parked .big').innerText()).toBe('2');
    expect(await page.locator('#panel-consumers').innerText()).toMatch(/crm-sync\s+stopped\s+1/);
    await page.locator('#panel-dead-letters').getByRole('link', { name: 'crm-sync' }).click();

    expect(new URL(page.url()).pathname).toBe('/ops/consumers/crm-sync/dead-letters');
    const row = page.locator('#dead-letters tbody tr');
    expect(await row.innerText()).toMatch(new RegExp(`${durable.deadEvent.id}\\s+customer\\.created`));
    expect(await page.locator('main img, main script').count()).toBe(0);
    await row.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => page.getByRole('status').innerText()).toContain('Retry requested');
    expect(await row.innerText()).toContain('retry requested');
    expect(await fixture.kyc.listDeadLetters('crm-sync')).toMatchObject([{ eventId: durable.deadEvent.id, retryRequested: true }]);

    await page.getByRole('link', { name: 'Parked webhooks' }).click();
    expect(await page.locator('#parked tbody tr').count()).toBe(2);
    await page.getByRole('button', { name: 'Apply parked deliveries' }).click();
    await expect.poll(() => page.getByRole('status').innerText()).toContain('Applied 1; 1 still waiting');
    expect(await page.locator('#parked tbody tr').count()).toBe(1);
    expect((await fixture.kyc.getCustomer(durable.late.id)).status).toBe('pending');
    // The one left has no customer here: its own "Apply" says so and leaves it parked.
    await page.locator('#parked tbody tr').getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('still no customer has its provider record');
    expect(await page.locator('#parked tbody tr').count()).toBe(1);
    expect(fixture.logs.filter((line) => line.msg === 'console action').map((line) => line.obj.action)).toEqual(['refresh', 'retry_dead_letter', 'apply_parked', 'replay_parked']);

    // Every action is in the store's audit trail (PGlite), newest first.
    await page.getByRole('link', { name: 'Audit' }).click();
    expect(await page.locator('#audit tbody tr td:nth-child(3)').allInnerTexts()).toEqual(['replay_parked', 'apply_parked', 'retry_dead_letter', 'refresh']);

    expect(problems).toEqual([]);
    await context.close();
  });

  it('answers 401 without credentials and 403 with wrong ones', async () => {
    // Headless Chromium has nobody to ask for a password: it cancels the Basic challenge, so the navigation
    // fails; the 401 it got (and its body) is what the network saw.
    const anonymous = await browser.newContext();
    const page = await anonymous.newPage();
    const seen = page.waitForResponse(`${server.url}/ops/`);
    await page.goto(`${server.url}/ops/`).catch(() => undefined);
    const refused = await seen;
    expect(refused.status()).toBe(401);
    expect(refused.headers()['www-authenticate']).toMatch(/^Basic /);
    expect(await refused.text()).not.toContain(fixture.decided.reference);
    await anonymous.close();

    const stranger = await browser.newContext({ httpCredentials: { username: 'operator', password: 'wrong' } });
    const forbidden = await (await stranger.newPage()).goto(`${server.url}/ops/customers?q=${fixture.decided.reference}`);
    expect(forbidden?.status()).toBe(403);
    await stranger.close();
  });

  it('refuses a POST from the signed-in browser without the page token, and nothing changes', async () => {
    const context = await browser.newContext({ httpCredentials: OPERATOR });
    const { page } = await watchedPage(context);
    await page.goto(`${server.url}/ops/customers/${fixture.fresh.id}`); // the browser now has the CSRF cookie
    const before = await fixture.kyc.getCustomer(fixture.fresh.id);
    const response = await context.request.post(`${server.url}/ops/customers/${fixture.fresh.id}/refresh`, { form: { csrf: 'forged' } });
    expect(response.status()).toBe(403);
    expect(await fixture.kyc.getCustomer(fixture.fresh.id)).toEqual(before);
    await context.close();
  });
});
