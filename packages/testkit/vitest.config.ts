import { fileURLToPath } from 'node:url';
import { packageTests } from '../../config/vitest-preset.mjs';

/**
 * The broken-adapter fixtures wrap the real Technest, patch-style and
 * clients-command adapters. They are resolved from source here rather than
 * declared as dependencies, because the adapters' own tests depend on this
 * package (turbo.json orders the build instead).
 */
const technestSource = fileURLToPath(new URL('../adapter-technest/src/index.ts', import.meta.url));
const clientsCommandSource = fileURLToPath(new URL('../adapter-clients-command/src/index.ts', import.meta.url));
const patchStyleSource = fileURLToPath(new URL('../adapter-patch-style/src/index.ts', import.meta.url));

export default packageTests({
  aliases: [
    { find: /^@openkyc\/adapter-technest$/, replacement: technestSource },
    { find: /^@openkyc\/adapter-clients-command$/, replacement: clientsCommandSource },
    { find: /^@openkyc\/adapter-patch-style$/, replacement: patchStyleSource },
  ],
});
