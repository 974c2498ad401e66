import { expect } from 'vitest';
import {
  createKyc,
  type Application,
  type Kyc,
  type KycEvent,
  type KycLogger,
  type KycProvider,
  type KycTelemetryOptions,
  type ProviderCallContext,
} from '@openkyc/core';
import { clientsCommand, type ClientsCommandOptions } from '../../src/index.js';
import {
  createClientsCommandSimulator,
  sampleDocument,
  type ClientsCommandSimulator,
  type ClientsCommandSimulatorOptions,
  type RecordedRequest,
} from './simulator.js';

/** Personal data that must never show up in an error message or a log line. */
export const CANARY = {
  ssn: '200-70-4242',
  passportNumber: 'PCANARY9911',
  licenseNumber: 'DLCANARY5522',
  dateOfBirth: '1979-11-29',
  /** The date of birth as this provider's request text. */
  dateOfBirthText: '29 November 1979',
} as const;

export function fullApplication(overrides: Partial<Application> = {}): Application {
  return {
    person: {
      firstName: 'Jane',
      lastName: 'Smith',
      dateOfBirth: CANARY.dateOfBirth,
      nationality: 'US',
      email: 'jane@example.com',
      phone: '+14155551234',
    },
    address: { line1: '1 Main Street', city: 'San Francisco', state: 'CA', postalCode: '94105', country: 'US' },
    identifiers: [{ type: 'ssn', value: CANARY.ssn, issuingCountry: 'US' }],
    documents: [passport()],
    contactVerified: { email: true, phone: true },
    ...overrides,
  };
}

export function passport(): Application['documents'][number] {
  return {
    type: 'passport',
    number: CANARY.passportNumber,
    issuingCountry: 'US',
    expiresOn: '2034-01-31',
    front: sampleDocument('passport', 'image/jpeg'),
  };
}

export function driversLicense(): Application['documents'][number] {
  return {
    type: 'drivers_license',
    number: CANARY.licenseNumber,
    issuingCountry: 'US',
    expiresOn: '2033-06-30',
    front: sampleDocument('drivers_license', 'image/jpeg'),
    back: sampleDocument('drivers_license', 'image/png'),
  };
}

export interface CapturedLogs extends KycLogger {
  readonly lines: unknown[];
  text(): string;
}

export function captureLogs(): CapturedLogs {
  const lines: unknown[] = [];
  const push = (level: string) => (obj: Record<string, unknown>, msg?: string) => {
    lines.push({ level, obj, msg });
  };
  return {
    lines,
    debug: push('debug'),
    info: push('info'),
    warn: push('warn'),
    error: push('error'),
    text: () => JSON.stringify(lines),
  };
}

export interface Harness {
  readonly sim: ClientsCommandSimulator;
  readonly provider: KycProvider;
  readonly kyc: Kyc;
  readonly events: KycEvent[];
  readonly logs: CapturedLogs;
  /** A provider call context on the simulator's clock. */
  context(): ProviderCallContext;
  /** Requests the simulator received, as `METHOD /path?command=…`. */
  calls(filter?: (request: RecordedRequest) => boolean): string[];
  count(method: string, path: RegExp, command?: string): number;
  close(): Promise<void>;
}

export const DEFAULT_SIMULATOR: ClientsCommandSimulatorOptions = {
  // Not the contract's example ids (1…6 in name order): the adapter must look them up.
  identifierTypes: [
    { id: 41, name: 'Residence Permit' },
    { id: 17, name: 'SSN' },
    { id: 23, name: 'Passport' },
    { id: 99, name: 'ITIN' },
    { id: 5, name: 'Drivers License' },
    { id: 64, name: 'National ID' },
  ],
};

export async function startHarness(
  options: { simulator?: ClientsCommandSimulatorOptions; adapter?: Partial<ClientsCommandOptions>; telemetry?: KycTelemetryOptions } = {},
): Promise<Harness> {
  const sim = await createClientsCommandSimulator({ ...DEFAULT_SIMULATOR, ...options.simulator });
  const logs = captureLogs();
  const provider = clientsCommand({ ...adapterOptions(sim), ...options.adapter });
  const kyc = createKyc({
    providers: [provider],
    now: () => sim.clock.now(),
    logger: logs,
    ...(options.telemetry === undefined ? {} : { telemetry: options.telemetry }),
  });
  const events: KycEvent[] = [];
  kyc.subscribe((event) => {
    events.push(event);
  });
  const describe = (request: RecordedRequest): string =>
    `${request.method} ${request.path}${request.query.command === undefined ? '' : `?command=${request.query.command}`}`;
  return {
    sim,
    provider,
    kyc,
    events,
    logs,
    context: () => ({ logger: logs, now: () => sim.clock.now(), idempotencyKey: 'test' }),
    calls: (filter = () => true) => sim.requests().filter(filter).map(describe),
    count: (method, path, command) =>
      sim
        .requests()
        .filter((request) => request.method === method && path.test(request.path) && (command === undefined || request.query.command === command))
        .length,
    async close() {
      const violations = sim.contractViolations();
      await kyc.close();
      await sim.close();
      // Every test doubles as a check that the adapter calls only what clients-command.md documents.
      expect(violations.map((violation) => `${violation.route} — ${violation.reason}`), 'undocumented requests').toEqual([]);
    },
  };
}

export function adapterOptions(sim: ClientsCommandSimulator): ClientsCommandOptions {
  return {
    baseUrl: sim.baseUrl,
    username: sim.credentials.username,
    password: sim.credentials.password,
    tenantId: sim.credentials.tenantId,
  };
}

let referenceCounter = 0;
export function nextReference(): string {
  referenceCounter += 1;
  return `user-${Date.now().toString(36)}-${referenceCounter}`;
}

export async function newCustomer(h: Harness) {
  return h.kyc.createCustomer({ reference: nextReference(), type: 'individual', email: 'jane@example.com', firstName: 'Jane', lastName: 'Smith' });
}

/** Asserts that none of the canary values appears in `text`. */
export function leakedCanaries(text: string): string[] {
  return Object.values(CANARY).filter((value) => text.includes(value));
}
