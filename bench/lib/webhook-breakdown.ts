/**
 * `npx tsx bench/lib/webhook-breakdown.ts`: where one Technest delivery's time
 * goes in `kyc.handleWebhook`, step by step, each step timed on its own over
 * many iterations (built packages). A diagnostic for figures 2 and 3, not a figure.
 */
import { randomBytes } from 'node:crypto';
import { technest } from '@openkyc/adapter-technest';
import { applyProviderReport, createKyc, memoryStore, normalizeHeaders, toRawBytes, type Customer, type KycEvent } from '@openkyc/core';
import { signTechnestWebhook } from '@openkyc/testkit';
import { SIM_CREDENTIALS } from './fixtures.js';
import { stubProvider } from './stub-provider.js';
import { floorVerifyAndParse } from './webhook-floor.js';

const N = Number(process.argv[2] ?? 20_000);
const secret = SIM_CREDENTIALS.webhookSecret;

/** CPU time, best of 5 passes over the same N inputs (the machine is shared: CPU time and the minimum are the least disturbed). */
function time(label: string, fn: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(N, 5_000); i++) fn(i);
  let best = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < 5; pass++) {
    const started = process.cpuUsage();
    for (let i = 0; i < N; i++) fn(i);
    const used = process.cpuUsage(started);
    best = Math.min(best, (used.user + used.system) / N);
  }
  console.log(`${label.padEnd(46)} ${best.toFixed(3).padStart(8)} µs`);
  return best;
}
async function timeAsync(label: string, fn: (i: number) => Promise<unknown>, warmup = true): Promise<number> {
  if (warmup) for (let i = 0; i < Math.min(N, 5_000); i++) await fn(i);
  const started = process.cpuUsage();
  for (let i = 0; i < N; i++) await fn(i);
  const used = process.cpuUsage(started);
  const micros = (used.user + used.system) / N;
  console.log(`${label.padEnd(46)} ${micros.toFixed(3).padStart(8)} µs`);
  return micros;
}

// Pending customers, through the public API.
const store = memoryStore();
const pcid = (reference: string): string => `ckcust_${Number(reference.slice(reference.lastIndexOf('-') + 1)).toString(16).padStart(24, '0')}`;
const setup = createKyc({ providers: [stubProvider({ id: 'technest', providerCustomerId: pcid, statusFor: () => 'pending' })], store });
const total = 3 * N + 10_000;
const ids: string[] = [];
for (let i = 0; i < total; i++) {
  const c = await setup.createCustomer({ reference: `wb-${i}`, type: 'individual', email: `c${i}@example.com`, firstName: 'Jane', lastName: 'Smith' });
  await setup.refresh(c.id);
  ids.push(c.id);
}
const decidedAt = new Date(Date.now() + 2_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const t = Math.floor(Date.now() / 1000);
const deliveries = ids.map((_, i) => {
  const body = Buffer.from(
    JSON.stringify({
      id: `evt_${randomBytes(12).toString('hex')}`,
      event: 'customer.status_changed',
      created_at: decidedAt,
      data: { object: 'customer', id: pcid(`wb-${i}`), customer_reference: `wb-${i}`, status: 'verified', verified_at: decidedAt, previous_status: 'pending' },
    }),
  );
  return {
    headers: { host: '127.0.0.1:3000', 'user-agent': 'Technest-Webhooks/1.0', 'content-type': 'application/json', 'content-length': String(body.length), 'technest-signature': signTechnestWebhook(secret, body, t) },
    body,
  };
});

const adapter = technest({ baseUrl: 'http://127.0.0.1:9', ...SIM_CREDENTIALS });
const kyc = createKyc({ providers: [adapter], store });
kyc.subscribe(() => {});
const now = new Date();
let sink = 0;

console.log(`per delivery, ${N} iterations (node ${process.version})`);
const nowSeconds = Math.floor(Date.now() / 1000);
// Figure 2's own floor (bench/lib/webhook-floor.ts), so the ratios below are the figure's.
const floor = time('floor: HMAC verify + JSON.parse', (i) => {
  sink += floorVerifyAndParse(deliveries[i]!, secret, nowSeconds);
});
time('normalizeHeaders', (i) => normalizeHeaders(deliveries[i]!.headers));
const requests = deliveries.map((d) => ({ headers: normalizeHeaders(d.headers), rawBody: toRawBytes(d.body), now }));
time('adapter.webhooks.verify', (i) => adapter.webhooks!.verify(requests[i]!));
const parsed = requests.map((r) => adapter.webhooks!.parse(r));
time('adapter.webhooks.parse', (i) => adapter.webhooks!.parse(requests[i]!));
await timeAsync('store.hasProcessed', (i) => store.hasProcessed('technest', parsed[i]!.dedupeKey));
const customers: Customer[] = [];
await timeAsync('store.findByProviderCustomerId (decode)', async (i) => {
  const c = await store.findByProviderCustomerId('technest', pcid(`wb-${i}`));
  customers[i] = c!;
});
const outcomes: { customer: Customer; events: readonly KycEvent[] }[] = [];
time('applyProviderReport', (i) => {
  const p = parsed[i]!;
  if (p.kind !== 'report') throw new Error('not a report');
  outcomes[i] = applyProviderReport(customers[i]!, p.report, 'webhook', now);
});
await timeAsync('store.commit (encode)', async (i) => {
  const o = outcomes[i]!;
  const r = await store.commit({ customer: o.customer, expectedVersion: o.customer.version - 1, events: o.events, dedupe: { provider: 'technest', key: `k${i}` } });
  if (!r.ok) throw new Error(r.reason);
}, false);
const whole = await timeAsync('kyc.handleWebhook, new transition (whole)', async (i) => {
  const r = await kyc.handleWebhook('technest', deliveries[N + i]!);
  if (r.events.length !== 1) throw new Error('no event');
}, false);
const dup = await timeAsync('kyc.handleWebhook, duplicate (whole)', async () => {
  const r = await kyc.handleWebhook('technest', deliveries[N]!);
  if (!r.duplicate) throw new Error('not a duplicate');
});
console.log(`ratio new: ${(floor / whole).toFixed(3)}×, duplicates: ${(floor / dup).toFixed(3)}× (sink ${sink > 0})`);
