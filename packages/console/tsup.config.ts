import { libraryBuild } from '../../config/tsup-preset.mjs';

export default libraryBuild({ index: 'src/index.ts' });
