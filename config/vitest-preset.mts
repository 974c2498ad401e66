import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Tests inside the monorepo resolve sibling packages from source, so a change in
 * core is seen by adapter tests without a rebuild. The published builds are
 * checked separately (examples import the built packages; publint and attw run in CI).
 */
const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export const workspaceAliases = [
  { find: /^@openkyc\/core\/http$/, replacement: source('../packages/core/src/http/index.ts') },
  { find: /^@openkyc\/core$/, replacement: source('../packages/core/src/index.ts') },
  { find: /^@openkyc\/testkit$/, replacement: source('../packages/testkit/src/index.ts') },
];

/** A package's own tests: `test/**\/*.test.ts`, generous timeouts (real loopback servers), sibling packages from source. */
export function packageTests(options: { readonly aliases?: readonly { find: RegExp; replacement: string }[] } = {}) {
  return defineConfig({
    resolve: { alias: [...workspaceAliases, ...(options.aliases ?? [])] },
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: 20_000,
      hookTimeout: 20_000,
    },
  });
}
