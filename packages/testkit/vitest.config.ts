import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../vitest.workspace-alias.mjs';

/**
 * The broken-adapter fixtures wrap the real Technest, patch-style and
 * clients-command adapters. They are resolved from source here rather than declared as
 * dependencies, because the adapters' own tests depend on this package
 * (turbo.json orders the build instead).
 */
const technestSource = fileURLToPath(new URL('../adapter-technest/src/index.ts', import.meta.url));
const clientsCommandSource = fileURLToPath(new URL('../adapter-clients-command/src/index.ts', import.meta.url));
const patchStyleSource = fileURLToPath(new URL('../adapter-patch-style/src/index.ts', import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      ...workspaceAliases,
      { find: /^@openkyc\/adapter-technest$/, replacement: technestSource },
      { find: /^@openkyc\/adapter-clients-command$/, replacement: clientsCommandSource },
      { find: /^@openkyc\/adapter-patch-style$/, replacement: patchStyleSource },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
