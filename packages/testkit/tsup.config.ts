import { libraryBuild } from '../../config/tsup-preset.mjs';

export default libraryBuild({ index: 'src/index.ts', telemetry: 'src/telemetry/index.ts' });
