import { libraryBuild } from '../../config/tsup-preset.mjs';

// Splitting: one copy of the error classes across the `.` and `./http` entries.
export default libraryBuild({ index: 'src/index.ts', http: 'src/http/index.ts' }, { splitting: true });
