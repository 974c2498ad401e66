import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKyc } from '../../src/client/create-kyc.js';
import type { Kyc } from '../../src/client/kyc.js';
import { NotFoundError } from '../../src/errors.js';
import type { KycLogger } from '../../src/logging/logger.js';
import { sampleApplication } from '../support/application-fixture.js';
import { startTinyServer, tinyProvider, type TinyServer } from '../support/tiny-provider.js';

let server: TinyServer;
let kyc: Kyc;
let lines: string[];
let now = new Date(Math.floor(Date.now() / 1000) * 1000);
const later = (ms: number) => (now = new Date(now.getTime() + ms));

beforeEach(async () => {
  server = await startTinyServer(() => now);
  lines = [];
  const write = (obj: Record<string, unknown>, msg?: string) => void lines.push(JSON.stringify({ msg, ...obj }));
  const logger: KycLogger = { debug: write, info: write, warn: write, error: write };
  kyc = createKyc({ providers: [tinyProvider(server)], logger, now: () => now });
});

afterEach(async () => {
  await kyc.close();
  await server.close();
});

describe('kyc.forgetCustomer', () => {
  it('erases names, email and the provider free text, keeps ids, statuses and history, and records when', async () => {
    const created = await kyc.createCustomer({ reference: 'f-1', type: 'individual', email: 'jane@example.com', firstName: 'Jane', lastName: 'Smith' });
    await kyc.submit(created.id, sampleApplication());
    const rejection = { code: 'document_expired' as const, message: 'The document has expired.', providerReason: 'passport of Jane Smith expired', retryable: true };
    await kyc.handleWebhook('tiny', server.decide(created.providerCustomerId, 'rejected', { rejection, at: later(5000) }));
    const before = await kyc.getCustomer(created.id);
    expect(before.status).toBe('rejected');
    const eventsBefore = await kyc.listEvents(created.id);

    const forgottenAt = later(1000).toISOString();
    const forgotten = await kyc.forgetCustomer(created.id);
    expect(forgotten).toMatchObject({ id: created.id, reference: 'f-1', status: 'rejected', email: '', firstName: '', lastName: '', forgottenAt });
    expect(forgotten.rejection).toEqual({ code: 'document_expired', message: 'The document has expired.', retryable: true });
    expect(forgotten.createdAt).toBe(before.createdAt);
    expect(forgotten.version).toBe(before.version + 1);
    expect(await kyc.getCustomer(created.id)).toEqual(forgotten);
    const eventsAfter = await kyc.listEvents(created.id);
    expect(eventsAfter.map((event) => [event.id, event.type, event.to])).toEqual(eventsBefore.map((event) => [event.id, event.type, event.to]));
    expect(JSON.stringify(eventsAfter)).not.toMatch(/Jane|Smith|jane@/);
    // Logged by id, never with the data it erased.
    expect(lines.some((line) => line.includes('forgotten') && line.includes(created.id))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/Jane|Smith/);

    // Again: harmless; the customer goes on living its lifecycle without the data.
    await kyc.forgetCustomer(created.id);
    await kyc.handleWebhook('tiny', server.decide(created.providerCustomerId, 'pending', { at: later(5000) }));
    expect(await kyc.getCustomer(created.id)).toMatchObject({ status: 'pending', email: '', firstName: '' });
  });

  it('throws NotFoundError for an unknown customer', async () => {
    await expect(kyc.forgetCustomer('cus_nobody')).rejects.toThrow(NotFoundError);
  });
});
