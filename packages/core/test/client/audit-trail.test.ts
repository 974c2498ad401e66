import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKyc } from '../../src/client/create-kyc.js';
import type { Kyc } from '../../src/client/kyc.js';
import { ValidationError } from '../../src/errors.js';
import { memoryStore } from '../../src/store/memory-store.js';
import { startTinyServer, tinyProvider, type TinyServer } from '../support/tiny-provider.js';

/** The audit trail of operator actions: recorded through the client, kept in the store, listed newest first. */
let server: TinyServer;
let kyc: Kyc;
let now: Date;

beforeEach(async () => {
  now = new Date('2026-11-22T10:00:00.000Z');
  server = await startTinyServer(() => now);
  kyc = createKyc({ providers: [tinyProvider(server)], store: memoryStore(), now: () => now });
});

afterEach(async () => {
  await kyc.close();
  await server.close();
});

describe('kyc.recordAuditEntry / kyc.listAuditEntries', () => {
  it('stores entries with the client clock by default and lists them newest first, per customer and limited', async () => {
    const first = await kyc.recordAuditEntry({ action: 'refresh', actor: 'ops-1', customerId: 'cus_1', outcome: 'ok', detail: 'pending → verified' });
    expect(first).toEqual({ at: '2026-11-22T10:00:00.000Z', action: 'refresh', actor: 'ops-1', customerId: 'cus_1', outcome: 'ok', detail: 'pending → verified' });
    now = new Date('2026-11-22T10:05:00.000Z');
    await kyc.recordAuditEntry({ action: 'retry_dead_letter', target: 'mailer/evt_1', customerId: 'cus_2', outcome: 'failed', errorCode: 'not_found' });
    await kyc.recordAuditEntry({ action: 'apply_parked', outcome: 'ok', at: '2026-11-22T09:00:00.000Z' });

    expect((await kyc.listAuditEntries()).map((entry) => entry.action)).toEqual(['retry_dead_letter', 'refresh', 'apply_parked']);
    expect(await kyc.listAuditEntries({ customerId: 'cus_1' })).toEqual([first]);
    expect((await kyc.listAuditEntries({ limit: 1 })).map((entry) => entry.action)).toEqual(['retry_dead_letter']);
    expect(await kyc.listAuditEntries({ customerId: 'cus_none' })).toEqual([]);
  });

  it('keeps only the documented fields (nothing else an app passes reaches the store)', async () => {
    const input = { action: 'refresh', outcome: 'ok', email: 'jane@example.com' } as Parameters<Kyc['recordAuditEntry']>[0];
    await kyc.recordAuditEntry(input);
    expect(JSON.stringify(await kyc.listAuditEntries())).not.toContain('jane@example.com');
  });

  it('refuses a malformed entry with a ValidationError before writing anything', async () => {
    const bad = [
      { action: '', outcome: 'ok' },
      { action: 'refresh', outcome: 'maybe' },
      { action: 'refresh', outcome: 'ok', at: 'yesterday' },
      { action: 'refresh', outcome: 'ok', detail: 'x'.repeat(501) },
      { action: 'refresh', outcome: 'ok', actor: 7 },
    ] as unknown as Parameters<Kyc['recordAuditEntry']>[0][];
    for (const entry of bad) await expect(kyc.recordAuditEntry(entry)).rejects.toSatisfy(ValidationError.isInstance);
    await expect(kyc.listAuditEntries({ limit: 0 })).rejects.toSatisfy(ValidationError.isInstance);
    expect(await kyc.listAuditEntries()).toEqual([]);
  });
});
