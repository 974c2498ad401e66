/**
 * `@openkyc/adapter-technest/schemas`: the zod schema of the options `technest()` takes, for applications that
 * check or compose adapter configuration themselves. Importing this entry loads zod; the main
 * entry does not (it builds the schema on first use).
 *
 * @packageDocumentation
 */

import { technestOptionsSchema as options } from '../technest-options.js';

/**
 * Zod schema of `TechnestOptions`: what `technest()` validates its options with, so a misspelt key or a bad
 * value is refused the same way here.
 */
export const technestOptionsSchema = options();
