/**
 * `@openkyc/adapter-clients-command/schemas`: the zod schema of the options `clientsCommand()` takes, for applications that
 * check or compose adapter configuration themselves. Importing this entry loads zod; the main
 * entry does not (it builds the schema on first use).
 *
 * @packageDocumentation
 */

import { clientsCommandOptionsSchema as options } from '../clients-command-options.js';

/**
 * Zod schema of `ClientsCommandOptions`: what `clientsCommand()` validates its options with, so a misspelt key or a bad
 * value is refused the same way here.
 */
export const clientsCommandOptionsSchema = options();
