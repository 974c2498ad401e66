import { libraryBuild } from '../../config/tsup-preset.mjs';

// Splitting: `./schemas` hands out the very (lazily built) options schema the adapter validates with.
export default libraryBuild({ index: 'src/index.ts', schemas: 'src/schemas/index.ts' }, { splitting: true });
