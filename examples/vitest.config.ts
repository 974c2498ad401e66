import { defineConfig } from 'vitest/config';

// Examples import the built packages (node_modules → dist), exactly as users do.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
