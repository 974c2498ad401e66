/**
 * Figure 4's measurement, in a process of its own (forked with --expose-gc):
 * the retained heap of a memoryStore holding N customers with their event
 * history, minus the heap before they existed. Prints one JSON line.
 *
 * Customers are made and moved through the public API (`createCustomer`, then
 * `refresh` against an in-process stub provider that keeps no per-customer
 * state), so the store holds exactly what core commits. Six lifecycle paths,
 * in turn, give 2 to 8 events per customer (5 on average):
 *   created, submitted                                                   (2)
 *   created, submitted, verified                                         (3)
 *   created, submitted, verified, activated                              (4)
 *   created, submitted, needs_info, submitted, verified, activated       (6)
 *   created, submitted, rejected, submitted, verified, activated, deactivated (7)
 *   created, submitted, needs_info, submitted, rejected, submitted, verified, activated (8)
 * Every customer is refreshed 7 times (a path that ended early is reported
 * unchanged again: a commit without an event, as polling does).
 */
import { createKyc, memoryStore, type CustomerStatus } from '@openkyc/core';
import { stubProvider } from '../lib/stub-provider.js';

const PATHS: readonly (readonly CustomerStatus[])[] = [
  ['pending'],
  ['pending', 'verified'],
  ['pending', 'verified', 'active'],
  ['pending', 'needs_info', 'pending', 'verified', 'active'],
  ['pending', 'rejected', 'pending', 'verified', 'active', 'deactivated'],
  ['pending', 'needs_info', 'pending', 'rejected', 'pending', 'verified', 'active'],
];
const STEPS = Math.max(...PATHS.map((path) => path.length));

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const count = Number(process.argv[2] ?? 100_000);
let step = 0;

/** `ckcust_<index as 24 hex digits>`: the path is derived from the id, nothing is remembered. */
const providerCustomerId = (reference: string): string => `ckcust_${Number(reference.slice(reference.lastIndexOf('-') + 1)).toString(16).padStart(24, '0')}`;
const indexOf = (id: string): number => Number.parseInt(id.slice('ckcust_'.length), 16);
const statusFor = (id: string): CustomerStatus => {
  const path = PATHS[indexOf(id) % PATHS.length]!;
  return path[Math.min(step, path.length - 1)]!;
};

async function populate(n: number, prefix: string) {
  const store = memoryStore();
  const kyc = createKyc({ providers: [stubProvider({ id: 'stub', providerCustomerId, statusFor })], store });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const customer = await kyc.createCustomer({
      reference: `${prefix}-${i}`,
      type: 'individual',
      email: `customer${i}@example.com`,
      firstName: 'Jane',
      lastName: 'Smith',
    });
    ids.push(customer.id);
  }
  for (step = 0; step < STEPS; step++) {
    for (const id of ids) await kyc.refresh(id);
  }
  return { kyc, store, ids };
}

async function settle(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc!();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

// Warm-up (JIT, lazily initialised module state), then thrown away.
await populate(Math.min(2_000, count), 'warm');
const before = await settle();
const started = performance.now();
const { kyc, store, ids } = await populate(count, 'user');
const populateMs = performance.now() - started;
const after = await settle();

// Keep everything reachable until after the measurement, and check what was built.
let events = 0;
const histogram: Record<number, number> = {};
for (const id of ids) {
  const list = await store.listEvents(id);
  events += list.length;
  histogram[list.length] = (histogram[list.length] ?? 0) + 1;
}
const sample = await kyc.getCustomer(ids[ids.length - 1]!);
process.stdout.write(
  `${JSON.stringify({
    count,
    bytesPerCustomer: (after - before) / count,
    heapBefore: before,
    heapAfter: after,
    events,
    eventsPerCustomer: events / count,
    histogram,
    populateMs,
    sampleStatus: sample.status,
  })}\n`,
);
