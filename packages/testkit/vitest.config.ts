import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../vitest.workspace-alias.mjs';

/**
 * The broken-adapter fixtures wrap the real Technest adapter. It is resolved from
 * source here rather than declared as a dependency, because the adapter's own
 * tests depend on this package (turbo.json orders the build instead).
 */
const technestSource = fileURLToPath(new URL('../adapter-technest/src/index.ts', import.meta.url));

export default defineConfig({
  resolve: { alias: [...workspaceAliases, { find: /^@openkyc\/adapter-technest$/, replacement: technestSource }] },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
