import { defineConfig, type Options } from 'tsup';

/**
 * The one build every package uses: ESM + CJS with types for both (publint and
 * attw check them in CI), sourcemaps, Node 20. A package passes its entries;
 * `splitting` stays off unless a package has several entries that must share
 * one copy of a module (core's `.` and `./http` share the error classes, so
 * `instanceof` holds across them).
 */
export function libraryBuild(entry: Record<string, string>, options: Pick<Options, 'splitting'> = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    splitting: options.splitting ?? false,
    treeshake: true,
    // `import.meta.url` in the CJS build (core loads zod on first use through createRequire).
    shims: true,
  });
}
