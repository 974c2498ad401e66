import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {"index": "src/index.ts", "http": "src/http/index.ts"},
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // One copy of shared modules (the error classes) across the `.` and `./http` entries,
  // so `instanceof` holds between them in both ESM and CJS builds.
  splitting: true,
  treeshake: true,
});
