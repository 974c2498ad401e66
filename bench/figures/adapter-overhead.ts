import { createKyc, memoryStore, type Customer } from '@openkyc/core';
import { technest } from '@openkyc/adapter-technest';
import { CUSTOMERS_PER_ACCOUNT, startAccounts, tokensPerAccount } from '../lib/accounts.js';
import { benchApplication, SIM_CREDENTIALS } from '../lib/fixtures.js';
import { rawAgent, rawTechnest } from '../lib/raw-technest.js';
import { alternate, forEachConcurrent, fmt, startTimer, summarise, type RoundResult } from '../lib/rounds.js';
import { judge, type BenchContext, type FigureResult } from '../lib/types.js';

const CONCURRENCY = 16;

/**
 * Figure 1 — a full Technest submit through openkyc (`kyc.submit`: validation,
 * token, GET, PATCH, 3 × upload intent + pre-signed PUT, attach, ack, lifecycle
 * commit) against the same ten HTTP calls made with raw `undici.request`.
 *
 * Fairness:
 * - every round starts a fresh simulator and pre-creates its customers
 *   (untimed), so both sides meet the same server state;
 * - both sides get a fresh pool with the toolkit's Agent options (16
 *   connections per origin, same keep-alive) and fetch one token inside the
 *   timed phase (the adapter caches it; so does the raw side);
 * - the same application object (same bytes) is sent by both;
 * - the simulator's request log of every round is grouped by route and the
 *   counts must be identical on both sides (checked, and kept in results.json).
 */
export async function adapterOverhead(ctx: BenchContext): Promise<FigureResult> {
  const sim = await ctx.sim();
  // 3 000 submits (~1.5 s) a round: with 600 (~0.3 s) one major GC or scheduler hiccup moved a round by
  // 20 % (quiet-machine pair ratios 0.78–1.05 in one run), and the median followed the noise.
  const customersPerRound = ctx.short ? 200 : 3000;
  const accounts = Math.ceil(customersPerRound / CUSTOMERS_PER_ACCOUNT);
  const pairs = ctx.short ? 2 : 5;
  const application = benchApplication();
  const callCounts: { side: string; round: number; counts: Record<string, number> }[] = [];
  const accountOf = (i: number): number => i % accounts;

  async function recordCalls(side: string, round: number): Promise<void> {
    const counts = await sim.call<Record<string, number>>('technest.requests');
    callCounts.push({ side, round, counts });
    await sim.call('technest.clear');
  }

  async function baseline(round: number): Promise<RoundResult> {
    const urls = await startAccounts(sim, 'submit', accounts);
    const rawFor = (dispatcher: ReturnType<typeof rawAgent>) =>
      urls.map((u) => rawTechnest({ baseUrl: u.url, clientId: SIM_CREDENTIALS.clientId, clientSecret: SIM_CREDENTIALS.clientSecret, dispatcher, application }));
    // Setup (untimed): the customers to submit, with a pool of its own.
    const setupAgent = rawAgent();
    const setup = rawFor(setupAgent);
    const setupToken = tokensPerAccount(setup);
    const ids: string[] = new Array(customersPerRound);
    await forEachConcurrent(ids, CONCURRENCY, async (_, i) => {
      ids[i] = await setup[accountOf(i)]!.createCustomer(`bench-${round}-${i}`, await setupToken(accountOf(i)));
    });
    await setupAgent.close();
    await sim.call('technest.clear');

    const agent = rawAgent();
    const raws = rawFor(agent);
    const timer = await startTimer(() => sim.cpu());
    await ctx.timedPhase(
      'adapter-overhead-raw',
      round,
      async () => {
        const token = tokensPerAccount(raws);
        await forEachConcurrent(ids, CONCURRENCY, async (id, i) => raws[accountOf(i)]!.submit(id, await token(accountOf(i))));
      },
      true,
    );
    const result = await timer.stop(ids.length);
    await agent.close();
    await recordCalls('baseline', round);
    return result;
  }

  async function subject(round: number): Promise<RoundResult> {
    const urls = await startAccounts(sim, 'submit', accounts);
    const adapters = () => urls.map((u, a) => technest({ id: `technest-${a}`, baseUrl: u.url, ...SIM_CREDENTIALS }));
    const store = memoryStore();
    const setup = createKyc({ providers: adapters(), store });
    const customers: Customer[] = new Array(customersPerRound);
    await forEachConcurrent(customers, CONCURRENCY, async (_, i) => {
      customers[i] = await setup.createCustomer({
        reference: `bench-${round}-${i}`,
        type: 'individual',
        email: application.person.email,
        firstName: application.person.firstName,
        lastName: application.person.lastName,
        provider: `technest-${accountOf(i)}`,
      });
    });
    await setup.close();
    await sim.call('technest.clear');

    // A fresh client on the same store: its adapters have no token and no connections yet.
    const kyc = createKyc({ providers: adapters(), store });
    const timer = await startTimer(() => sim.cpu());
    await ctx.timedPhase(
      'adapter-overhead',
      round,
      () =>
        forEachConcurrent(customers, CONCURRENCY, async (customer) => {
          const after = await kyc.submit(customer.id, application);
          if (after.status !== 'pending') throw new Error(`submit left ${customer.id} ${after.status}`);
        }),
      true,
    );
    const result = await timer.stop(customers.length);
    await kyc.close();
    await recordCalls('subject', round);
    return result;
  }

  ctx.log(`  [1] adapter overhead: ${pairs} pairs × ${customersPerRound} submits over ${accounts} accounts, concurrency ${CONCURRENCY}`);
  const rounds = await alternate({
    warmupPairs: 1,
    pairs,
    baseline,
    subject,
    log: ctx.log,
  });
  await sim.call('technest.stopAll');
  const summary = summarise(rounds);

  const measured = callCounts.filter((entry) => entry.round >= 0);
  const reference = JSON.stringify(sortKeys(measured[0]?.counts ?? {}));
  const equalCalls = measured.every((entry) => JSON.stringify(sortKeys(entry.counts)) === reference);
  const target = { op: '>=' as const, value: 0.9, label: '≥ 0.9×' };
  const notes = [
    `client CPU per submit: raw ${fmt(summary.baselineClientCpuMicrosPerOp)} µs, openkyc ${fmt(summary.subjectClientCpuMicrosPerOp)} µs (${(summary.baselineClientCpuMicrosPerOp / summary.subjectClientCpuMicrosPerOp).toFixed(2)}× as CPU-efficient)`,
    `simulator utilisation (1 = one core busy): raw rounds ${summary.baselineServerUtilisation?.toFixed(2)}, openkyc rounds ${summary.subjectServerUtilisation?.toFixed(2)}`,
    `calls per round (simulator log, every round): ${equalCalls ? 'identical on both sides' : 'DIFFERENT — see results.json'}: ${Object.entries(sortKeys(measured[0]?.counts ?? {}))
      .map(([route, count]) => `${route} ×${count}`)
      .join(', ')}`,
    `documents: 3 × ${application.documents[0]!.front.content.length} bytes (same Uint8Arrays on both sides); ${accounts} Technest accounts of ${CUSTOMERS_PER_ACCOUNT} customers, fresh every round (see bench/lib/accounts.ts)`,
  ];
  if (!equalCalls) throw new Error(`figure 1: call counts differ between rounds: ${JSON.stringify(measured)}`);
  return {
    id: 'adapter-overhead',
    title: '1. Adapter overhead: Technest submit, concurrency 16',
    baselineLabel: 'raw undici.request',
    subjectLabel: 'kyc.submit',
    unit: 'submits/s',
    baseline: summary.baseline,
    subject: summary.subject,
    value: summary.ratio,
    valueLabel: `${summary.ratio.toFixed(3)}×`,
    valueSpread: { min: summary.pairRatios.min, max: summary.pairRatios.max },
    target,
    pass: judge(summary.ratio, target),
    notes,
    raw: { rounds, summary, callCounts, customersPerRound, concurrency: CONCURRENCY },
  };
}

function sortKeys(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
