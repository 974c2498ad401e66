import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createKyc } from '../../src/client/create-kyc.js';
import type { Consumer } from '../../src/client/consumer.js';
import type { Kyc } from '../../src/client/kyc.js';
import { ConfigurationError, NotFoundError, ValidationError } from '../../src/errors.js';
import type { KycLogger } from '../../src/logging/logger.js';
import type { KycEvent } from '../../src/models/events.js';
import { memoryStore } from '../../src/store/memory-store.js';
import { sampleApplication } from '../support/application-fixture.js';
import { startTinyServer, tinyProvider, type TinyServer } from '../support/tiny-provider.js';

const FAST = { pollIntervalMs: 20, retryDelayMs: 2, maxRetryDelayMs: 10, leaseMs: 300 } as const;
/** Looks like personal data in an error's text: it must never reach a dead letter or a log line. */
const CANARY = 'jane.canary@example.com 078-05-1120';

let server: TinyServer;
let kyc: Kyc;
let lines: string[];
const consumers: Consumer[] = [];

beforeEach(async () => {
  server = await startTinyServer();
  lines = [];
  const write = (obj: Record<string, unknown>, msg?: string) => void lines.push(JSON.stringify({ msg, ...obj }));
  const logger: KycLogger = { debug: write, info: write, warn: write, error: write };
  kyc = createKyc({ providers: [tinyProvider(server)], logger, store: memoryStore() });
});

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
  await kyc.close();
  await server.close();
});

const start = (name: string, handler: (event: KycEvent) => unknown, options = {}): Consumer => {
  const consumer = kyc.consume(name, async (event) => void (await handler(event)), { ...FAST, ...options });
  consumers.push(consumer);
  return consumer;
};
const createCustomers = async (count: number, prefix = 'c') => {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push((await kyc.createCustomer({ reference: `${prefix}-${i}`, type: 'individual', email: 'a@example.com', firstName: 'A', lastName: 'B' })).id);
  }
  return ids;
};

describe('kyc.consume', () => {
  it('hands every committed event to the handler once, in commit order, with its id', async () => {
    const [first] = await createCustomers(2);
    await kyc.submit(first!, sampleApplication());
    const seen: KycEvent[] = [];
    start('crm', (event) => seen.push(event));
    await createCustomers(1, 'late');
    const expected = [...(await kyc.listEvents(first!))];
    await vi.waitFor(() => expect(seen).toHaveLength(expected.length + 2));
    expect(seen.filter((event) => event.customerId === first)).toEqual(expected);
    expect(seen.map((event) => event.type)).toEqual(['customer.created', 'customer.created', 'customer.submitted', 'customer.created']);
    expect(new Set(seen.map((event) => event.id)).size).toBe(seen.length);
  });

  it("starts a new name at the next event with from: 'now'", async () => {
    await createCustomers(3);
    const seen: string[] = [];
    const consumer = start('fresh', (event) => seen.push(event.reference), { from: 'now' });
    // Let it claim the name (and record where 'now' is) before the next commit.
    await vi.waitFor(() => expect(lines.some((line) => line.includes('consumer claimed its name'))).toBe(true));
    await createCustomers(1, 'after');
    await vi.waitFor(() => expect(seen).toEqual(['after-0']));
    await consumer.stop();
  });

  it('resumes after its checkpoint when started again', async () => {
    await createCustomers(2);
    const seen: string[] = [];
    const first = start('resume', (event) => seen.push(event.reference));
    await vi.waitFor(() => expect(seen).toEqual(['c-0', 'c-1']));
    await first.stop();
    await createCustomers(2, 'later');
    start('resume', (event) => seen.push(event.reference));
    await vi.waitFor(() => expect(seen).toEqual(['c-0', 'c-1', 'later-0', 'later-1']));
  });

  it('retries a failing handler with backoff and does not pass the event until it succeeds', async () => {
    await createCustomers(3);
    const calls: string[] = [];
    let failures = 0;
    start('retry', (event) => {
      calls.push(event.reference);
      if (event.reference === 'c-1' && failures < 3) {
        failures += 1;
        throw new Error('downstream unavailable');
      }
    });
    await vi.waitFor(() => expect(calls).toEqual(['c-0', 'c-1', 'c-1', 'c-1', 'c-1', 'c-2']));
    expect(await kyc.listDeadLetters('retry')).toEqual([]);
  });

  it('records a dead letter after maxAttempts failures, without the error text, and goes on', async () => {
    await createCustomers(3);
    const calls: string[] = [];
    let broken = true;
    start(
      'dead',
      (event) => {
        calls.push(event.reference);
        if (event.reference === 'c-1' && broken) throw new TypeError(`cannot sync ${CANARY}`);
      },
      { maxAttempts: 3 },
    );
    await vi.waitFor(() => expect(calls).toEqual(['c-0', 'c-1', 'c-1', 'c-1', 'c-2']));
    const [letter, ...others] = await kyc.listDeadLetters('dead');
    expect(others).toEqual([]);
    const event = (await kyc.listEvents((await kyc.findCustomerByReference('c-1'))!.id))[0]!;
    expect(letter).toMatchObject({ eventId: event.id, customerId: event.customerId, event, errorCode: 'TypeError', attempts: 3, retryRequested: false });
    expect(JSON.stringify(letter)).not.toContain('canary');
    expect(lines.join('\n')).not.toContain('canary');
    expect(lines.some((line) => line.includes('dead letter') && line.includes(event.id))).toBe(true);

    broken = false;
    await kyc.retryDeadLetter('dead', event.id);
    await vi.waitFor(() => expect(calls).toEqual(['c-0', 'c-1', 'c-1', 'c-1', 'c-2', 'c-1']));
    await vi.waitFor(async () => expect(await kyc.listDeadLetters('dead')).toEqual([]));
  });

  it("keeps a KycError's code and message in the dead letter, and a retry that fails again keeps counting", async () => {
    await createCustomers(1);
    let calls = 0;
    start(
      'typed',
      () => {
        calls += 1;
        throw new ConfigurationError('The CRM refused the record; fix its mapping and retry the dead letter.');
      },
      { maxAttempts: 2 },
    );
    await vi.waitFor(async () => expect(await kyc.listDeadLetters('typed')).toHaveLength(1));
    const [letter] = await kyc.listDeadLetters('typed');
    expect(letter).toMatchObject({ errorCode: 'configuration_error', errorMessage: 'The CRM refused the record; fix its mapping and retry the dead letter.', attempts: 2 });
    await kyc.retryDeadLetter('typed', letter!.eventId);
    await vi.waitFor(async () => expect(await kyc.listDeadLetters('typed')).toMatchObject([{ attempts: 4, retryRequested: false }]));
    expect(calls).toBe(4);
  });

  it('keeps a summary from describeError, and refuses to retry a dead letter that does not exist', async () => {
    await createCustomers(1);
    start(
      'described',
      () => {
        throw new Error(CANARY);
      },
      { maxAttempts: 1, describeError: () => ({ code: 'crm_down', message: 'CRM answered 503' }) },
    );
    await vi.waitFor(async () => expect(await kyc.listDeadLetters('described')).toMatchObject([{ errorCode: 'crm_down', errorMessage: 'CRM answered 503' }]));
    await expect(kyc.retryDeadLetter('described', 'evt_missing')).rejects.toBeInstanceOf(NotFoundError);
    expect(await kyc.listDeadLetters('nobody')).toEqual([]);
  });

  it('lists its consumers for operators: holder and lease, lag behind the head of the log, dead letters', async () => {
    expect(await kyc.listConsumers()).toEqual([]);
    await createCustomers(3);
    const consumer = start('crm', (event) => {
      if (event.reference === 'c-1') throw new TypeError('no');
    }, { maxAttempts: 1 });
    await vi.waitFor(async () => expect(await kyc.listConsumers()).toMatchObject([{ name: 'crm', leased: true, lag: 0, deadLetters: 1 }]));
    await consumer.stop();
    await createCustomers(2, 'later');
    expect(await kyc.listConsumers()).toMatchObject([{ name: 'crm', leased: false, lag: 2, deadLetters: 1 }]);
  });

  it('gives a name to one consumer at a time; the other takes over when the holder stops', async () => {
    await createCustomers(2);
    const seenA: string[] = [];
    const seenB: string[] = [];
    const a = start('single', (event) => seenA.push(event.reference));
    await vi.waitFor(() => expect(seenA).toEqual(['c-0', 'c-1']));
    const b = start('single', (event) => seenB.push(event.reference));
    await createCustomers(1, 'second');
    await vi.waitFor(() => expect(seenA).toEqual(['c-0', 'c-1', 'second-0']));
    await a.stop();
    await createCustomers(1, 'third');
    await vi.waitFor(() => expect(seenB).toEqual(['third-0']));
    expect(seenA).toEqual(['c-0', 'c-1', 'second-0']);
    await b.stop();
  });

  it('stops in the middle of retrying without passing the event, and delivers it after a restart', async () => {
    await createCustomers(2);
    const calls: string[] = [];
    const consumer = start('interrupted', (event) => {
      calls.push(event.reference);
      if (event.reference === 'c-0') throw new Error('not yet');
    }, { retryDelayMs: 60_000, maxRetryDelayMs: 60_000 });
    await vi.waitFor(() => expect(calls).toEqual(['c-0']));
    await consumer.stop();
    const again: string[] = [];
    start('interrupted', (event) => again.push(event.reference));
    await vi.waitFor(() => expect(again).toEqual(['c-0', 'c-1']));
  });

  it('refuses a bad name or option before anything runs', () => {
    expect(() => kyc.consume('', () => undefined)).toThrow(ValidationError);
    expect(() => kyc.consume('has space', () => undefined)).toThrow(ValidationError);
    expect(() => kyc.consume('ok', () => undefined, { batchSize: 0 })).toThrow(/batchSize/);
    expect(() => kyc.consume('ok', () => undefined, { from: 'end' as 'now' })).toThrow(/from/);
    expect(() => kyc.consume('ok', 'handler' as never)).toThrow(/handler/);
  });
});
