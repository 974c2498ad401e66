// The public API of @openkyc/adapter-patch-style. Explicit named exports only.
export { patchStyle } from './patch-style-provider.js';
export type {
  PatchStyleDocumentFile,
  PatchStyleHostDocument,
  PatchStyleOptions,
  PatchStyleRefreshApiKey,
} from './patch-style-options.js';
