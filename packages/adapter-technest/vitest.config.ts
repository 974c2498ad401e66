import { packageTests } from '../../config/vitest-preset.mjs';

export default packageTests();
