import { fileURLToPath } from 'node:url';

/**
 * Tests inside the monorepo resolve sibling packages from source, so a change in
 * core is seen by adapter tests without a rebuild. The published builds are
 * checked separately (examples import the built packages; publint and attw run in CI).
 */
const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export const workspaceAliases = [
  { find: /^@openkyc\/core\/http$/, replacement: source('./packages/core/src/http/index.ts') },
  { find: /^@openkyc\/core$/, replacement: source('./packages/core/src/index.ts') },
  { find: /^@openkyc\/testkit$/, replacement: source('./packages/testkit/src/index.ts') },
];
