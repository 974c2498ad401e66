import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CustomerStore } from '@openkyc/core';
import { describeStoreConformance } from '@openkyc/testkit';
import { inject } from 'vitest';
import { pgliteStore, postgresStore, type SqlStore } from '../src/index.js';
import { dropSchema, freshSchema } from './support/schemas.js';

const url = inject('postgresUrl');

// PostgreSQL: every test in a schema of its own, a second pool on the same schema for the multi-connection tests.
const schemaOf = new WeakMap<CustomerStore, string>();
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

describeStoreConformance('pgliteStore (in memory)', () => pgliteStore(), {
  teardown: (store) => (store as SqlStore).close(),
});

const dirOf = new WeakMap<CustomerStore, string>();
describeStoreConformance(
  'pgliteStore (on disk)',
  () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'openkyc-pglite-'));
    const store = pgliteStore({ dataDir });
    dirOf.set(store, dataDir);
    return store;
  },
  {
    teardown: async (store) => {
      await (store as SqlStore).close();
      rmSync(dirOf.get(store)!, { recursive: true, force: true });
    },
  },
);
