/**
 * `@openkyc/adapter-patch-style/schemas`: the zod schema of the options `patchStyle()` takes, for applications that
 * check or compose adapter configuration themselves. Importing this entry loads zod; the main
 * entry does not (it builds the schema on first use).
 *
 * @packageDocumentation
 */

import { patchStyleOptionsSchema as options } from '../patch-style-options.js';

/**
 * Zod schema of `PatchStyleOptions`: what `patchStyle()` validates its options with, so a misspelt key or a bad
 * value is refused the same way here.
 */
export const patchStyleOptionsSchema = options();
