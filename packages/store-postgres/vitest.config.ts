import { mergeConfig } from 'vitest/config';
import { packageTests } from '../../config/vitest-preset.mjs';

export default mergeConfig(packageTests(), {
  test: {
    // A real PostgreSQL server, started once for the run (test/support/global-setup.ts).
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
