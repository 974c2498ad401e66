import { expect } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createKyc,
  WebhookVerificationError,
  type Kyc,
  type KycEvent,
  type KycLogger,
  type KycProvider,
  type KycTelemetryOptions,
  type ProviderCallContext,
  type WebhookResult,
} from '@openkyc/core';
import { patchStyle, type PatchStyleOptions } from '../../src/index.js';
import { createDocumentHost, createPatchStyleSimulator, type DocumentHost, type PatchStyleSimulator } from './testkit.js';

/** Every line logged, serialised, so tests can search it for canaries. */
export interface CapturedLogs {
  readonly logger: KycLogger;
  readonly lines: string[];
}

export function captureLogs(): CapturedLogs {
  const lines: string[] = [];
  const push =
    (level: string) =>
    (obj: Record<string, unknown>, msg?: string): void => {
      lines.push(`${level} ${msg ?? ''} ${safeStringify(obj)}`);
    };
  return { lines, logger: { debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') } };
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (v instanceof Error ? { message: v.message, name: v.name } : v));
  } catch {
    return String(value);
  }
}

/** What our webhook endpoint saw, per delivery. */
export interface EndpointResult {
  readonly status: number;
  readonly result?: WebhookResult;
  readonly error?: unknown;
}

export interface Harness {
  readonly sim: PatchStyleSimulator;
  readonly host: DocumentHost;
  readonly provider: KycProvider;
  readonly kyc: Kyc;
  /** Every event published by `kyc`, in order. */
  readonly events: KycEvent[];
  readonly logs: CapturedLogs;
  /** Deliveries our endpoint handled. */
  readonly deliveries: EndpointResult[];
  readonly webhookUrl: string;
  /** A call context for direct adapter calls. */
  context(idempotencyKey?: string): ProviderCallContext;
  /** Lets reviews due by now run and every webhook arrive. */
  settle(): Promise<void>;
  /** Moves the simulator clock (reviews finish, webhooks are sent) and waits for the deliveries. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly adapter?: Partial<PatchStyleOptions>;
  /** Point the simulator's webhooks at the kyc endpoint (default true). */
  readonly webhooks?: boolean;
  readonly reviewDelayMs?: number;
  /** `createKyc({ telemetry })`: the OpenTelemetry providers the client records to. */
  readonly telemetry?: KycTelemetryOptions;
}

/**
 * The real simulator and document host on loopback, the adapter configured
 * against them, and a `createKyc` client whose clock is the simulator's (so
 * webhook timestamps verify while tests move time by minutes), with a node:http
 * webhook endpoint that calls `kyc.handleWebhook` with the raw body.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sim = await createPatchStyleSimulator(options.reviewDelayMs === undefined ? {} : { reviewDelayMs: options.reviewDelayMs });
  const host = await createDocumentHost({ now: () => sim.clock.now() });
  const logs = captureLogs();
  const provider = patchStyle({
    baseUrl: sim.url,
    apiKey: sim.apiKey,
    webhookSecret: sim.webhookSecret,
    hostDocument: host.hostDocument,
    logger: logs.logger,
    ...options.adapter,
  });
  const kyc = createKyc({
    providers: [provider],
    logger: logs.logger,
    now: () => sim.clock.now(),
    ...(options.telemetry === undefined ? {} : { telemetry: options.telemetry }),
  });
  const events: KycEvent[] = [];
  kyc.subscribe((event) => {
    events.push(event);
  });

  const deliveries: EndpointResult[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      kyc.handleWebhook(provider.id, { headers: req.headers, body }).then(
        (result) => {
          deliveries.push({ status: 200, result });
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
        },
        (error: unknown) => {
          const status = WebhookVerificationError.isInstance(error) ? (error.reason === 'malformed_body' ? 400 : 401) : 500;
          deliveries.push({ status, error });
          res.writeHead(status).end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/patch-style`;
  if (options.webhooks !== false) sim.setWebhookTarget(webhookUrl);

  return {
    sim,
    host,
    provider,
    kyc,
    events,
    logs,
    deliveries,
    webhookUrl,
    context: (idempotencyKey = `test:${Math.random().toString(36).slice(2)}`) => ({
      logger: logs.logger,
      now: () => sim.clock.now(),
      idempotencyKey,
    }),
    settle: () => sim.settled(),
    async advance(ms) {
      await sim.clock.advance(ms);
      await sim.settled();
    },
    async close() {
      const violations = sim.contractViolations();
      await kyc.close();
      await sim.close();
      await host.close();
      // Every test doubles as a check that the adapter calls only what patch-style.md documents.
      expect(violations.map((violation) => `${violation.route} — ${violation.reason}`), 'undocumented requests').toEqual([]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function eventTypes(events: readonly KycEvent[], customerId?: string): string[] {
  return events.filter((event) => customerId === undefined || event.customerId === customerId).map((event) => event.type);
}
