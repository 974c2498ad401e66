/**
 * `npm run demo` — openkyc end to end, on loopback, in a few seconds.
 *
 * Starts the provider simulators and a webhook endpoint, builds the openkyc
 * client from JSON configuration only, runs realistic onboardings per provider
 * through the public API, prints each customer's timeline and a summary, and
 * exits non-zero when anything did not happen as expected.
 *
 *   npm run demo                              all three providers
 *   npm run demo -- --provider patch-style    one provider (also KYC_PROVIDER=patch-style)
 *   npm run demo -- --fresh                   forget earlier runs (the data directory) first
 *
 * Customers live in an embedded PostgreSQL (PGlite) on disk under examples/.openkyc-demo
 * (OPENKYC_DEMO_DATA_DIR to put it elsewhere): a second run shows the first one's customers.
 */
import { pathToFileURL } from 'node:url';
import { createKyc, fromConfig, KycError, type Customer, type Kyc, type KycLogger } from '@openkyc/core';
import { buildDemoConfig, demoFactories, isProviderId, PROVIDER_IDS, type ProviderId } from './demo-config.js';
import { DemoConsumer } from './demo-consumer.js';
import { DemoJournal } from './demo-journal.js';
import { scenariosFor, SCENARIO_TITLES, type Scenario, type ScenarioContext } from './demo-scenarios.js';
import { startDemoSimulators, type DemoSimulators } from './demo-simulators.js';
import { DEFAULT_DEMO_DATA_DIR, openDemoStore, type DemoStore } from './demo-store.js';
import { startWebhookEndpoint, type WebhookEndpoint } from './demo-webhook-endpoint.js';
import { createStyle, formatSummary, formatTimeline, type Style, type SummaryRow } from './print-timeline.js';

export interface DemoOptions {
  /** Which providers to configure and run (in this order; the first is `defaultProvider`). */
  readonly providers: readonly ProviderId[];
  /** Where output lines go (default: stdout). */
  readonly write?: (line: string) => void;
  readonly color?: boolean;
  /** Print openkyc's (redacted) log lines to stderr. */
  readonly verbose?: boolean;
  /** Where the embedded store keeps its data (default examples/.openkyc-demo). */
  readonly dataDir?: string;
  /** Start over: delete the data directory first. */
  readonly fresh?: boolean;
}

export interface DemoResult {
  readonly ok: boolean;
  readonly rows: readonly SummaryRow[];
}

interface ScenarioRun {
  readonly scenario: Scenario;
  readonly customerId?: string;
  readonly error?: string;
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const style = createStyle(options.color ?? false);
  const selected = options.providers;

  let sims: DemoSimulators | undefined;
  let kyc: Kyc | undefined;
  let endpoint: WebhookEndpoint | undefined;
  let durable: DemoStore | undefined;
  let consumer: DemoConsumer | undefined;
  try {
    durable = await openDemoStore(options.dataDir ?? DEFAULT_DEMO_DATA_DIR, options.fresh === true);
    const running = await startDemoSimulators(selected);
    sims = running;

    // 1. Configuration: plain JSON (as it would come from a file or a secret store).
    //    The factories bind what JSON cannot hold; `now` is the simulators' clock.
    const config = buildDemoConfig(running, selected);
    const client = createKyc(
      fromConfig(JSON.stringify(config), demoFactories(running.patchStyle?.documentHost.hostDocument), {
        now: () => running.now(),
        store: durable.store,
        ...(options.verbose === true ? { logger: stderrLogger } : {}),
      }),
    );
    kyc = client;
    write(style.bold('openkyc demo') + style.dim(` · providers: ${selected.join(', ')} · everything on 127.0.0.1`));
    write('');
    write(style.bold('Configuration') + style.dim(' (secrets masked; the only thing that picks the provider)'));
    for (const line of JSON.stringify(maskSecrets(config), null, 2).split('\n')) write(`  ${line}`);
    write('');
    for (const line of describeStore(durable, style)) write(line);
    write('');

    // 2. The platform's webhook endpoint, and the providers pointed at it.
    const receiver = await startWebhookEndpoint(client);
    endpoint = receiver;
    running.setWebhookTargets((providerId) => receiver.urlFor(providerId));

    // 3. What the platform does with events: store them in its timeline, tell the end-user.
    const journal = new DemoJournal();
    client.subscribe((event) => journal.record(event));
    client.on('customer.needs_info', (event) => {
      journal.notice(event, `"${event.requirements.map((requirement) => requirement.message).join(' ')}"`);
    });
    client.on('customer.rejected', (event) => {
      journal.notice(event, `"${event.rejection.message}"${event.rejection.retryable ? '' : ' (cannot be retried)'}`);
    });
    //    And the durable way: a named consumer that resumes after its checkpoint (e.g. a CRM sync).
    consumer = new DemoConsumer(client);

    // 4. The onboardings.
    const { scenarios, notApplicable } = scenariosFor(selected);
    const runs: ScenarioRun[] = [];
    for (const scenario of scenarios) {
      let customerId: string | undefined;
      const ctx: ScenarioContext = {
        kyc: client,
        sims: running,
        journal,
        defaultProvider: selected[0]!,
        onCustomer: (id) => (customerId = id),
      };
      try {
        await scenario.run(ctx);
        runs.push({ scenario, ...(customerId === undefined ? {} : { customerId }) });
      } catch (error) {
        runs.push({ scenario, ...(customerId === undefined ? {} : { customerId }), error: describeError(error) });
      }
    }
    await running.settled();

    // 5. Check and print.
    const rows: SummaryRow[] = [];
    for (const run of runs) {
      const customer = run.customerId === undefined ? undefined : await client.getCustomer(run.customerId);
      const row = await checkRun(client, journal, run, customer);
      rows.push(row);
      const entries = run.customerId === undefined ? [] : journal.entries(run.customerId);
      const [title, ...timeline] = formatTimeline(`${run.scenario.provider} · ${row.scenario}`, customer, entries, style);
      write(`${style.bold('────')} ${title ?? ''}`);
      for (const line of timeline) write(line);
      if (run.error !== undefined) write(`  ${style.red(`✗ ${run.error}`)}`);
      write('');
    }
    for (const entry of notApplicable) {
      rows.push({ provider: entry.provider, scenario: SCENARIO_TITLES[entry.key], notes: [entry.reason] });
    }
    rows.sort((a, b) => order(a) - order(b));

    const consumed = runs.flatMap((run) => (run.customerId === undefined ? [] : [{ id: run.customerId, expected: journal.events(run.customerId) }]));
    await consumer.caughtUp(consumed.flatMap((customer) => customer.expected));
    const durableDelivery = consumer.report(consumed, style);
    for (const line of durableDelivery.lines) write(line);
    write('');

    const webhooks = webhookStats(receiver, style);
    const webhookProvider = selected.find((id) => client.providers.get(id)?.capabilities.webhooks === true);
    const security = await checkForgedWebhook(receiver, webhookProvider, style);

    write(style.bold('Summary'));
    for (const line of formatSummary(rows, style)) write(`  ${line}`);
    const polled = selected.filter((id) => client.providers.get(id)?.capabilities.webhooks === false);
    const pollLines = polled.map((id) => style.dim(`· ${id} sends no webhooks: its back-office changes were found by reconcile()`));
    const footer = [...webhooks.lines, ...security.lines, ...pollLines];
    if (footer.length > 0) write('');
    for (const line of footer) write(`  ${line}`);

    const ok = rows.every((row) => row.ok !== false) && security.ok && webhooks.ok && durableDelivery.ok;
    write('');
    write(ok ? style.green('✓ every expected outcome happened') : style.red('✗ some expected outcomes did not happen (see ✗ above)'));
    return { ok, rows };

    function order(row: SummaryRow): number {
      const provider = selected.indexOf(row.provider as ProviderId);
      const scenario = Object.values(SCENARIO_TITLES).indexOf(row.scenario);
      return provider * 10 + scenario;
    }
  } finally {
    // Stop receiving first, then the client's connection pools, then the providers.
    await endpoint?.close().catch(() => undefined);
    await consumer?.stop().catch(() => undefined);
    await kyc?.close().catch(() => undefined);
    await sims?.close().catch(() => undefined);
    await durable?.store.close().catch(() => undefined);
  }
}

/** Where the customers live, and what the previous run left there. */
function describeStore(durable: DemoStore, style: Style): string[] {
  const lines = [
    style.bold('Store') + style.dim(` pgliteStore (embedded PostgreSQL) in ${durable.dataDir} · run ${durable.run} · \`--fresh\` starts over`),
  ];
  const previous = durable.previous;
  if (previous === undefined) {
    lines.push(style.dim('  no earlier run here: the customers below will still be here next time'));
    return lines;
  }
  lines.push(`  run ${previous.run} (${previous.startedAt}) left ${previous.customers.length} customers:`);
  for (const customer of previous.customers) {
    lines.push(style.dim(`    ${customer.reference.padEnd(44)} ${customer.provider.padEnd(16)} ${customer.status}`));
  }
  return lines;
}

/** Final status, the exact event sequence (each event once, as stored), and the scenario's own checks. */
async function checkRun(kyc: Kyc, journal: DemoJournal, run: ScenarioRun, customer: Customer | undefined): Promise<SummaryRow> {
  const { scenario } = run;
  const base = { provider: scenario.provider, scenario: SCENARIO_TITLES[scenario.key], expected: scenario.expectedStatus };
  if (customer === undefined) return { ...base, ok: false, notes: [run.error ?? 'the scenario did not create a customer'] };

  const notes: string[] = [];
  if (run.error !== undefined) notes.push(run.error);
  if (customer.status !== scenario.expectedStatus) notes.push(`ended ${customer.status}, expected ${scenario.expectedStatus}`);

  const received = journal.events(customer.id);
  const types = received.map((event) => event.type.replace('customer.', ''));
  const expected = scenario.expectedEvents.map((type) => type.replace('customer.', ''));
  if (types.join(',') !== expected.join(',')) notes.push(`events [${types.join(', ')}], expected [${expected.join(', ')}]`);
  const ids = received.map((event) => event.id);
  if (new Set(ids).size !== ids.length) notes.push('an event was delivered more than once');
  const stored = (await kyc.listEvents(customer.id)).map((event) => event.id);
  if (stored.join(',') !== ids.join(',')) notes.push(`subscribers saw ${ids.length} events, the store holds ${stored.length}`);
  notes.push(...(scenario.check?.(customer) ?? []));

  return { ...base, final: customer.status, ok: notes.length === 0, events: received.length, notes };
}

/** A delivery that was not signed by the provider must be refused with 401 and change nothing. */
async function checkForgedWebhook(
  endpoint: WebhookEndpoint,
  target: ProviderId | undefined,
  style: Style,
): Promise<{ ok: boolean; lines: string[] }> {
  if (target === undefined) return { ok: true, lines: [] };
  const response = await fetch(endpoint.urlFor(target), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'technest-signature': 't=1,v1=00', 'webhook-id': 'msg_forged', 'webhook-timestamp': '1', 'webhook-signature': 'v1,AAAA' },
    body: JSON.stringify({ type: 'customer.state_changed', data: { status: 'ACTIVE' } }),
  });
  await response.arrayBuffer();
  const ok = response.status === 401;
  const mark = ok ? style.green('✓') : style.red('✗');
  return { ok, lines: [`${mark} a forged ${target} webhook was answered ${response.status} (expected 401)`] };
}

/** Every delivery the providers made must have been accepted (a refused one is a lost status change). */
function webhookStats(endpoint: WebhookEndpoint, style: Style): { ok: boolean; lines: string[] } {
  const deliveries = endpoint.deliveries();
  if (deliveries.length === 0) return { ok: true, lines: [] };
  const accepted = deliveries.filter((delivery) => delivery.status === 200);
  const duplicates = accepted.filter((delivery) => delivery.duplicate).length;
  const applied = accepted.filter((delivery) => delivery.events > 0).length;
  // Deliveries that changed nothing, by openkyc's reason (e.g. the status was already known from the API).
  const reasons = new Map<string, number>();
  for (const delivery of accepted) {
    if (delivery.duplicate || delivery.events > 0) continue;
    const reason = delivery.ignored ?? 'no change';
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const refused = deliveries.filter((delivery) => delivery.status !== 200);
  const parts = [
    `${applied} applied`,
    `${duplicates} duplicate`,
    ...[...reasons].map(([reason, count]) => `${count} ${reason === 'no change' ? 'already known from the API' : reason}`),
  ];
  const ok = refused.length === 0;
  const mark = ok ? style.green('✓') : style.red('✗');
  const refusedNote = ok ? '' : `; ${refused.length} refused (${refused.map((delivery) => `${delivery.providerId} ${delivery.status} ${delivery.ignored ?? ''}`.trim()).join(', ')})`;
  return { ok, lines: [`${mark} webhook endpoint: ${deliveries.length} provider deliveries, ${accepted.length} answered 200 (${parts.join(', ')})${refusedNote}`] };
}

function maskSecrets(config: unknown): unknown {
  const secretKeys = new Set(['clientSecret', 'webhookSecret', 'apiKey', 'password']);
  return JSON.parse(JSON.stringify(config), (key, value: unknown) => (secretKeys.has(key) && typeof value === 'string' ? '•••' : value));
}

function describeError(error: unknown): string {
  // openkyc's error messages never contain personal data, so they can be shown.
  if (KycError.isInstance(error)) return `${error.name} (${error.code}): ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

const stderrLogger: KycLogger = {
  debug: () => {},
  info: (obj, msg) => process.stderr.write(`[info] ${msg ?? ''} ${JSON.stringify(obj)}\n`),
  warn: (obj, msg) => process.stderr.write(`[warn] ${msg ?? ''} ${JSON.stringify(obj)}\n`),
  error: (obj, msg) => process.stderr.write(`[error] ${msg ?? ''} ${JSON.stringify(obj)}\n`),
};

// --- command line -------------------------------------------------------------

export type ParsedArgs =
  | { readonly kind: 'run'; readonly providers: readonly ProviderId[]; readonly verbose: boolean; readonly fresh?: boolean }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

const USAGE = `Usage: npm run demo [-- --provider <id>] [--verbose] [--fresh]

  --provider <id>   run one provider only: ${PROVIDER_IDS.join(', ')}
                    (also KYC_PROVIDER=<id>; default: all three)
  --verbose         print openkyc's log lines (redacted) to stderr
  --fresh           forget earlier runs: start with an empty data directory
  OPENKYC_DEMO_DATA_DIR=<dir>  where the embedded store lives (default examples/.openkyc-demo)
  NO_COLOR=1        plain output (also when not a terminal)`;

export function parseDemoArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedArgs {
  let requested: string | undefined = env.KYC_PROVIDER?.trim() || undefined;
  let verbose = false;
  let fresh = false;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (arg === '--verbose' || arg === '-v') verbose = true;
    else if (arg === '--fresh') fresh = true;
    else if (arg === '--provider' || arg === '-p') {
      const value = argv[++index];
      if (value === undefined || value.startsWith('-')) return { kind: 'error', message: `${arg} needs a provider id (${PROVIDER_IDS.join(', ')}).` };
      requested = value;
    } else if (arg.startsWith('--provider=')) requested = arg.slice('--provider='.length);
    else return { kind: 'error', message: `Unknown argument '${arg}'.\n\n${USAGE}` };
  }
  if (requested === undefined || requested === 'all') return { kind: 'run', providers: PROVIDER_IDS, verbose, ...(fresh ? { fresh } : {}) };
  const names = requested.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !isProviderId(name));
  if (unknown.length > 0 || names.length === 0) {
    return {
      kind: 'error',
      message: `Unknown provider '${unknown[0] ?? requested}'. Choose one of: ${PROVIDER_IDS.join(', ')} (or leave it out to run all three).`,
    };
  }
  return { kind: 'run', providers: [...new Set(names as ProviderId[])], verbose, ...(fresh ? { fresh } : {}) };
}

async function main(): Promise<number> {
  const parsed = parseDemoArgs(process.argv.slice(2), process.env);
  if (parsed.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`${parsed.message}\n`);
    return 2;
  }
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  // `npm run demo | head`: once the reader is gone, keep running (servers still get closed) but stop writing.
  let readerGone = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    readerGone = true;
  });
  const write = (line: string): void => {
    if (!readerGone) process.stdout.write(`${line}\n`);
  };
  const dataDir = process.env.OPENKYC_DEMO_DATA_DIR?.trim() || undefined;
  const result = await runDemo({
    providers: parsed.providers,
    write,
    color: process.stdout.isTTY === true && !noColor,
    verbose: parsed.verbose,
    fresh: parsed.fresh === true,
    ...(dataDir === undefined ? {} : { dataDir }),
  });
  return result.ok ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // A stuck provider call must not hang CI: give up after a generous minute.
  const watchdog = setTimeout(() => {
    process.stderr.write('openkyc demo: still running after 60 s; giving up.\n');
    process.exit(1);
  }, 60_000);
  watchdog.unref();
  main().then(
    (code) => {
      process.exitCode = code;
      // Every server is closed by now; if something still holds the event loop, say so instead of hanging.
      setTimeout(() => {
        process.stderr.write('openkyc demo: finished, but open handles keep the process alive; exiting.\n');
        process.exit(code === 0 ? 1 : code);
      }, 5_000).unref();
    },
    (error: unknown) => {
      process.stderr.write(`openkyc demo failed: ${describeError(error)}\n`);
      process.exitCode = 1;
    },
  );
}
