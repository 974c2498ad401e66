import { technest } from '@openkyc/adapter-technest';
import { createKyc, memoryStore, type Application } from '@openkyc/core';
import { CUSTOMERS_PER_ACCOUNT, startAccounts, tokensPerAccount } from '../lib/accounts.js';
import { benchApplication, SIM_CREDENTIALS } from '../lib/fixtures.js';
import { rawAgent, rawTechnest } from '../lib/raw-technest.js';
import { alternate, forEachConcurrent, fmt, startTimer, summarise, type RoundResult } from '../lib/rounds.js';
import { judge, type BenchContext, type FigureResult } from '../lib/types.js';

const CONCURRENCY = 16;

/**
 * Figure 5 — `kyc.reconcile({ all: true, concurrency: 16 })` over N customers
 * pending at Technest and in the store, against raw `undici.request` GETs of
 * the same provider customers at the same concurrency.
 *
 * Set up once (untimed, through the public API: createCustomer + submit of a
 * one-document application), so the simulators hold exactly N customers in
 * every round. Every round uses fresh pools and fetches one token per account
 * inside the timed phase, on both sides; the simulators' request logs prove
 * the same calls (a token per account + N GETs) on both sides.
 */
export async function reconcileFigure(ctx: BenchContext): Promise<FigureResult> {
  const sim = await ctx.sim();
  const count = ctx.customers ?? (ctx.short ? 1_000 : 10_000);
  const pairs = ctx.short ? 2 : 5;
  const accounts = Math.ceil(count / CUSTOMERS_PER_ACCOUNT);
  const full = benchApplication();
  // One document is enough to start verification (id_file); fewer setup calls.
  const application: Application = { ...full, documents: [full.documents[0]!] };

  ctx.log(`  [5] reconcile: ${count} pending customers over ${accounts} Technest accounts, ${pairs} pairs, concurrency ${CONCURRENCY}`);
  const setupStarted = performance.now();
  const accountUrls = await startAccounts(sim, 'reconcile', accounts);
  const adapters = () => accountUrls.map((urls, a) => technest({ id: `technest-${a}`, baseUrl: urls.url, ...SIM_CREDENTIALS }));
  const store = memoryStore();
  const setup = createKyc({ providers: adapters(), store });
  /** [account, provider customer id] of every customer. */
  const targets: [number, string][] = new Array(count);
  await forEachConcurrent(targets, CONCURRENCY, async (_, i) => {
    const account = i % accounts;
    const created = await setup.createCustomer({
      reference: `rec-${i}`,
      type: 'individual',
      email: full.person.email,
      firstName: full.person.firstName,
      lastName: full.person.lastName,
      provider: `technest-${account}`,
    });
    const submitted = await setup.submit(created.id, application);
    if (submitted.status !== 'pending') throw new Error('setup: not pending');
    targets[i] = [account, submitted.providerCustomerId];
  });
  await setup.close();
  await sim.call('technest.clear');
  ctx.log(`    setup: ${count} customers pending in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`);

  const callCounts: { side: string; round: number; counts: Record<string, number> }[] = [];
  async function recordCalls(side: string, round: number): Promise<void> {
    callCounts.push({ side, round, counts: await sim.call<Record<string, number>>('technest.requests') });
    await sim.call('technest.clear');
  }

  async function baseline(round: number): Promise<RoundResult> {
    const agent = rawAgent();
    const raws = accountUrls.map((urls) =>
      rawTechnest({ baseUrl: urls.url, clientId: SIM_CREDENTIALS.clientId, clientSecret: SIM_CREDENTIALS.clientSecret, dispatcher: agent, application }),
    );
    const timer = await startTimer(() => sim.cpu());
    await ctx.timedPhase('reconcile-raw', round, async () => {
      const token = tokensPerAccount(raws);
      await forEachConcurrent(targets, CONCURRENCY, async ([account, id]) => {
        const customer = await raws[account]!.getCustomer(id, await token(account));
        if (customer.status !== 'pending') throw new Error(`raw: ${id} is ${customer.status}`);
      });
    }, true);
    const result = await timer.stop(count);
    await agent.close();
    await recordCalls('baseline', round);
    return result;
  }

  async function subject(round: number): Promise<RoundResult> {
    const kyc = createKyc({ providers: adapters(), store });
    const timer = await startTimer(() => sim.cpu());
    const outcome = await ctx.timedPhase('reconcile', round, () => kyc.reconcile({ all: true, concurrency: CONCURRENCY }), true);
    const result = await timer.stop(count);
    if (outcome.checked !== count || outcome.failed.length > 0 || outcome.changed !== 0) {
      throw new Error(`reconcile: ${JSON.stringify({ ...outcome, failed: outcome.failed.slice(0, 3) })}`);
    }
    await kyc.close();
    await recordCalls('subject', round);
    return result;
  }

  const rounds = await alternate({ warmupPairs: 1, pairs, baseline, subject, log: ctx.log });
  await sim.call('technest.stopAll');
  const summary = summarise(rounds);
  const measured = callCounts.filter((entry) => entry.round >= 0);
  const reference = JSON.stringify(measured[0]?.counts);
  const equalCalls = measured.every((entry) => JSON.stringify(entry.counts) === reference);
  if (!equalCalls) throw new Error(`figure 5: call counts differ: ${JSON.stringify(measured)}`);
  const target = { op: '>=' as const, value: 0.85, label: '≥ 0.85×' };
  return {
    id: 'reconcile',
    title: `5. Reconcile ${count.toLocaleString('en-US')} pending, concurrency 16`,
    baselineLabel: 'raw undici.request GETs',
    subjectLabel: 'kyc.reconcile({ all: true })',
    unit: 'customers/s',
    baseline: summary.baseline,
    subject: summary.subject,
    value: summary.ratio,
    valueLabel: `${summary.ratio.toFixed(3)}×`,
    valueSpread: { min: summary.pairRatios.min, max: summary.pairRatios.max },
    target,
    pass: judge(summary.ratio, target),
    notes: [
      `client CPU per customer: raw ${fmt(summary.baselineClientCpuMicrosPerOp)} µs, openkyc ${fmt(summary.subjectClientCpuMicrosPerOp)} µs`,
      `simulator utilisation (1 = one core busy): raw rounds ${summary.baselineServerUtilisation?.toFixed(2)}, openkyc rounds ${summary.subjectServerUtilisation?.toFixed(2)}`,
      `${accounts} Technest accounts (simulator instances) of up to ${CUSTOMERS_PER_ACCOUNT} customers, one adapter per account (see bench/lib/accounts.ts)`,
      `calls per round (simulator logs, every round identical): ${Object.entries(measured[0]?.counts ?? {})
        .map(([route, n]) => `${route} ×${n}`)
        .join(', ')}`,
    ],
    raw: { rounds, summary, callCounts, count, accounts, concurrency: CONCURRENCY },
  };
}
