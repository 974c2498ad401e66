import { expect } from 'vitest';
import {
  createKyc,
  type Application,
  type ApplicationDocument,
  type Kyc,
  type KycEvent,
  type KycLogger,
  type KycProvider,
  type KycTelemetryOptions,
  type ProviderCallContext,
  type WebhookResult,
} from '@openkyc/core';
import {
  createTechnestSimulator,
  sampleDocument,
  type RecordedRequest,
  type TechnestSimulator,
  type TechnestSimulatorOptions,
  type WebhookDelivery,
} from '@openkyc/testkit';
import { Agent, type Dispatcher } from 'undici';
import { technest, type TechnestOptions } from '../../src/index.js';

/** Values that must never appear in an error message or a log line. */
export const CANARY = {
  documentNumber: 'CANARYDOC778899',
  dateOfBirth: '1987-03-14',
  nationalId: '987-65-4329',
} as const;

export const WEBHOOK_SECRET = 'whsec_technest_test_secret';
export const CLIENT_SECRET = 'tn_secret_canary_5f1e2d';
/** Simulator and core share this clock, so signatures, expiry and reviews line up. */
export const CLOCK_START = '2026-05-05T12:00:00Z';

export interface LogLine {
  readonly level: keyof KycLogger;
  readonly obj: Record<string, unknown>;
  readonly msg: string | undefined;
}

export interface Harness {
  readonly sim: TechnestSimulator;
  readonly provider: KycProvider;
  readonly kyc: Kyc;
  readonly events: KycEvent[];
  readonly logs: LogLine[];
  readonly logger: KycLogger;
  /** A ProviderCallContext on the simulator clock, for calling the provider directly. */
  context(overrides?: Partial<ProviderCallContext>): ProviderCallContext;
  /** Sends every webhook the simulator emitted since the last call to `kyc.handleWebhook`. */
  deliverWebhooks(): Promise<WebhookResult[]>;
  /** Requests received so far (both hosts). */
  requests(filter?: Partial<Pick<RecordedRequest, 'server' | 'method'>> & { path?: RegExp }): RecordedRequest[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly sim?: TechnestSimulatorOptions;
  readonly adapter?: Partial<TechnestOptions>;
  /** `createKyc({ telemetry })`: the OpenTelemetry providers the client records to. */
  readonly telemetry?: KycTelemetryOptions;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sim = await createTechnestSimulator({
    clientSecret: CLIENT_SECRET,
    webhookSecret: WEBHOOK_SECRET,
    clockStart: CLOCK_START,
    ...options.sim,
  });
  const logs: LogLine[] = [];
  const logger = capturingLogger(logs);
  const provider = technest({
    baseUrl: sim.url,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    webhookSecret: WEBHOOK_SECRET,
    ...options.adapter,
  });
  const now = (): Date => sim.clock.now();
  const kyc = createKyc({ providers: [provider], logger, now, ...(options.telemetry === undefined ? {} : { telemetry: options.telemetry }) });
  const events: KycEvent[] = [];
  kyc.subscribe((event) => {
    events.push(event);
  });
  let delivered = 0;

  return {
    sim,
    provider,
    kyc,
    events,
    logs,
    logger,
    context: (overrides = {}) => ({ logger, now, idempotencyKey: 'test', ...overrides }),
    async deliverWebhooks() {
      await sim.webhooks.settled();
      const all = sim.webhooks.deliveries();
      const fresh = all.slice(delivered);
      delivered = all.length;
      const results: WebhookResult[] = [];
      for (const delivery of fresh) results.push(await deliver(kyc, delivery));
      return results;
    },
    requests(filter = {}) {
      return sim
        .requests()
        .filter(
          (request) =>
            (filter.server === undefined || request.server === filter.server) &&
            (filter.method === undefined || request.method === filter.method) &&
            (filter.path === undefined || filter.path.test(request.path)),
        );
    },
    async close() {
      const violations = sim.contractViolations();
      await kyc.close();
      await sim.close();
      // Every test doubles as a check that the adapter calls only what technest.md documents.
      expect(violations.map((violation) => `${violation.route} — ${violation.reason}`), 'undocumented requests').toEqual([]);
    },
  };
}

export function deliver(kyc: Kyc, delivery: Pick<WebhookDelivery, 'headers' | 'payload'>): Promise<WebhookResult> {
  return kyc.handleWebhook('technest', { headers: delivery.headers, body: delivery.payload });
}

export function capturingLogger(lines: LogLine[]): KycLogger {
  const at =
    (level: keyof KycLogger) =>
    (obj: Record<string, unknown>, msg?: string): void => {
      lines.push({ level, obj, msg });
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function passport(overrides: Partial<ApplicationDocument> = {}): ApplicationDocument {
  return {
    type: 'passport',
    number: CANARY.documentNumber,
    issuingCountry: 'GB',
    expiresOn: '2034-01-01',
    front: sampleDocument('passport', 'image/jpeg'),
    ...overrides,
  };
}

export function driversLicense(withBack = true): ApplicationDocument {
  return {
    type: 'drivers_license',
    number: CANARY.documentNumber,
    issuingCountry: 'GB',
    expiresOn: '2033-06-30',
    front: sampleDocument('drivers_license', 'image/jpeg'),
    ...(withBack ? { back: sampleDocument('drivers_license', 'image/png') } : {}),
  };
}

export function application(documents: ApplicationDocument[] = [passport()], overrides: Partial<Application> = {}): Application {
  return {
    person: {
      firstName: 'Jane',
      lastName: 'Smith',
      dateOfBirth: CANARY.dateOfBirth,
      nationality: 'IE',
      email: 'jane@example.com',
      phone: '+447700900123',
    },
    address: { line1: '1 High St', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
    identifiers: [{ type: 'national_id', value: CANARY.nationalId, issuingCountry: 'IE' }],
    documents,
    ...overrides,
  };
}

export function fullApplication(): Application {
  return application([
    driversLicense(),
    { type: 'proof_of_address', front: sampleDocument('proof_of_address', 'application/pdf') },
    { type: 'selfie', front: sampleDocument('selfie', 'image/jpeg') },
  ]);
}

export const newCustomer = (reference = 'user-123', email = 'jane@example.com') =>
  ({ reference, type: 'individual', email, firstName: 'Jane', lastName: 'Smith' }) as const;

/** Every message in an error's cause chain (and AggregateError members). */
export function errorTexts(error: unknown): string[] {
  const texts: string[] = [];
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const { message, cause, errors } = current as { message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof message === 'string') texts.push(message);
    if (cause !== undefined) queue.push(cause);
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
  }
  return texts;
}

/** Resolves to the rejection of `promise` (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/**
 * A dispatcher whose first `times` matching requests reach the server and are
 * processed, but whose responses are "lost" (the caller sees ECONNRESET): what a
 * client sees when a connection drops after the provider did the work.
 */
export function responseLosingDispatcher(
  matches: (options: { method: string; path: string }) => boolean,
  times = 1,
): Dispatcher & { lost: number } {
  const agent = new Agent();
  let remaining = times;
  const loses = (options: { method?: unknown; path?: unknown }): boolean => {
    if (remaining === 0 || !matches({ method: String(options.method), path: String(options.path) })) return false;
    remaining -= 1;
    wrapper.lost += 1;
    return true;
  };
  const hangUp = (): Error => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  const wrapper = {
    lost: 0,
    async request(options: Dispatcher.RequestOptions) {
      const response = await agent.request(options);
      if (loses(options)) {
        await response.body.dump();
        throw hangUp();
      }
      return response;
    },
    // The HTTP toolkit sends through dispatch(): the request reaches the server and its answer is read
    // to the end, then the caller's handler sees the connection drop instead of that answer.
    dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
      if (!loses(options)) return agent.dispatch(options, handler);
      return agent.dispatch(options, {
        onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
        onResponseEnd: (controller) => handler.onResponseError?.(controller, hangUp()),
        onResponseError: (controller, error) => handler.onResponseError?.(controller, error),
      });
    },
    close: () => agent.close(),
    destroy: () => agent.destroy(),
  };
  return wrapper as unknown as Dispatcher & { lost: number };
}
