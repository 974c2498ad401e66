// Loaded with `node --import`: registers a resolve hook that fails the import of any module of
// the zod package, naming who imported it. Used by import-cost.test.ts for ES module entries
// (CommonJS entries are checked through require.cache instead).
import { register } from 'node:module';

const hooks = `
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (resolved.url.includes('/node_modules/zod/')) {
    throw new Error('zod loaded at import: ' + specifier + ' from ' + context.parentURL);
  }
  return resolved;
}
`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
