import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { technest } from '@openkyc/adapter-technest';
import { createKyc, type Customer, type Kyc, type KycEvent } from '@openkyc/core';
import { buildTechnestWebhookPayload, createTechnestSimulator, signTechnestWebhook, type TechnestCustomerRecord, type TechnestSimulator } from '@openkyc/testkit';
import { expect } from 'vitest';
import { postgresStore, type SqlStore } from '../../src/index.js';

/** The Technest simulator, a schema, and an openkyc instance in this process to set customers up. */
export interface Fleet {
  readonly simulator: TechnestSimulator;
  readonly schema: string;
  readonly store: SqlStore;
  readonly kyc: Kyc;
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

const WEBHOOK_SECRET = 'whsec_fleet_0123456789abcdef';

export async function startFleet(url: string, schema: string): Promise<Fleet> {
  const simulator = await createTechnestSimulator({ webhookSecret: WEBHOOK_SECRET });
  const store = postgresStore({ connectionString: url, schema });
  const kyc = createKyc({
    providers: [technest({ baseUrl: simulator.url, clientId: simulator.clientId, clientSecret: simulator.clientSecret, webhookSecret: WEBHOOK_SECRET })],
    store,
  });
  return {
    simulator,
    schema,
    store,
    kyc,
    env: { DATABASE_URL: url, SCHEMA: schema, SIM_URL: simulator.url, CLIENT_ID: simulator.clientId, CLIENT_SECRET: simulator.clientSecret, WEBHOOK_SECRET },
    async close() {
      await kyc.close();
      await store.close();
      await simulator.close();
    },
  };
}

/** Creates `count` customers through the Technest simulator. */
export async function createCustomers(fleet: Fleet, count: number, tag: string): Promise<Customer[]> {
  const customers: Customer[] = [];
  for (let i = 0; i < count; i += 20) {
    const batch = Array.from({ length: Math.min(20, count - i) }, (_, j) =>
      fleet.kyc.createCustomer({ reference: `${tag}-${i + j}`, type: 'individual', email: `c${i + j}@example.com`, firstName: 'Jane', lastName: 'Smith' }),
    );
    customers.push(...(await Promise.all(batch)));
  }
  return customers;
}

/** One signed-at-send Technest `customer.status_changed` body: the customer's record in `status` at `at`. */
export function statusBody(customer: Customer, status: 'pending' | 'verified' | 'rejected', at: Date, previous: 'created' | 'pending' | 'verified' | 'rejected' = 'pending'): string {
  const record: TechnestCustomerRecord = {
    id: customer.providerCustomerId,
    type: 'individual',
    customerReference: customer.providerReference,
    status,
    email: 'jane@example.com',
    firstName: 'Jane',
    lastName: 'Smith',
    dateOfBirth: null,
    phone: null,
    country: null,
    address: null,
    createdAt: at,
    kycSubmittedAt: status === 'pending' ? at : null,
    verifiedAt: status === 'verified' ? at : null,
    rejectedAt: status === 'rejected' ? at : null,
    rejectionReason: status === 'rejected' ? 'document_expired' : null,
    files: { id_file: null, id_file_back: null, proof_of_address_file: null, liveness_check_file: null },
    reviewStartedAt: null,
  };
  return JSON.stringify(buildTechnestWebhookPayload('current', record, { eventId: `evt_${randomBytes(10).toString('hex')}`, createdAt: at, previousStatus: previous }));
}

/** Delivers bodies in this process (setup steps), signed now. */
export async function deliverHere(fleet: Fleet, bodies: readonly string[]): Promise<void> {
  for (const text of bodies) {
    const body = Buffer.from(text);
    await fleet.kyc.handleWebhook('technest', { headers: { 'content-type': 'application/json', 'technest-signature': signTechnestWebhook(WEBHOOK_SECRET, body, Math.floor(Date.now() / 1000)) }, body });
  }
}

const worker = fileURLToPath(new URL('../fixtures/ingest-worker.ts', import.meta.url));
const fleetWorker = fileURLToPath(new URL('../fixtures/fleet-worker.ts', import.meta.url));

/** A `fleet-worker.ts` process: MODE `create` (customers from `input`) or `reconcile` (at `now`). */
export function startFleetWorker(
  fleet: Fleet,
  mode: { readonly mode: 'create'; readonly input: string } | { readonly mode: 'reconcile'; readonly now: Date },
  concurrency = 8,
): { go(): void; readonly exited: Promise<number | null>; summary(): Record<string, unknown> | undefined } {
  const extra = mode.mode === 'create' ? { MODE: 'create', INPUT: mode.input } : { MODE: 'reconcile', NOW: mode.now.toISOString() };
  const child = spawn(process.execPath, ['--import', 'tsx', fleetWorker], {
    env: { ...process.env, ...fleet.env, ...extra, CONCURRENCY: String(concurrency) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      if (code !== 0) process.stderr.write(`fleet worker failed (${code}): ${stderr}\n`);
      resolve(code);
    }),
  );
  return {
    go: () => child.stdin!.write('go\n'),
    exited,
    summary() {
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('{'));
      return line === undefined ? undefined : (JSON.parse(line) as { summary: Record<string, unknown> }).summary;
    },
  };
}

/** A worker process (its own createKyc and pool) with its deliveries written to `file`. */
export interface Worker {
  readonly child: ChildProcess;
  /** Lines it printed so far. */
  readonly output: string[];
  /** Resolves when it printed its first `ok` (or its summary). */
  readonly firstOk: Promise<void>;
  /** Resolves with its exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  go(): void;
  summary(): WorkerSummary | undefined;
}

export interface WorkerSummary {
  readonly handled: number;
  readonly events: number;
  readonly duplicates: number;
  readonly failures: readonly string[];
}

export function startWorker(fleet: Fleet, file: string, bodies: readonly string[], concurrency = 8): Worker {
  writeFileSync(file, bodies.map((body) => JSON.stringify({ body })).join('\n'));
  const child = spawn(process.execPath, ['--import', 'tsx', worker], {
    env: { ...process.env, ...fleet.env, DELIVERIES: file, CONCURRENCY: String(concurrency) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let stderr = '';
  let resolveFirst: () => void;
  const firstOk = new Promise<void>((resolve) => (resolveFirst = resolve));
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    partial += chunk.toString('utf8');
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      output.push(line);
      if (line.startsWith('ok ') || line.startsWith('{')) resolveFirst();
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      if (code !== 0 && signal === null) process.stderr.write(`worker failed (${code}): ${stderr}\n`);
      resolve({ code, signal });
    }),
  );
  return {
    child,
    output,
    firstOk,
    exited,
    go: () => child.stdin!.write('go\n'),
    summary() {
      const line = output.find((candidate) => candidate.startsWith('{'));
      return line === undefined ? undefined : (JSON.parse(line) as { summary: WorkerSummary }).summary;
    },
  };
}

/**
 * The customer's history is one chain (each event starts where the previous ended), without repeats, ending
 * in the customer's status; `eventCount` matches.
 */
export function expectConsistentHistory(customer: Customer, events: readonly KycEvent[]): void {
  expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
  expect(events.length).toBe(customer.eventCount);
  for (let i = 1; i < events.length; i++) {
    const event = events[i]!;
    if (event.type === 'customer.review_overdue') continue;
    expect(event.from, `${customer.id} event ${i}`).toBe(events[i - 1]!.to);
  }
  expect(events.at(-1)?.to).toBe(customer.status);
}
