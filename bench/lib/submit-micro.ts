/**
 * CPU per `kyc.submit` (figure 1's subject) next to the same ten calls with raw
 * `undici.request`, alternating, against the simulators in a child process: a
 * quick loop for tuning the submit path. `node --expose-gc --import tsx bench/lib/submit-micro.ts [n] [rounds]`
 * SUBMIT_MICRO_PROFILE=1 writes a CPU profile of the last openkyc round to bench/profiles/submit-micro-client.cpuprofile.
 */
import { createKyc, memoryStore, type Customer } from '@openkyc/core';
import { technest } from '@openkyc/adapter-technest';
import { startAccounts } from './accounts.js';
import { benchApplication, SIM_CREDENTIALS } from './fixtures.js';
import { rawAgent, rawTechnest } from './raw-technest.js';
import { profiled } from './profile.js';
import { forEachConcurrent } from './rounds.js';
import { startSimProcess } from './sim-process.js';

const n = Number(process.argv[2] ?? 600);
const rounds = Number(process.argv[3] ?? 4);
const application = benchApplication();
const sim = await startSimProcess();

async function cpuOf(work: () => Promise<void>): Promise<number> {
  // Under `node --expose-gc`: earlier rounds' garbage is not collected on this round's time.
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}

async function raw(round: number): Promise<number> {
  const [url] = await startAccounts(sim, 'submit-micro', 1);
  const agent = rawAgent();
  const side = rawTechnest({ baseUrl: url!.url, ...SIM_CREDENTIALS, dispatcher: agent, application });
  const setupToken = await side.token();
  const ids: string[] = new Array(n);
  await forEachConcurrent(ids, 16, async (_, i) => {
    ids[i] = await side.createCustomer(`raw-${round}-${i}`, setupToken);
  });
  await agent.close();
  const timedAgent = rawAgent();
  const timed = rawTechnest({ baseUrl: url!.url, ...SIM_CREDENTIALS, dispatcher: timedAgent, application });
  const us = await cpuOf(async () => {
    const token = timed.token();
    await forEachConcurrent(ids, 16, async (id) => timed.submit(id, await token));
  });
  await timedAgent.close();
  return us;
}

async function subject(round: number): Promise<number> {
  const [url] = await startAccounts(sim, 'submit-micro', 1);
  const adapters = () => [technest({ id: 'technest-0', baseUrl: url!.url, ...SIM_CREDENTIALS })];
  const store = memoryStore();
  const setup = createKyc({ providers: adapters(), store });
  const customers: Customer[] = new Array(n);
  await forEachConcurrent(customers, 16, async (_, i) => {
    const { person } = application;
    customers[i] = await setup.createCustomer({
      reference: `sub-${round}-${i}`,
      type: 'individual',
      email: person.email,
      firstName: person.firstName,
      lastName: person.lastName,
      provider: 'technest-0',
    });
  });
  await setup.close();
  const kyc = createKyc({ providers: adapters(), store });
  const work = () =>
    forEachConcurrent(customers, 16, async (customer) => {
      const after = await kyc.submit(customer.id, application);
      if (after.status !== 'pending') throw new Error(`submit left ${customer.id} ${after.status}`);
    });
  const profile = process.env.SUBMIT_MICRO_PROFILE === '1' && round === rounds - 1;
  const us = await cpuOf(() => (profile ? profiled('submit-micro', work, console.log) : work()));
  await kyc.close();
  return us;
}

const only = process.env.SUBMIT_MICRO_ONLY;
for (let round = -1; round < rounds; round++) {
  const a = only === 'subject' ? Number.NaN : await raw(round);
  const b = only === 'raw' ? Number.NaN : await subject(round);
  if (round >= 0) console.log(`raw ${a.toFixed(0)} µs, openkyc ${b.toFixed(0)} µs per submit: +${(b - a).toFixed(0)} µs`);
}
await sim.call('technest.stopAll');
await sim.close();
