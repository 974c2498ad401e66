import { PGlite } from '@electric-sql/pglite';
import type { Customer, KycEvent } from '@openkyc/core';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { pgliteStore, postgresStore, type SqlStore } from '../src/index.js';
import { MIGRATIONS } from '../src/migrations/all-migrations.js';
import { dropSchema, freshSchema } from './support/schemas.js';
import { migrateToVersion1, writeVersion1, type Sql } from './support/version-1-rows.js';

const url = inject('postgresUrl');
const pool = new pg.Pool({ connectionString: url, max: 2 });
const pglite = new PGlite();
afterAll(async () => {
  await pool.end();
  await pglite.close();
});

/** Both engines: run SQL directly, and open the store on a schema. */
const engines: readonly { name: string; sql: Sql; store(schema: string): SqlStore; drop(schema: string): Promise<void> }[] = [
  { name: 'PostgreSQL 18', sql: pool, store: (schema) => postgresStore({ pool, schema }), drop: (schema) => dropSchema(url, schema) },
  {
    name: 'PGlite',
    sql: pglite,
    store: (schema) => pgliteStore({ pglite, schema }),
    drop: async (schema) => void (await pglite.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)),
  },
];

describe.each(engines)('migration 0002 (typed columns) on $name', (engine) => {
  it('converts a version-1 database with data in it: every customer, event and processed delivery reads back identical', async () => {
    const schema = freshSchema('upgrade');
    await migrateToVersion1(engine.sql, schema);
    const stored = everyShape();
    for (const { customer, events, dedupeKey } of stored) await writeVersion1(engine.sql, schema, customer, events, dedupeKey);

    const store = engine.store(schema);
    try {
      await store.migrate();
      for (const { customer, events, dedupeKey } of stored) {
        expect(await store.get(customer.id)).toEqual(customer);
        expect(await store.findByReference(customer.reference)).toEqual(customer);
        for (const attempt of customer.attempts) expect(await store.findByProviderCustomerId(customer.provider, attempt.providerCustomerId)).toEqual(customer);
        expect(await store.listEvents(customer.id)).toEqual(events);
        if (dedupeKey !== undefined) expect(await store.hasProcessed(customer.provider, dedupeKey)).toBe(true);
      }
      const listed: Customer[] = [];
      for await (const customer of store.list()) listed.push(customer);
      expect(listed).toEqual(stored.map(({ customer }) => customer));
      const versions = await rows(engine.sql, `SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
      expect(versions.map((row) => row.version)).toEqual(MIGRATIONS.map(({ version }) => version));
      const jsonColumns = await rows(engine.sql, `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 AND data_type IN ('json', 'jsonb')`, [
        schema,
      ]);
      expect(jsonColumns).toEqual([]);

      // The converted customer goes on: a change commits on the converted rows, and erasure reaches them.
      const [full] = stored;
      const next: Customer = { ...full!.customer, requirements: [], ignored: full!.customer.ignored.slice(1), status: 'verified', version: full!.customer.version + 1 };
      expect(await store.commit({ customer: next, expectedVersion: full!.customer.version })).toEqual({ ok: true });
      expect(await store.get(next.id)).toEqual(next);
      await store.forget(next.id, '2026-12-01T00:00:00.000Z');
      expect(await dumpText(engine.sql, schema)).not.toMatch(/Jane|Smith|jane@example\.com|expired in 2019/);
    } finally {
      await store.close();
      await engine.drop(schema);
    }
  });

  it('stops, applying nothing, when a version-1 row holds a field it has no column for', async () => {
    const schema = freshSchema('unmapped');
    await migrateToVersion1(engine.sql, schema);
    const [{ customer, events }] = everyShape() as [Shape];
    await writeVersion1(engine.sql, schema, customer, events);
    await engine.sql.query(`UPDATE "${schema}".customers SET extra = '{"nickname":"JJ"}'::jsonb`);
    const store = engine.store(schema);
    try {
      await expect(store.migrate()).rejects.toThrow(/customers\.extra holds fields/);
      const versions = await rows(engine.sql, `SELECT version FROM "${schema}".schema_migrations`);
      expect(versions.map((row) => row.version)).toEqual([1]);
      const kept = await rows(engine.sql, `SELECT extra, requirements FROM "${schema}".customers`);
      expect(kept).toEqual([{ extra: { nickname: 'JJ' }, requirements: customer.requirements }]);
    } finally {
      await store.close();
      await engine.drop(schema);
    }
  });
});

describe.each(engines)('the store on $name', (engine) => {
  it('refuses a customer field it has no column for, before writing anything', async () => {
    const schema = freshSchema('unknownfield');
    const store = engine.store(schema);
    try {
      const [{ customer }] = everyShape() as [Shape];
      await expect(store.commit({ customer: { ...customer, version: 1, nickname: 'JJ' } as Customer, expectedVersion: 0 })).rejects.toThrow(/no column for the customer field 'nickname'/);
      expect(await store.get(customer.id)).toBeUndefined();
    } finally {
      await store.close();
      await engine.drop(schema);
    }
  });

  it('forgetCustomer leaves no personal data or provider free text in any table', async () => {
    const schema = freshSchema('erasure');
    const store = engine.store(schema);
    try {
      for (const { customer, events } of everyShape()) {
        expect(await store.commit({ customer: { ...customer, version: 1 }, expectedVersion: 0, events })).toEqual({ ok: true });
        await store.forget(customer.id, '2026-12-01T00:00:00.000Z');
      }
      const dump = await dumpText(engine.sql, schema);
      expect(dump).toContain('cus_full'); // the dump does see the rows
      expect(dump).not.toMatch(/Jane|Smith|jane@example\.com|expired in 2019|Name on file/);
    } finally {
      await store.close();
      await engine.drop(schema);
    }
  });
});

interface Shape {
  readonly customer: Customer;
  readonly events: readonly KycEvent[];
  readonly dedupeKey?: string;
}

/** Customers and events covering every optional field and list shape the conversion maps. */
function everyShape(): Shape[] {
  const at = (day: number, ms = 0) => new Date(Date.UTC(2026, 10, day, 10, 0, 0, ms)).toISOString();
  const full: Customer = {
    id: 'cus_full',
    reference: 'user-full',
    type: 'individual',
    email: 'jane@example.com',
    firstName: 'Jane',
    lastName: 'Smith',
    provider: 'p',
    providerCustomerId: 'rec_full_2',
    providerReference: 'user-full-r2',
    attempts: [
      { number: 1, providerCustomerId: 'rec_full_1', providerReference: 'user-full', status: 'rejected', rawStatus: 'DECLINED', startedAt: at(20) },
      { number: 2, providerCustomerId: 'rec_full_2', providerReference: 'user-full-r2', status: 'pending', rawStatus: 'IN_REVIEW', startedAt: at(21, 123) },
    ],
    status: 'needs_info',
    rawStatus: 'NEEDS_INFO',
    requirements: [
      { kind: 'document', name: 'passport', message: 'Upload a passport photo.', providerCode: 'DOC_MISSING' },
      { kind: 'field', name: 'address', message: 'Add your address, "in full".' },
    ],
    rejection: { code: 'document_expired', message: 'The document has expired.', providerReason: 'Passport expired in 2019, Jane Smith', retryable: true },
    verificationLevel: 'FULL',
    submissions: 2,
    machineVersion: 3,
    lastReportAt: at(22, 1),
    lastReceivedAt: at(22, 2),
    lastCheckedAt: at(22, 3),
    pendingSince: at(22, 4),
    reviewOverdueAt: at(23),
    reviewOverdueLevel: 2,
    createdAt: at(20),
    updatedAt: at(23),
    submittedAt: at(21),
    verifiedAt: at(21, 5),
    activatedAt: at(21, 6),
    rejectedAt: at(20, 7),
    deactivatedAt: at(21, 8),
    ignored: [
      { at: at(22, 11), source: 'webhook', status: 'verified', rawStatus: 'APPROVED', occurredAt: at(22, 9), reason: 'stale' },
      { at: at(22, 12), source: 'poll', status: 'created', rawStatus: 'NEW', occurredAt: at(22, 12), reason: 'invalid_transition' },
    ],
    eventCount: 9,
    version: 7,
  };
  const base = { customerId: full.id, reference: full.reference, provider: full.provider, providerCustomerId: full.providerCustomerId, source: 'webhook' as const };
  const events: KycEvent[] = [
    { ...base, id: 'evt_full_1', type: 'customer.created', from: null, to: 'created', at: at(20), source: 'api' },
    { ...base, id: 'evt_full_2', type: 'customer.submitted', from: 'created', to: 'pending', at: at(20, 1) },
    { ...base, id: 'evt_full_3', type: 'customer.rejected', from: 'pending', to: 'rejected', at: at(20, 7), occurredAt: at(20, 6), rejection: full.rejection! },
    {
      ...base,
      id: 'evt_full_4',
      type: 'customer.rejected',
      from: 'pending',
      to: 'rejected',
      at: at(20, 8),
      rejection: { code: 'other', message: 'Contact support.', retryable: false },
    },
    { ...base, id: 'evt_full_5', type: 'customer.needs_info', from: 'pending', to: 'needs_info', at: at(21), requirements: full.requirements },
    { ...base, id: 'evt_full_6', type: 'customer.needs_info', from: 'pending', to: 'needs_info', at: at(21, 1), requirements: [] },
    { ...base, id: 'evt_full_7', type: 'customer.verified', from: 'pending', to: 'verified', at: at(21, 5), verificationLevel: 'FULL' },
    { ...base, id: 'evt_full_8', type: 'customer.verified', from: 'pending', to: 'verified', at: at(21, 5) },
    { ...base, id: 'evt_full_9', type: 'customer.activated', from: 'verified', to: 'active', at: at(21, 6), source: 'poll' },
    {
      ...base,
      id: 'evt_full_10',
      type: 'customer.review_overdue',
      from: 'pending',
      to: 'pending',
      at: at(23),
      pendingSince: at(22, 4),
      escalateAfterMs: 3_000_000_000,
      level: 2,
      action: 'contact_support',
    },
    { ...base, id: 'evt_full_11', type: 'customer.deactivated', from: 'active', to: 'deactivated', at: at(23, 1) },
  ];
  const plain: Customer = {
    id: 'cus_plain',
    reference: 'user-plain',
    type: 'business',
    email: 'ops@example.org',
    firstName: 'Name on file',
    lastName: 'Name on file',
    provider: 'q',
    providerCustomerId: 'rec_plain',
    providerReference: 'user-plain',
    attempts: [{ number: 1, providerCustomerId: 'rec_plain', providerReference: 'user-plain', status: 'created', rawStatus: 'created', startedAt: at(24) }],
    status: 'created',
    rawStatus: 'created',
    requirements: [],
    submissions: 0,
    machineVersion: 1,
    createdAt: at(24),
    updatedAt: at(24),
    ignored: [],
    eventCount: 1,
    version: 1,
  };
  const plainCreated: KycEvent = {
    id: 'evt_plain_1',
    type: 'customer.created',
    customerId: plain.id,
    reference: plain.reference,
    provider: plain.provider,
    providerCustomerId: plain.providerCustomerId,
    from: null,
    to: 'created',
    at: at(24),
    source: 'api',
  };
  return [
    { customer: full, events, dedupeKey: 'evt_delivery_full' },
    { customer: plain, events: [plainCreated] },
  ];
}

async function rows(sql: Sql, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  return ((await sql.query(text, params)) as { rows: Record<string, unknown>[] }).rows;
}

/** Every row of every table in the schema, as text. */
async function dumpText(sql: Sql, schema: string): Promise<string> {
  const tables = await rows(sql, `SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [schema]);
  const parts: string[] = [];
  for (const { table_name } of tables) {
    for (const row of await rows(sql, `SELECT t::text AS line FROM "${schema}"."${table_name as string}" t`)) parts.push(row.line as string);
  }
  return parts.join('\n');
}
