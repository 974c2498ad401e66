/** The entry points users import at startup: each must load neither zod nor undici until first use. */
export const MAIN_ENTRIES = [
  '@openkyc/core',
  '@openkyc/core/http',
  '@openkyc/adapter-technest',
  '@openkyc/adapter-patch-style',
  '@openkyc/adapter-clients-command',
] as const;
