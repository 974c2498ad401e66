import { createRequire } from 'node:module';

/** The `z` namespace of zod, as {@link lazySchema} hands it to a schema's builder. */
export type Zod = typeof import('zod').z;

/**
 * A zod schema built once, on first use: `const fooSchema = lazySchema((z) => z.object({ … }))`,
 * then `fooSchema().parse(value)`. Importing a module that defines schemas this way does not
 * load zod (~40 ms of startup); the first call does, synchronously, and later calls return the
 * same schema. Types still come from zod: `z.infer<ReturnType<typeof fooSchema>>`.
 */
export function lazySchema<T>(build: (z: Zod) => T): () => T {
  let schema: T | undefined;
  return () => {
    schema ??= build(loadZod());
    return schema;
  };
}

/**
 * zod's `z`, loaded on the first call and cached. Synchronous in both builds: CJS has `require`; ESM
 * gets one from createRequire (the CJS build shims `import.meta.url`).
 */
export function loadZod(): Zod {
  zod ??= (createRequire(import.meta.url)('zod') as typeof import('zod')).z;
  return zod;
}

// An ESM application that also imports zod itself gets zod's ESM copy next to the CJS one loaded
// here; zod v4 keeps its config on globalThis and checks `instanceof` by traits, so schemas from
// both copies compose and `z.config` applies to both.
let zod: Zod | undefined;
