import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import {
  createKyc,
  WebhookVerificationError,
  type Application,
  type Customer,
  type Kyc,
  type KycEvent,
  type KycLogger,
  type KycProvider,
  type ProviderCapabilities,
} from '@openkyc/core';
import type { ConformanceDriver, ConformanceProviderOptions, ConformanceSetup } from './conformance-driver.js';

/** Values that must never leave openkyc in an error message, a `cause` or a log line. */
export const CONFORMANCE_CANARY = {
  /** Put in every document's `number`. */
  documentNumber: 'CNRYDOC4471',
  /** Put in `person.dateOfBirth`. */
  dateOfBirth: '1986-07-21',
  /** Put in every `ssn` identifier's `value`. */
  nationalId: '219-44-4471',
} as const;

export interface WebhookOutcome {
  readonly status: number;
  readonly events: number;
  readonly duplicate: boolean;
}

/** One scenario's world: a fresh simulator, the adapter, a kyc client and a real webhook endpoint. */
export interface Harness<TSimulator> {
  readonly driver: ConformanceDriver<TSimulator>;
  readonly provider: KycProvider;
  readonly capabilities: ProviderCapabilities;
  readonly kyc: Kyc;
  /** Every event emitted, in order. */
  readonly events: KycEvent[];
  /** Every log line openkyc wrote, serialised whole: `{ level, msg, fields }`. */
  readonly logs: string[];
  /** What the webhook endpoint answered, per delivery. */
  readonly webhookOutcomes: WebhookOutcome[];
  /** The endpoint's URL (`undefined` for providers without webhooks). */
  readonly webhookUrl: string | undefined;
  /** The status a successful onboarding ends in with this provider. */
  readonly successStatus: 'verified' | 'active';
  createCustomer(reference?: string): Promise<Customer>;
  /** The driver's application with canary values in the sensitive fields. */
  application(): Application;
  /** Lets the provider decide, then makes sure openkyc heard about it (webhook, else refresh). */
  decide(customer: Customer, outcome: 'approve' | 'reject' | 'needs_info'): Promise<Customer>;
  /** From submit to the provider's final success (decide approve, activate where explicit). */
  approve(customer: Customer): Promise<Customer>;
  eventsOf(customerId: string): KycEvent[];
  close(): Promise<void>;
}

export async function createHarness<TSimulator>(
  setup: ConformanceSetup<TSimulator>,
  providerOptions: ConformanceProviderOptions = {},
): Promise<Harness<TSimulator>> {
  const driver = await setup.simulator();
  const provider = setup.provider(driver.simulator, providerOptions);
  const logs: string[] = [];
  const events: KycEvent[] = [];
  const webhookOutcomes: WebhookOutcome[] = [];
  const kyc = createKyc({ providers: [provider], now: () => driver.now(), logger: capturingLogger(logs) });
  kyc.subscribe((event) => {
    events.push(event);
  });

  let endpoint: Server | undefined;
  let webhookUrl: string | undefined;
  if (driver.webhooks !== undefined && provider.capabilities.webhooks) {
    endpoint = await startWebhookEndpoint(kyc, provider.id, webhookOutcomes);
    webhookUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/webhooks/${provider.id}`;
    driver.webhooks.setTarget(webhookUrl);
  }
  const capabilities = provider.capabilities;
  const successStatus = capabilities.activation === 'none' ? 'verified' : 'active';
  let counter = 0;

  const harness: Harness<TSimulator> = {
    driver,
    provider,
    capabilities,
    kyc,
    events,
    logs,
    webhookOutcomes,
    webhookUrl,
    successStatus,
    createCustomer(reference) {
      counter++;
      return kyc.createCustomer({
        reference: reference ?? `conformance-${Date.now().toString(36)}-${counter}`,
        type: 'individual',
        email: `person${counter}@example.com`,
        firstName: 'Jane',
        lastName: 'Smith',
      });
    },
    application: () => withCanaries(driver.application()),
    async decide(customer, outcome) {
      const current = await kyc.getCustomer(customer.id);
      await driver.decide(current.providerCustomerId, outcome);
      if (webhookUrl !== undefined && driver.webhooks !== undefined) {
        await driver.webhooks.settled();
        return kyc.getCustomer(customer.id);
      }
      return kyc.refresh(customer.id);
    },
    async approve(customer) {
      let current = await kyc.getCustomer(customer.id);
      if (current.status === 'pending') current = await harness.decide(current, 'approve');
      if (current.status === 'verified' && capabilities.activation === 'explicit') current = await kyc.activate(current.id);
      if (current.status === 'verified' && capabilities.activation === 'automatic') current = await kyc.refresh(current.id);
      return current;
    },
    eventsOf: (customerId) => events.filter((event) => event.customerId === customerId),
    async close() {
      await kyc.close();
      await driver.close();
      if (endpoint !== undefined) await closeServer(endpoint);
    },
  };
  return harness;
}

/** Overwrites the values the privacy scenario hunts for, keeping the driver's structure. */
function withCanaries(application: Application): Application {
  return {
    ...application,
    person: { ...application.person, dateOfBirth: CONFORMANCE_CANARY.dateOfBirth },
    documents: application.documents.map((document) =>
      document.number === undefined ? document : { ...document, number: CONFORMANCE_CANARY.documentNumber },
    ),
    ...(application.identifiers === undefined
      ? {}
      : {
          identifiers: application.identifiers.map((identifier) =>
            identifier.type === 'ssn' ? { ...identifier, value: CONFORMANCE_CANARY.nationalId } : identifier,
          ),
        }),
  };
}

/** A webhook endpoint as a platform would run it: raw body in, 2xx / 401 / 400 out. */
async function startWebhookEndpoint(kyc: Kyc, providerId: string, outcomes: WebhookOutcome[]): Promise<Server> {
  const server = createServer((req, res) => {
    void readRaw(req).then(async (body) => {
      try {
        const result = await kyc.handleWebhook(providerId, { headers: req.headers, body });
        outcomes.push({ status: 200, events: result.events.length, duplicate: result.duplicate });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
      } catch (error) {
        const status = WebhookVerificationError.isInstance(error) ? (error.reason === 'malformed_body' ? 400 : 401) : 500;
        outcomes.push({ status, events: 0, duplicate: false });
        res.writeHead(status).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/**
 * Records each line whole — level, message and every structured field — as
 * the platform's logger would receive it: the privacy group searches all of it.
 */
function capturingLogger(lines: string[]): KycLogger {
  const write = (level: string) => (obj: Record<string, unknown>, msg?: string) => {
    lines.push(serialiseLogLine({ level, msg, fields: obj }));
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** JSON when it can be (what a JSON logger writes), else `util.inspect` (cycles, BigInts): no field goes unseen. */
function serialiseLogLine(line: { level: string; msg: string | undefined; fields: Record<string, unknown> }): string {
  try {
    return JSON.stringify(line);
  } catch {
    return inspect(line, { depth: 12, breakLength: Number.POSITIVE_INFINITY });
  }
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
