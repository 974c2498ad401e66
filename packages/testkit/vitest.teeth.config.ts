import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/** Runs only the conformance suite against the deliberately broken adapters (see test/conformance/teeth.test.ts). */
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['test/conformance/broken/*.conformance.ts'] },
});
