import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Every import in core points down. A folder may import its own files and
 * folders of lower layers only; the layers are below. (Import cycles are
 * checked repo-wide by `npm run lint:cycles`.)
 */
const LAYERS: Readonly<Record<string, number>> = {
  '.': 0, // errors.ts: the error classes every layer throws
  values: 0, // primitive formats: dates, countries, phones, file types, identifiers
  models: 1, // the normalized shapes (application, customer, events)
  logging: 2,
  lifecycle: 2, // the pure state machine and ordering rules
  redaction: 3,
  telemetry: 3, // OpenTelemetry instruments and the provider-call span (over the API only)
  provider: 4, // the adapter contract
  application: 5, // validation against a provider's capabilities
  store: 5,
  webhooks: 5,
  http: 5,
  client: 6, // createKyc and its use cases
  schemas: 7, // the `./schemas` entry: the models' zod schemas, built when it is imported
};

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** The top-level folder of a file under src ('.' for files directly in src). */
const layerFolder = (file: string): string => {
  const parts = relative(src, file).split(sep);
  return parts.length === 1 ? '.' : parts[0]!;
};

const IMPORT = /^(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/gm;

describe('core layering', () => {
  const files = sourceFiles(src).filter((file) => relative(src, file) !== 'index.ts');

  it('knows the layer of every folder', () => {
    for (const file of files) expect(Object.keys(LAYERS), relative(src, file)).toContain(layerFolder(file));
  });

  it('has no import of a higher layer or of a sibling folder', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = layerFolder(file);
      for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const target = layerFolder(resolve(dirname(file), match[1]!.replace(/\.js$/, '.ts')));
        if (target === from) continue;
        if (LAYERS[target]! >= LAYERS[from]!) violations.push(`${relative(src, file)} (${from}) imports ${match[1]} (${target})`);
      }
    }
    expect(violations).toEqual([]);
  });
});
