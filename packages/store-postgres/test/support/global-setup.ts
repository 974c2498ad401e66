import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The connection string of the PostgreSQL server this test run started. */
    postgresUrl: string;
  }
}

/** One real PostgreSQL for the whole run; each test file works in schemas of its own. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  project.provide('postgresUrl', server.url);
  return server.stop;
}
