import { libraryBuild } from '../../config/tsup-preset.mjs';

// Splitting: one copy of the error classes across the `.`, `./http` and `./schemas` entries (and one
// copy of each lazily built schema, so `./schemas` hands out the very schemas core validates with).
export default libraryBuild(
  { index: 'src/index.ts', http: 'src/http/index.ts', schemas: 'src/schemas/index.ts' },
  { splitting: true },
);
