import { technest } from '@openkyc/adapter-technest';
import { createKyc, memoryStore, type Customer, type CustomerStore, type Kyc, type KycLogger } from '@openkyc/core';
import {
  buildTechnestWebhookPayload,
  createTechnestSimulator,
  signTechnestWebhook,
  technestApplication,
  type TechnestSimulator,
} from '@openkyc/testkit';

/** One logged line: level, fields, message. */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly obj: Record<string, unknown>;
  readonly msg: string | undefined;
}

/** A real openkyc client on the Technest simulator (loopback HTTP), with customers in several states. */
export interface ConsoleFixture {
  readonly sim: TechnestSimulator;
  readonly kyc: Kyc;
  readonly logs: LogLine[];
  /** `created`, no submission. */
  readonly fresh: Customer;
  /** `pending`; the simulator has decided `verified`, which only a refresh brings in. */
  readonly decided: Customer;
  /** `rejected` by the provider, with hostile free text as the reason. */
  readonly rejected: Customer;
  /** Created with a reference and names that are markup. */
  readonly hostile: Customer;
  close(): Promise<void>;
}

/** Markup in every field a provider or platform controls: nothing of it may reach the page as markup. */
export const HOSTILE = `<script>alert(1)</script>"'><img src=x onerror=alert(2)>`;
export const HOSTILE_REASON = `<img src=x onerror=alert(3)> reviewer note about Jane`;
export const WEBHOOK_SECRET = 'whsec_console_0123456789abcdef';

export async function startConsoleFixture(options: { store?: CustomerStore } = {}): Promise<ConsoleFixture> {
  const sim = await createTechnestSimulator({ webhookSecret: WEBHOOK_SECRET, reviewDelayMs: Number.POSITIVE_INFINITY });
  const logs: LogLine[] = [];
  const logger: KycLogger = {
    debug: (obj, msg) => logs.push({ level: 'debug', obj, msg }),
    info: (obj, msg) => logs.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => logs.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => logs.push({ level: 'error', obj, msg }),
  };
  const kyc = createKyc({
    providers: [technest({ baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret, webhookSecret: WEBHOOK_SECRET })],
    store: options.store ?? memoryStore(),
    now: () => sim.clock.now(),
    logger,
  });
  const person = (reference: string, firstName = 'Jane', lastName = 'Smith') =>
    kyc.createCustomer({ reference, type: 'individual', email: 'jane.smith@example.com', firstName, lastName });

  const fresh = await person('user-fresh');
  let decided = await person('user-decided');
  decided = await kyc.submit(decided.id, technestApplication());
  let rejected = await person('user-rejected');
  rejected = await kyc.submit(rejected.id, technestApplication());
  sim.setOutcome(rejected.providerCustomerId, { status: 'rejected', reason: HOSTILE_REASON, afterMs: 1_000 });
  sim.setOutcome(decided.providerCustomerId, { status: 'verified', afterMs: 1_000 });
  await sim.clock.advance(2_000);
  rejected = await kyc.refresh(rejected.id);
  rejected = await deliverStaleReport(rejected);
  const hostile = await person(`ref-${HOSTILE}`, HOSTILE, HOSTILE);

  /** A signed `pending` webhook from before the rejection: openkyc keeps it as an ignored, stale report. */
  async function deliverStaleReport(customer: Customer): Promise<Customer> {
    const record = sim.getCustomer(customer.providerCustomerId)!;
    const before = new Date(Date.parse(customer.submittedAt!) - 60_000);
    const body = JSON.stringify(
      buildTechnestWebhookPayload('current', { ...record, status: 'pending' }, { eventId: 'evt_stale_1', createdAt: before, previousStatus: 'created' }),
    );
    const signature = signTechnestWebhook(WEBHOOK_SECRET, body, Math.floor(sim.clock.now().getTime() / 1000));
    await kyc.handleWebhook('technest', { headers: { 'technest-signature': signature, 'content-type': 'application/json' }, body });
    return kyc.getCustomer(customer.id);
  }

  return {
    sim,
    kyc,
    logs,
    fresh,
    decided,
    rejected,
    hostile,
    async close() {
      await kyc.close();
      await sim.close();
    },
  };
}
