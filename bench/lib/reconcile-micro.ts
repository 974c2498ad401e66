/**
 * CPU per customer of `kyc.reconcile({ all: true, concurrency: 16 })` without a network: the
 * in-process stub provider answers every poll `pending`, so what is measured is core's own part of
 * figure 5 (claim, refresh, apply, versioned commit, memoryStore codec, review-overdue check).
 * `node --expose-gc --import tsx bench/lib/reconcile-micro.ts [customers] [rounds] [core module]`
 * (the module defaults to the built `@openkyc/core`; pass another build's `dist/index.js` to compare).
 * RECONCILE_MICRO_PROFILE=1 writes a CPU profile of the last round to bench/profiles/reconcile-micro.cpuprofile.
 */
import { pathToFileURL } from 'node:url';
import { profiled } from './profile.js';
import { stubProvider } from './stub-provider.js';

const n = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 5);
const modulePath = process.argv[4];
const core = (await import(modulePath === undefined ? '@openkyc/core' : pathToFileURL(modulePath).href)) as typeof import('@openkyc/core');

const provider = () =>
  stubProvider({ id: 'stub', providerCustomerId: (reference) => `p-${reference}`, statusFor: () => 'pending' });
const store = core.memoryStore();
const setup = core.createKyc({ providers: [provider()], store });
for (let i = 0; i < n; i++) {
  const created = await setup.createCustomer({ reference: `rec-${i}`, type: 'individual', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' });
  await setup.refresh(created.id);
}
await setup.close();

const perCustomer: number[] = [];
for (let round = 0; round < rounds; round++) {
  const kyc = core.createKyc({ providers: [provider()], store });
  (globalThis as { gc?: () => void }).gc?.();
  const work = () => kyc.reconcile({ all: true, concurrency: 16 });
  const before = process.cpuUsage();
  const profile = process.env.RECONCILE_MICRO_PROFILE === '1' && round === rounds - 1;
  const outcome = await (profile ? profiled('reconcile-micro', work, console.log) : work());
  const used = process.cpuUsage(before);
  if (outcome.checked !== n || outcome.failed.length > 0) throw new Error(`reconcile: ${JSON.stringify(outcome).slice(0, 300)}`);
  perCustomer.push((used.user + used.system) / n);
  await kyc.close();
}
const sorted = perCustomer.slice(1).sort((a, b) => a - b);
console.log(`CPU per customer, median of rounds 2–${rounds}: ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} µs [${sorted[0]!.toFixed(2)}–${sorted.at(-1)!.toFixed(2)}]`);
