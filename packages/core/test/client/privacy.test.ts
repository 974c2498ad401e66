import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKyc } from '../../src/client/create-kyc.js';
import type { Kyc } from '../../src/client/kyc.js';
import type { KycLogger } from '../../src/logging/logger.js';
import type { Application } from '../../src/models/application.js';
import { CANARY, sampleApplication } from '../support/application-fixture.js';
import { startTinyServer, tinyProvider, type TinyServer } from '../support/tiny-provider.js';

/**
 * No error message, `cause`, or log line may ever contain a date of birth, a
 * document number or a national id number, whatever fails and wherever.
 */
let server: TinyServer;
let kyc: Kyc;
let lines: string[];

beforeEach(async () => {
  server = await startTinyServer();
  lines = [];
  const write = (level: string) => (obj: Record<string, unknown>, msg?: string) => {
    lines.push(JSON.stringify({ level, msg, ...obj }));
  };
  const logger: KycLogger = { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
  kyc = createKyc({ providers: [tinyProvider(server)], logger });
});

afterEach(async () => {
  await kyc.close();
  await server.close();
});

describe('personal data never leaks into errors or logs', () => {
  it('holds across validation, provider, state, webhook and handler failures', async () => {
    const errors: unknown[] = [];
    const customer = await kyc.createCustomer({ reference: 'p-1', type: 'individual', email: 'p@example.com', firstName: 'P', lastName: 'Q' });
    const application = sampleApplication();

    // Validation failures that involve the canary fields themselves.
    // Deliberately invalid (an unknown country among them), so typed as the loose input it is.
    const broken = {
      ...application,
      person: { ...application.person, dateOfBirth: `${CANARY.dateOfBirth}x`, phone: CANARY.nationalId },
      identifiers: [{ type: 'ssn' as const, value: CANARY.nationalId, issuingCountry: 'ZZ' }],
      documents: application.documents.map((d) => ({ ...d, number: CANARY.documentNumber, expiresOn: '2001-01-01' })),
    } as unknown as Application;
    await kyc.submit(customer.id, broken).catch((e: unknown) => errors.push(e));
    errors.push(...kyc.validate(broken).issues);

    // A provider failure after the data was sent, and a state error.
    server.failNext(/submit/, 500);
    await kyc.submit(customer.id, application).catch((e: unknown) => errors.push(e));
    await kyc.submit(customer.id, application);
    await kyc.submit(customer.id, application).catch((e: unknown) => errors.push(e));

    // A forged webhook and a failing event handler.
    kyc.on('customer.verified', () => {
      throw new Error('handler failed');
    });
    const forged = server.delivery({ id: 'evt_x', customerId: CANARY.documentNumber, status: 'verified', occurredAt: CANARY.dateOfBirth }, { secret: 'nope' });
    await kyc.handleWebhook('tiny', forged).catch((e: unknown) => errors.push(e));
    const customerNow = await kyc.getCustomer(customer.id);
    await kyc.handleWebhook('tiny', server.decide(customerNow.providerCustomerId, 'verified'));

    // Reconcile with a broken provider.
    server.failNext(/customers\//, 500, 10);
    await kyc.reconcile({ all: true });

    expect(errors.length).toBeGreaterThanOrEqual(5);
    const text = [...lines, ...errors.flatMap(describeError)].join('\n');
    for (const canary of Object.values(CANARY)) expect(text).not.toContain(canary);
    // The provider did receive the data: the test is not vacuous.
    expect(JSON.stringify(server.records.get(customerNow.providerCustomerId)?.lastSubmission)).toContain(CANARY.documentNumber);
  });
});

describe('malformed identifiers and document numbers', () => {
  const MALFORMED = ['51A-44-778', '666-12-3456', '123-00-4567', '912-40-1234', 'CNRY?5501'];

  it('are refused before any request, with the path and the rule, never the value', async () => {
    const customer = await kyc.createCustomer({ reference: 'p-2', type: 'individual', email: 'p@example.com', firstName: 'P', lastName: 'Q' });
    const requestsBefore = server.requests.length;
    const application = sampleApplication();
    const errors: unknown[] = [];
    const identifiers = [
      { type: 'ssn' as const, value: MALFORMED[0]!, issuingCountry: 'US' as const },
      { type: 'ssn' as const, value: MALFORMED[1]!, issuingCountry: 'US' as const },
      { type: 'ssn' as const, value: MALFORMED[2]!, issuingCountry: 'US' as const },
      { type: 'itin' as const, value: MALFORMED[3]!, issuingCountry: 'US' as const },
    ];
    const broken: Application = {
      ...application,
      identifiers,
      documents: application.documents.map((d) => ({ ...d, number: MALFORMED[4]! })),
    };
    await kyc.submit(customer.id, broken).catch((e: unknown) => errors.push(e));
    const { issues } = kyc.validate(broken);

    expect(errors).toHaveLength(1);
    expect(issues.map((issue) => [issue.path.join('.'), issue.code, issue.rule])).toEqual([
      ['identifiers.0.value', 'invalid_identifier', 'ssn_format'],
      ['identifiers.1.value', 'invalid_identifier', 'ssn_area'],
      ['identifiers.2.value', 'invalid_identifier', 'ssn_group'],
      ['identifiers.3.value', 'invalid_identifier', 'itin_group'],
      ['documents.0.number', 'invalid_document_number', 'document_number_format'],
    ]);
    expect(server.requests.length).toBe(requestsBefore);
    const text = [...lines, ...errors.flatMap(describeError), JSON.stringify(issues)].join('\n');
    for (const value of MALFORMED) {
      expect(text).not.toContain(value);
      expect(text).not.toContain(value.replaceAll('-', ''));
    }
  });
});

function describeValue(value: unknown): string[] {
  const out: string[] = [];
  for (let current: unknown = value, depth = 0; current != null && depth < 10; depth++) {
    if (current instanceof Error) {
      out.push(current.message, current.stack ?? '', JSON.stringify({ ...current }));
      current = current.cause;
    } else {
      out.push(JSON.stringify(current));
      break;
    }
  }
  return out;
}

function describeError(value: unknown): string[] {
  return describeValue(value);
}
