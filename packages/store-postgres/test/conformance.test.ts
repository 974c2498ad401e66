import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { CustomerStore } from '@openkyc/core';
import { describeStoreConformance } from '@openkyc/testkit';
import { afterAll, inject } from 'vitest';
import { pgliteStore, postgresStore, type SqlStore } from '../src/index.js';
import { dropSchema, freshSchema } from './support/schemas.js';

const url = inject('postgresUrl');
const schemaOf = new WeakMap<CustomerStore, string>();

// PostgreSQL: every test in a schema of its own; a second pool on that schema for the multi-connection tests.
describeStoreConformance(
  'postgresStore (PostgreSQL 18)',
  () => {
    const schema = freshSchema('conformance');
    const store = postgresStore({ connectionString: url, schema });
    schemaOf.set(store, schema);
    return store;
  },
  {
    openAnother: async (store) => postgresStore({ connectionString: url, schema: schemaOf.get(store)! }),
    teardown: async (store) => {
      await (store as SqlStore).close();
      await dropSchema(url, schemaOf.get(store)!);
    },
  },
);

// PGlite: one database per engine for the file (opening one costs seconds), a schema per test.
// pgliteStore's own opening of a dataDir (and its lock) is covered in pglite-data-dir.test.ts.
const inMemory = new PGlite();
const dataDir = mkdtempSync(join(tmpdir(), 'openkyc-pglite-'));
const onDisk = new PGlite(dataDir);
afterAll(async () => {
  await inMemory.close();
  await onDisk.close();
  rmSync(dataDir, { recursive: true, force: true });
});

for (const [name, pglite] of [
  ['pgliteStore (in memory)', inMemory],
  ['pgliteStore (on disk)', onDisk],
] as const) {
  describeStoreConformance(
    name,
    () => {
      const schema = freshSchema('conformance');
      const store = pgliteStore({ pglite, schema });
      schemaOf.set(store, schema);
      return store;
    },
    {
      // PGlite is one connection: a second store on it is a second handle, as close to "another connection" as it has.
      openAnother: async (store) => pgliteStore({ pglite, schema: schemaOf.get(store)! }),
      teardown: async (store) => {
        await (store as SqlStore).close();
        await pglite.exec(`DROP SCHEMA IF EXISTS "${schemaOf.get(store)!}" CASCADE`);
      },
    },
  );
}
