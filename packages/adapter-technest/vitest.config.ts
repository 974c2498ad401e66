import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../vitest.workspace-alias.mjs';

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
