import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsole, type ConsoleAuditEntry, type OpsConsole } from '../src/index.js';
import { consoleClient, linksOf, OPERATOR, ORIGIN } from './support/console-client.js';
import { HOSTILE, startConsoleFixture, type ConsoleFixture } from './support/console-fixture.js';
import { addDurableDelivery, HANDLER_CANARY, type DurableDelivery } from './support/durable-fixture.js';

// The durable-delivery part of the console against a real client on the Technest simulator: the overview's
// parked-webhook, consumer-lag and dead-letter panels, the dead-letters and parked-webhooks pages, and their
// audited, CSRF-protected actions (retry a dead letter, apply parked deliveries).

let fixture: ConsoleFixture;
let durable: DurableDelivery;
let ops: OpsConsole;
let audits: ConsoleAuditEntry[];

const authorize = (request: Request) => request.headers.get('authorization') === OPERATOR.authorization;

beforeEach(async () => {
  fixture = await startConsoleFixture();
  durable = await addDurableDelivery(fixture);
  audits = [];
  ops = createConsole({
    kyc: fixture.kyc,
    authorize,
    basePath: '/ops',
    now: () => fixture.sim.clock.now(),
    operator: () => 'alice',
    audit: (entry) => void audits.push(entry),
  });
});

afterEach(() => fixture.close());

const panel = (body: string, id: string) => new RegExp(`id="panel-${id}">([\\s\\S]*?)</section>`).exec(body)![1]!;
const deadLettersPath = `/ops/consumers/crm-sync/dead-letters`;

describe('overview panels', () => {
  it('shows parked webhooks with the stale count and the oldest age, consumer lag and dead letters per consumer', async () => {
    await fixture.sim.clock.advance(90 * 60_000);
    // Created after the consumer stopped: the late customer (committed by the fixture) and this one, an event each.
    await fixture.kyc.createCustomer({ reference: 'user-after', type: 'individual', email: 'a@example.com', firstName: 'A', lastName: 'B' });
    const { body } = await consoleClient(ops).get('/ops/');

    const parked = panel(body, 'parked');
    expect(parked).toContain('class="big">2<');
    expect(parked).toMatch(/stale[\s\S]*?<td class="n">0<\/td>/);
    expect(parked).toMatch(/oldest<\/td><td class="n">1 h 30 min</);
    expect(parked).toContain('href="/ops/parked"');

    const lag = panel(body, 'consumers');
    expect(lag).toMatch(/<td class="mono">crm-sync<\/td><td><span class="warn">stopped<\/span><\/td><td class="n">2<\/td>/);

    const dead = panel(body, 'dead-letters');
    expect(dead).toContain('class="big">1<');
    expect(dead).toContain(`href="${deadLettersPath}">crm-sync</a></td><td class="n">1<`);
  });

  it('says so when no consumer has run and nothing is parked', async () => {
    const empty = await startConsoleFixture();
    try {
      const { body } = await consoleClient(createConsole({ kyc: empty.kyc, authorize, basePath: '/ops' })).get('/ops/');
      expect(panel(body, 'parked')).toMatch(/class="big">0<[\s\S]*oldest<\/td><td class="n">—</);
      expect(panel(body, 'consumers')).toContain('No durable consumer');
      expect(panel(body, 'dead-letters')).toContain('class="big">0<');
    } finally {
      await empty.close();
    }
  });
});

describe('dead-letters page', () => {
  it("lists each dead letter: event, type, customer link, attempts, failed-at and the PII-free error summary, with a retry form", async () => {
    const { response, body } = await consoleClient(ops).get(deadLettersPath);
    expect(response.status).toBe(200);
    const row = /<table id="dead-letters">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(body)![1]!;
    expect(row).toContain(`<td class="mono">${durable.deadEvent.id}</td>`);
    expect(row).toContain('<code>customer.created</code>');
    expect(row).toContain(`href="/ops/customers/${encodeURIComponent(fixture.hostile.id)}"`);
    expect(row).toMatch(/<td class="n">1<\/td>/);
    expect(row).toContain('<code>TypeError</code>');
    expect(row).toContain(`action="${deadLettersPath}/${encodeURIComponent(durable.deadEvent.id)}/retry"`);
    expect(body).not.toContain('canary');
    expect(body).not.toContain(HANDLER_CANARY);
  });

  it('escapes the hostile reference in the customer link, and every link stays under basePath', async () => {
    const client = consoleClient(ops);
    for (const path of [deadLettersPath, '/ops/parked', `${deadLettersPath}?retried=${encodeURIComponent(HOSTILE)}`, `/ops/parked?failed=${encodeURIComponent(HOSTILE)}`]) {
      const { body } = await client.get(path);
      expect(body, path).not.toContain('<script');
      expect(body, path).not.toContain('<img');
      for (const link of linksOf(body)) expect(link, `${path}: ${link}`).toMatch(/^\/ops\//);
    }
    expect((await client.get(deadLettersPath)).body).toContain('ref-&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('shows an empty list for a consumer without dead letters, and 404 for a path that is not one', async () => {
    const client = consoleClient(ops);
    expect((await client.get('/ops/consumers/nobody/dead-letters')).body).toContain('No dead letters');
    expect((await client.get('/ops/consumers/%E0%A4%A/dead-letters')).response.status).toBe(404);
    expect((await client.get(`${deadLettersPath}/evt/retry`)).response.status).toBe(405);
  });
});

describe('retry dead letter action', () => {
  const retryPath = () => `${deadLettersPath}/${encodeURIComponent(durable.deadEvent.id)}/retry`;

  it('refuses a POST without a valid CSRF token with 403 and changes nothing', async () => {
    const client = consoleClient(ops);
    expect((await client.post(retryPath(), {})).status).toBe(403);
    await client.get(deadLettersPath);
    expect((await client.post(retryPath(), {})).status).toBe(403);
    expect((await client.post(retryPath(), { csrf: 'A'.repeat(43) })).status).toBe(403);
    expect((await client.post(retryPath(), { csrf: client.csrfToken! }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(await fixture.kyc.listDeadLetters('crm-sync')).toMatchObject([{ eventId: durable.deadEvent.id, retryRequested: false }]);
    expect(audits).toEqual([]);
    expect(fixture.logs.filter((line) => line.msg === 'console action')).toEqual([]);
  });

  it('requests the retry with a valid token: 303 back to the list, marked, audited', async () => {
    const client = consoleClient(ops);
    await client.get(deadLettersPath);
    const response = await client.post(retryPath(), { csrf: client.csrfToken! }, { 'sec-fetch-site': 'same-origin' });
    expect(response.status).toBe(303);
    const location = response.headers.get('location')!;
    expect(location).toBe(`${deadLettersPath}?retried=${encodeURIComponent(durable.deadEvent.id)}`);
    expect(await fixture.kyc.listDeadLetters('crm-sync')).toMatchObject([{ eventId: durable.deadEvent.id, retryRequested: true }]);

    const expected = { action: 'retry_dead_letter', consumer: 'crm-sync', eventId: durable.deadEvent.id, customerId: fixture.hostile.id, operator: 'alice', outcome: 'ok' };
    expect(audits).toEqual([{ ...expected, at: expect.any(String) }]);
    expect(fixture.logs.filter((line) => line.msg === 'console action')).toEqual([{ level: 'info', msg: 'console action', obj: { audit: true, ...expected, at: expect.any(String) } }]);
    const { body } = await client.get(location);
    expect(body).toContain('Retry requested for <code>');
    expect(body).toContain('retry requested</span>');
    expect(body).not.toContain(`${encodeURIComponent(durable.deadEvent.id)}/retry"`);
  });

  it('audits a retry of a dead letter that is not there as failed (not_found), and says so', async () => {
    const client = consoleClient(ops);
    await client.get(deadLettersPath);
    const response = await client.post(`${deadLettersPath}/evt_missing/retry`, { csrf: client.csrfToken! });
    expect(response.headers.get('location')).toBe(`${deadLettersPath}?failed=not_found`);
    expect(audits).toMatchObject([{ action: 'retry_dead_letter', eventId: 'evt_missing', outcome: 'failed', errorCode: 'not_found' }]);
    expect(audits[0]).not.toHaveProperty('customerId');
    expect((await client.get(response.headers.get('location')!)).body).toContain('Retry failed (<code>not_found</code>)');
  });
});

describe('parked-webhooks page', () => {
  it('lists provider, provider customer id, status, received and age, stale ones marked; nothing personal in it', async () => {
    await fixture.sim.clock.advance(25 * 60 * 60_000);
    const masked = (await consoleClient(ops).get('/ops/parked')).body;
    const shown = (await consoleClient(createConsole({ kyc: fixture.kyc, authorize, basePath: '/ops', showPersonalData: true, now: () => fixture.sim.clock.now() })).get('/ops/parked')).body;
    for (const body of [masked, shown]) {
      const rows = /<table id="parked">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(body)![1]!.split('</tr>').filter((row) => row.includes('<td'));
      expect(rows).toHaveLength(2);
      expect(rows[0]).toContain('<td>technest</td>');
      expect(rows.join('')).toContain(durable.late.providerCustomerId);
      expect(rows.join('')).toContain(durable.elsewhereProviderCustomerId);
      expect(rows[0]).toContain('s-pending');
      expect(rows[0]).toMatch(/<td class="n">1 d 1 h <span class="warn">stale<\/span><\/td>/);
      expect(body).toContain('2 waiting, 2 stale');
      // The parked report is provider-neutral: the names and e-mail of the customers never reach it.
      expect(body).not.toMatch(/Lee|Late|late@example/);
    }
  });
});

describe('apply parked deliveries action', () => {
  it('refuses a POST without a valid CSRF token with 403 and changes nothing', async () => {
    const client = consoleClient(ops);
    expect((await client.post('/ops/parked/apply', {})).status).toBe(403);
    await client.get('/ops/parked');
    expect((await client.post('/ops/parked/apply', { csrf: `${client.csrfToken!}x` })).status).toBe(403);
    expect((await client.post('/ops/parked/apply', { csrf: client.csrfToken! }, { 'content-type': 'text/plain' })).status).toBe(403);
    expect(await fixture.kyc.listParkedWebhooks()).toHaveLength(2);
    expect((await fixture.kyc.getCustomer(durable.late.id)).status).toBe('created');
    expect(audits).toEqual([]);
  });

  it("applies those whose customer exists now: 303 with the counts, the customer's status changed, audited", async () => {
    const client = consoleClient(ops);
    await client.get('/ops/parked');
    const response = await client.post('/ops/parked/apply', { csrf: client.csrfToken! });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/ops/parked?applied=1&waiting=1');
    expect((await fixture.kyc.getCustomer(durable.late.id)).status).toBe('pending');
    expect((await fixture.kyc.listParkedWebhooks()).map((parked) => parked.providerCustomerId)).toEqual([durable.elsewhereProviderCustomerId]);

    const expected = { action: 'apply_parked', operator: 'alice', outcome: 'ok', applied: 1, waiting: 1 };
    expect(audits).toEqual([{ ...expected, at: expect.any(String) }]);
    expect(fixture.logs.filter((line) => line.msg === 'console action')).toEqual([{ level: 'info', msg: 'console action', obj: { audit: true, ...expected, at: expect.any(String) } }]);
    const { body } = await client.get(response.headers.get('location')!);
    expect(body).toContain('Applied 1; 1 still waiting for their customer.');
    expect(body).toContain('1 waiting, 0 stale');
  });

  it('answers GET with 405', async () => {
    expect((await consoleClient(ops).get('/ops/parked/apply')).response.status).toBe(405);
    expect((await ops.fetch(new Request(`${ORIGIN}/ops/parked`))).status).toBe(401);
  });
});

describe('apply one parked delivery action', () => {
  const parkedKeys = async () => {
    const parked = await fixture.kyc.listParkedWebhooks();
    const late = parked.find((delivery) => delivery.providerCustomerId === durable.late.providerCustomerId)!;
    const never = parked.find((delivery) => delivery.providerCustomerId === durable.elsewhereProviderCustomerId)!;
    return { late: late.dedupeKey, never: never.dedupeKey };
  };

  it('gives every parked row its own form (provider, dedupe key, CSRF token) and refuses a POST without a valid token', async () => {
    const keys = await parkedKeys();
    const client = consoleClient(ops);
    expect((await client.post('/ops/parked/replay', { provider: 'technest', dedupeKey: keys.late })).status).toBe(403);
    const { body } = await client.get('/ops/parked');
    const forms = body.match(/<form method="post" action="\/ops\/parked\/replay"[\s\S]*?<\/form>/g) ?? [];
    expect(forms).toHaveLength(2);
    for (const key of [keys.late, keys.never]) {
      const form = forms.find((candidate) => candidate.includes(`name="dedupeKey" value="${key}"`));
      expect(form).toBeDefined();
      expect(form).toContain('name="provider" value="technest"');
      expect(form).toContain(`name="csrf" value="${client.csrfToken!}"`);
    }
    expect((await client.post('/ops/parked/replay', { csrf: `${client.csrfToken!}x`, provider: 'technest', dedupeKey: keys.late })).status).toBe(403);
    expect(await fixture.kyc.listParkedWebhooks()).toHaveLength(2);
    expect((await fixture.kyc.getCustomer(durable.late.id)).status).toBe('created');
    expect(audits).toEqual([]);
    expect(await fixture.kyc.listAuditEntries()).toEqual([]);
  });

  it('applies just that delivery when its customer exists: 303 with the result, the other stays parked, audited durably', async () => {
    const keys = await parkedKeys();
    const client = consoleClient(ops);
    await client.get('/ops/parked');
    const response = await client.post('/ops/parked/replay', { csrf: client.csrfToken!, provider: 'technest', dedupeKey: keys.late });
    expect(response.status).toBe(303);
    const location = response.headers.get('location')!;
    expect(location).toBe(`/ops/parked?replayed=applied&key=${encodeURIComponent(keys.late)}&customer=${durable.late.id}`);
    expect((await fixture.kyc.getCustomer(durable.late.id)).status).toBe('pending');
    expect((await fixture.kyc.listParkedWebhooks()).map((parked) => parked.dedupeKey)).toEqual([keys.never]);

    const expected = { action: 'replay_parked', provider: 'technest', dedupeKey: keys.late, operator: 'alice', outcome: 'ok', result: 'applied', customerId: durable.late.id };
    expect(audits).toEqual([{ ...expected, at: expect.any(String) }]);
    expect(await fixture.kyc.listAuditEntries()).toEqual([
      { at: audits[0]!.at, action: 'replay_parked', actor: 'alice', customerId: durable.late.id, target: `technest/${keys.late}`, outcome: 'ok', detail: 'applied' },
    ]);
    const { body } = await client.get(location);
    expect(body).toMatch(new RegExp(`Delivery <code>${keys.late}</code> applied to <a href="/ops/customers/${durable.late.id}">`));
    expect(body).toContain('1 waiting, 0 stale');
    // The customer's timeline shows the delivery and the operator action.
    const timeline = (await client.get(`/ops/customers/${durable.late.id}`)).body;
    expect(timeline).toMatch(new RegExp(`class="delivery">[\\s\\S]*?<code>${keys.late}</code>`));
    expect(timeline).toMatch(/class="audit">[\s\S]*?operator action: <code>replay_parked<\/code>[\s\S]*?<td>alice<\/td>[\s\S]*?ok · applied/);
  });

  it('says clearly when the delivery still has no customer (it stays parked), and when it is not parked any more', async () => {
    const keys = await parkedKeys();
    const client = consoleClient(ops);
    await client.get('/ops/parked');
    const waiting = await client.post('/ops/parked/replay', { csrf: client.csrfToken!, provider: 'technest', dedupeKey: keys.never });
    expect(waiting.headers.get('location')).toBe(`/ops/parked?replayed=waiting&key=${encodeURIComponent(keys.never)}`);
    expect((await client.get(waiting.headers.get('location')!)).body).toContain(
      `Delivery <code>${keys.never}</code> not applied: still no customer has its provider record. It stays parked.`,
    );
    expect(await fixture.kyc.listParkedWebhooks()).toHaveLength(2);

    const gone = await client.post('/ops/parked/replay', { csrf: client.csrfToken!, provider: 'technest', dedupeKey: 'evt_not_there' });
    expect(gone.headers.get('location')).toBe('/ops/parked?replayed=not_parked&key=evt_not_there');
    expect((await client.get(gone.headers.get('location')!)).body).toContain('Delivery <code>evt_not_there</code> is not parked (any more): nothing to apply.');
    expect(audits.map((entry) => (entry.action === 'replay_parked' ? entry.result : undefined))).toEqual(['waiting', 'not_parked']);
    expect((await fixture.kyc.listAuditEntries()).map((entry) => entry.detail)).toEqual(['not_parked', 'waiting']);

    expect((await client.post('/ops/parked/replay', { csrf: client.csrfToken!, provider: 'technest' })).status).toBe(400);
    expect((await client.post('/ops/parked/replay', { csrf: client.csrfToken!, dedupeKey: keys.never })).status).toBe(400);
    expect(audits).toHaveLength(2);
  });
});

describe('audit trail', () => {
  it('lists every console action newest first on /audit and in the overview, with operator, target and outcome', async () => {
    const client = consoleClient(ops);
    await client.get('/ops/parked');
    await client.post('/ops/parked/apply', { csrf: client.csrfToken! });
    await client.post(`${deadLettersPath}/${encodeURIComponent(durable.deadEvent.id)}/retry`, { csrf: client.csrfToken! });
    await client.post(`${deadLettersPath}/evt_missing/retry`, { csrf: client.csrfToken! });

    const { body } = await client.get('/ops/audit');
    const rows = /<table id="audit">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(body)![1]!.split('</tr>').filter((row) => row.includes('<td'));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/<code>retry_dead_letter<\/code>[\s\S]*crm-sync\/evt_missing[\s\S]*failed<\/span> <code>not_found<\/code>/);
    expect(rows[1]).toContain(`href="/ops/customers/${encodeURIComponent(fixture.hostile.id)}"`);
    expect(rows[1]).toContain(`crm-sync/${durable.deadEvent.id}`);
    expect(rows[2]).toMatch(/<td>alice<\/td><td><code>apply_parked<\/code>[\s\S]*applied 1, waiting 1/);
    expect(body).toContain('href="/ops/audit"');

    const overview = panel((await client.get('/ops/')).body, 'audit');
    expect(overview.match(/<tr>/g)).toHaveLength(3);
    expect(overview).toContain('<span class="failed-outcome">not_found</span>');
    expect(overview).toContain('href="/ops/audit"');
  });

  it('logs and goes on when the store cannot keep an entry: the action happened', async () => {
    const failing = createConsole({
      kyc: { ...fixture.kyc, recordAuditEntry: () => Promise.reject(new Error('disk full')) },
      authorize,
      basePath: '/ops',
      audit: (entry) => void audits.push(entry),
    });
    const client = consoleClient(failing);
    await client.get('/ops/parked');
    expect((await client.post('/ops/parked/apply', { csrf: client.csrfToken! })).status).toBe(303);
    expect((await fixture.kyc.getCustomer(durable.late.id)).status).toBe('pending');
    expect(audits).toHaveLength(1);
    expect(fixture.logs.filter((line) => line.msg === 'console audit entry not stored')).toEqual([
      { level: 'error', msg: 'console audit entry not stored', obj: { audit: true, action: 'apply_parked', customerId: undefined, errorName: 'Error', code: 'internal_error' } },
    ]);
  });
});
