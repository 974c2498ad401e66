/**
 * The four webhook examples are tested the same way: a real `createKyc` with
 * the Technest and patch-style adapters against their simulators (one shared
 * simulator clock, which is also kyc's clock), the example started on
 * 127.0.0.1:0, and the simulators delivering real signed webhooks to it over HTTP.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { patchStyle } from '@openkyc/adapter-patch-style';
import { technest } from '@openkyc/adapter-technest';
import { createKyc, type Customer, type Kyc, type KycEvent } from '@openkyc/core';
import {
  createDocumentHost,
  createPatchStyleSimulator,
  createTechnestSimulator,
  patchStyleApplication,
  technestApplication,
  type DocumentHost,
  type PatchStyleSimulator,
  type TechnestSimulator,
} from '@openkyc/testkit';
import type { WebhookErrorHook } from '../../../webhooks/webhook-answer.js';

/** A started example: its base URL and how to stop it. */
export interface RunningEndpoint {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts one example against `kyc`; `onError` collects what the endpoint refused. */
export type StartEndpoint = (kyc: Kyc, onError: WebhookErrorHook) => Promise<RunningEndpoint>;

export interface RefusedDelivery {
  readonly error: unknown;
  readonly providerId: string;
  readonly status: number;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly text: string;
}

export interface WebhookHarness {
  readonly technest: TechnestSimulator;
  readonly patchStyle: PatchStyleSimulator;
  readonly documentHost: DocumentHost;
  readonly kyc: Kyc;
  /** Every event kyc published, in order. */
  readonly events: KycEvent[];
  /** Every error the endpoint reported through its onError hook. */
  readonly refused: RefusedDelivery[];
  readonly endpoint: RunningEndpoint;
  readonly technestWebhookUrl: string;
  readonly patchStyleWebhookUrl: string;
  /** Creates and submits a Technest customer: `pending`, review not finished. */
  pendingTechnestCustomer(reference?: string): Promise<Customer>;
  /** Creates and submits a patch-style customer: `pending` (UNDER_REVIEW). */
  pendingPatchStyleCustomer(reference?: string): Promise<Customer>;
  /** POSTs a body with headers to a path of the endpoint, as a provider would. */
  post(path: string, delivery: { readonly headers: Readonly<Record<string, string>>; readonly body: string | Uint8Array }): Promise<HttpAnswer>;
  eventsOf(customerId: string, type?: KycEvent['type']): KycEvent[];
  close(): Promise<void>;
}

export async function startWebhookHarness(start: StartEndpoint): Promise<WebhookHarness> {
  const technestSim = await createTechnestSimulator();
  // One clock for both providers and for kyc: signatures are stamped and checked on the same time line.
  const patchSim = await createPatchStyleSimulator({ clock: technestSim.clock });
  const documentHost = await createDocumentHost({ now: () => technestSim.clock.now() });

  const kyc = createKyc({
    providers: [
      technest({
        baseUrl: technestSim.url,
        clientId: technestSim.clientId,
        clientSecret: technestSim.clientSecret,
        webhookSecret: technestSim.webhookSecret,
      }),
      patchStyle({
        baseUrl: patchSim.url,
        apiKey: patchSim.apiKey,
        webhookSecret: patchSim.webhookSecret,
        hostDocument: documentHost.hostDocument,
      }),
    ],
    defaultProvider: 'technest',
    now: () => technestSim.clock.now(),
  });
  const events: KycEvent[] = [];
  kyc.subscribe((event) => {
    events.push(event);
  });

  const refused: RefusedDelivery[] = [];
  const endpoint = await start(kyc, (error, context) => {
    refused.push({ error, ...context });
  });
  const technestWebhookUrl = `${endpoint.url}/webhooks/technest`;
  const patchStyleWebhookUrl = `${endpoint.url}/webhooks/patch-style`;
  technestSim.setWebhookTarget(technestWebhookUrl);
  patchSim.setWebhookTarget(patchStyleWebhookUrl);

  let counter = 0;
  const newCustomer = (reference: string | undefined, provider?: string) =>
    kyc.createCustomer({
      reference: reference ?? `user-${++counter}`,
      type: 'individual',
      email: 'jane@example.com',
      firstName: 'Jane',
      lastName: 'Smith',
      ...(provider === undefined ? {} : { provider }),
    });

  return {
    technest: technestSim,
    patchStyle: patchSim,
    documentHost,
    kyc,
    events,
    refused,
    endpoint,
    technestWebhookUrl,
    patchStyleWebhookUrl,
    async pendingTechnestCustomer(reference) {
      const created = await newCustomer(reference);
      return kyc.submit(created.id, technestApplication());
    },
    async pendingPatchStyleCustomer(reference) {
      const created = await newCustomer(reference, 'patch-style');
      const submitted = await kyc.submit(created.id, patchStyleApplication());
      await patchSim.settled();
      return submitted;
    },
    async post(path, delivery) {
      const response = await fetch(`${endpoint.url}${path}`, { method: 'POST', headers: delivery.headers, body: delivery.body });
      const text = await response.text();
      return { status: response.status, body: parseObject(text), text };
    },
    eventsOf(customerId, type) {
      return events.filter((event) => event.customerId === customerId && (type === undefined || event.type === type));
    },
    async close() {
      await endpoint.close();
      await kyc.close();
      await technestSim.close();
      await patchSim.close();
      await documentHost.close();
    },
  };
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Listens on 127.0.0.1 with an ephemeral port; `close` drops open connections too. */
export async function listen(server: Server): Promise<RunningEndpoint> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
