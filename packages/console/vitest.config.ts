import { mergeConfig } from 'vitest/config';
import { packageTests } from '../../config/vitest-preset.mjs';

export default mergeConfig(packageTests(), {
  test: {
    // The browser test starts Chromium and an in-memory PostgreSQL (PGlite).
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
