/**
 * A lower bound for figure 2, not a figure: the same signed Technest deliveries through exactly the
 * adapter's own steps — core's `verifyTimestampedHmac` (adapter `verify`), the peek (`JSON.parse` of the
 * body) and the zod parse (adapter `parse`) — and then the least any design must do: one probe of a dedupe
 * Set, one probe of a plain `Map` of customer objects, a table lookup for the transition, a fresh customer
 * object written back, one event object, the dedupe key added. No codec, no store interface, no events
 * bus, no span, no lifecycle rules beyond the table.
 *
 * Figure 2 measures it in every baseline round (`speedOfLightCpuMicros`) and prints floor ÷ it: the most
 * any design could reach in that run. `npx tsx bench/lib/webhook-speed-of-light.ts [N]` prints CPU µs per
 * delivery (best of 5 passes, each over N fresh pending customers) for the floor (bare HMAC +
 * JSON.parse), this speed of light (sync loop, and with one `await` per delivery as any async API has),
 * and `kyc.handleWebhook` on memoryStore, and the ratios floor ÷ each.
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { technest } from '@openkyc/adapter-technest';
import { createKyc, memoryStore, type Customer, type CustomerStatus, type WebhookRequest } from '@openkyc/core';
import { SIM_CREDENTIALS, verifiedDeliveries, type SignedDelivery } from './fixtures.js';
import { stubProvider } from './stub-provider.js';
import { floorVerifyAndParse } from './webhook-floor.js';

type Delivery = SignedDelivery;

const adapter = technest({ baseUrl: 'http://127.0.0.1:9', ...SIM_CREDENTIALS });
const webhooks = adapter.webhooks!;
/** The transition table: what a report of `to` moves a customer in `from` to (only the row figure 2 needs is filled). */
const TABLE: Partial<Record<CustomerStatus, Partial<Record<CustomerStatus, CustomerStatus>>>> = { pending: { verified: 'verified', rejected: 'rejected', needs_info: 'needs_info' } };

/**
 * CPU µs per delivery of the speed of light over `deliveries` (a synchronous loop), moving the customers
 * of `customers` (plain objects by provider customer id, written to); throws unless every delivery moved one.
 */
export function speedOfLightCpuMicros(deliveries: readonly Delivery[], customers: Map<string, Customer>): number {
  const processed = new Set<string>();
  let moved = 0;
  const started = process.cpuUsage();
  for (const delivery of deliveries) if (speedOfLight(delivery, customers, processed) !== undefined) moved += 1;
  const used = process.cpuUsage(started);
  if (moved !== deliveries.length) throw new Error(`speed of light: ${moved} of ${deliveries.length} deliveries moved a customer`);
  return (used.user + used.system) / deliveries.length;
}

/** The speed of light: the adapter's verify + peek + parse, one dedupe probe, one Map probe, the table, an object write. */
function speedOfLight(delivery: Delivery, customers: Map<string, Customer>, processed: Set<string>): unknown {
  const now = new Date();
  const request: WebhookRequest = { headers: delivery.headers, rawBody: delivery.body, now };
  webhooks.verify(request);
  const peek = webhooks.peekDelivery!(request)!;
  if (processed.has(peek.dedupeKey)) return undefined;
  const parsed = webhooks.parse(request);
  if (parsed.kind !== 'report') throw new Error('not a report');
  const report = parsed.report;
  const customer = customers.get(report.providerCustomerId)!;
  const to = TABLE[customer.status]?.[report.status];
  if (to === undefined) throw new Error('no transition');
  const at = now.toISOString();
  const next: Customer = { ...customer, status: to, rawStatus: report.rawStatus, verifiedAt: at, updatedAt: at, version: customer.version + 1, eventCount: customer.eventCount + 1 };
  customers.set(report.providerCustomerId, next);
  processed.add(parsed.dedupeKey);
  return { id: `evt_${customer.id}_${next.eventCount}`, type: 'customer.verified', customerId: customer.id, from: customer.status, to, at, source: 'webhook' };
}

// --- the command line ----------------------------------------------------------

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main(Number(process.argv[2] ?? 20_000));

async function main(N: number): Promise<void> {
  const PASSES = 5;
  const secret = SIM_CREDENTIALS.webhookSecret;

  /** A fresh store of N pending customers (public API, as figure 2), their deliveries, and the customers as plain objects. */
  async function round(pass: number) {
    const store = memoryStore();
    const tag = randomBytes(4).toString('hex');
    const providerCustomerId = (reference: string): string => `ckcust_${tag}${Number(reference.slice(reference.lastIndexOf('-') + 1)).toString(16).padStart(16, '0')}`;
    const setup = createKyc({ providers: [stubProvider({ id: 'technest', providerCustomerId, statusFor: () => 'pending' })], store });
    const objects = new Map<string, Customer>();
    const records: { providerCustomerId: string; reference: string }[] = [];
    for (let i = 0; i < N; i++) {
      const reference = `sol-${pass}-${i}`;
      const created = await setup.createCustomer({ reference, type: 'individual', email: `c${i}@example.com`, firstName: 'Jane', lastName: 'Smith' });
      const pending = await setup.refresh(created.id);
      objects.set(pending.providerCustomerId, pending);
      records.push({ providerCustomerId: pending.providerCustomerId, reference });
    }
    const deliveries = verifiedDeliveries(records, secret);
    return { store, objects, deliveries };
  }

  let sink = 0;

  function cpuMicros(run: () => void, count: number): number {
    const started = process.cpuUsage();
    run();
    const used = process.cpuUsage(started);
    return (used.user + used.system) / count;
  }
  async function cpuMicrosAsync(run: () => Promise<void>, count: number): Promise<number> {
    const started = process.cpuUsage();
    await run();
    const used = process.cpuUsage(started);
    return (used.user + used.system) / count;
  }

  const best = { floor: Infinity, light: Infinity, lightAwait: Infinity, openkyc: Infinity };
  for (let pass = 0; pass <= PASSES; pass++) {
    // Pass 0 warms up (JIT) and is not counted.
    const a = await round(pass * 3);
    const nowSeconds = Math.floor(Date.now() / 1000);
    const floorMicros = cpuMicros(() => a.deliveries.forEach((d) => (sink += floorVerifyAndParse(d, secret, nowSeconds))), N);
    const lightMicros = speedOfLightCpuMicros(a.deliveries, a.objects);
    const b = await round(pass * 3 + 1);
    const lightAwaitMicros = await cpuMicrosAsync(async () => {
      const processed = new Set<string>();
      for (const d of b.deliveries) if ((await Promise.resolve(speedOfLight(d, b.objects, processed))) !== undefined) sink += 1;
    }, N);
    const c = await round(pass * 3 + 2);
    const kyc = createKyc({ providers: [adapter], store: c.store });
    kyc.subscribe(() => {
      sink += 1;
    });
    const openkycMicros = await cpuMicrosAsync(async () => {
      for (const d of c.deliveries) {
        const result = await kyc.handleWebhook('technest', d);
        if (result.events.length !== 1) throw new Error('expected one event');
      }
    }, N);
    if (pass === 0) continue;
    best.floor = Math.min(best.floor, floorMicros);
    best.light = Math.min(best.light, lightMicros);
    best.lightAwait = Math.min(best.lightAwait, lightAwaitMicros);
    best.openkyc = Math.min(best.openkyc, openkycMicros);
  }
  if (sink === 0) throw new Error('nothing was measured');

  const line = (label: string, micros: number) =>
    console.log(`${label.padEnd(58)} ${micros.toFixed(2).padStart(7)} µs   floor ÷ this ${(best.floor / micros).toFixed(3)}×`);
  console.log(`CPU µs per delivery, best of ${PASSES} passes × ${N} fresh pending customers (node ${process.version})`);
  line('floor: HMAC-SHA256 verify + JSON.parse', best.floor);
  line('speed of light: adapter verify+peek+zod, Map, table, write', best.light);
  line('speed of light, one await per delivery', best.lightAwait);
  line('kyc.handleWebhook (memoryStore)', best.openkyc);
}
