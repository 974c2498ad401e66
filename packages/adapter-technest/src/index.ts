// The public API of @openkyc/adapter-technest. Explicit named exports only.
export { technest } from './technest-provider.js';
export type { TechnestOptions } from './technest-options.js';
