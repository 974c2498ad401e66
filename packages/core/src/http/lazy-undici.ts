import { createRequire } from 'node:module';
import type * as Undici from 'undici';

/**
 * undici, loaded on first need (the first request of a client that owns its Agent, the first multipart
 * body), not when `@openkyc/core/http` or an adapter is imported: loading it costs ~40 ms, and an
 * application that injects its own dispatcher, or only handles webhooks, may never need it.
 *
 * Loaded with `require` in both builds (undici is CommonJS; an ESM `import` of it gets the same
 * instance, so `instanceof Agent` holds for the caller's own undici). The CommonJS build has
 * `__filename`; the ESM build resolves from its own URL.
 */
export function undici(): typeof Undici {
  loaded ??= createRequire(typeof __filename === 'string' ? __filename : import.meta.url)('undici') as typeof Undici;
  return loaded;
}

let loaded: typeof Undici | undefined;
