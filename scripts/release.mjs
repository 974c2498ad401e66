#!/usr/bin/env node
/**
 * npm run release -- --dry-run   what a release would publish, and why it is safe:
 *                                 the pending version bumps (changeset status), then
 *                                 for every public package the exact tarball contents
 *                                 (npm pack --dry-run), checked against the rules below.
 * npm run release                 builds every package, checks the tarballs the same way,
 *                                 then `changeset publish` (publishes each package whose
 *                                 version is not on the registry yet, and tags it).
 *                                 Extra arguments go to `changeset publish` (e.g. --otp 123456,
 *                                 --tag next).
 *
 * Versions are not bumped here: `npx changeset version` does that (see docs/releasing.md).
 *
 * Rules for a tarball: only `package.json`, `README.md`, `CHANGELOG.md`, `LICENSE*`
 * and files under `dist/`; every file that `main`, `module`, `types` and `exports`
 * point at is in it; internal `@openkyc/*` dependencies name the versions being
 * released together.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const passThrough = args.filter((arg) => arg !== '--dry-run');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const ALLOWED = [/^package\.json$/, /^README\.md$/i, /^CHANGELOG\.md$/i, /^LICEN[CS]E(\..*)?$/i, /^dist\//];

function run(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { cwd: root, encoding: 'utf8', stdio: options.capture ? 'pipe' : 'inherit' });
  if (result.error) throw result.error;
  return result;
}

function readJson(path) {
  return JSON.parse(readFileSync(join(root, path), 'utf8'));
}

/** The workspace packages that are published: every workspace not marked private. */
function publicPackages() {
  const workspaces = readJson('package.json').workspaces ?? [];
  return workspaces
    .map((dir) => ({ dir, manifest: readJson(join(dir, 'package.json')) }))
    .filter(({ manifest }) => manifest.private !== true);
}

/** Every file path `main`, `module`, `types` and `exports` name, without a leading `./`. */
function entryFiles(manifest) {
  const files = new Set();
  const add = (value) => {
    if (typeof value === 'string') files.add(value.replace(/^\.\//, ''));
    else if (value && typeof value === 'object') for (const [key, nested] of Object.entries(value)) if (!key.includes('*')) add(nested);
  };
  add(manifest.main);
  add(manifest.module);
  add(manifest.types);
  add(manifest.exports);
  return [...files];
}

function formatSize(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} kB`;
}

/** Packs one package without writing a tarball and returns the problems found (empty: fine). */
function checkTarball({ dir, manifest }, releasing) {
  const problems = [];
  if (!existsSync(join(root, dir, 'dist'))) {
    return [`${dir}/dist is missing: build first (npx turbo run build)`];
  }
  const packed = run(npm, ['pack', '--dry-run', '--json', '--ignore-scripts', `--workspace=${manifest.name}`], { capture: true });
  if (packed.status !== 0) return [`npm pack failed:\n${packed.stderr}`];
  const [tarball] = JSON.parse(packed.stdout);
  const files = tarball.files.map((file) => file.path);

  console.log(`\n📦 ${tarball.name}@${tarball.version}  ${tarball.entryCount} files, ${formatSize(tarball.size)} packed, ${formatSize(tarball.unpackedSize)} unpacked`);
  for (const file of tarball.files) console.log(`   ${formatSize(file.size).padStart(9)}  ${file.path}`);

  for (const file of files) {
    if (!ALLOWED.some((pattern) => pattern.test(file))) problems.push(`ships ${file}, which is neither dist/ nor docs`);
  }
  for (const entry of entryFiles(manifest)) {
    if (entry !== 'package.json' && !files.includes(entry)) problems.push(`package.json points at ${entry}, which is not in the tarball`);
  }
  if (!files.includes('README.md')) problems.push('has no README.md');
  for (const field of ['dependencies', 'peerDependencies']) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      const sibling = releasing.get(name);
      if (sibling !== undefined && range !== sibling) problems.push(`${field}.${name} is ${range}, but ${name} is released as ${sibling}`);
    }
  }
  return problems;
}

const packages = publicPackages();
const releasing = new Map(packages.map(({ manifest }) => [manifest.name, manifest.version]));

console.log(dryRun ? '🔎 Release dry run: nothing is published.\n' : '🚀 Release\n');
console.log('Pending version bumps (changeset status; applied by `npx changeset version`):');
const status = run(npx, ['changeset', 'status', '--verbose']);
if (status.status !== 0) console.log('(changeset status reported a problem; see above)');

if (!dryRun) {
  console.log('\nBuilding every package…');
  if (run(npx, ['turbo', 'run', 'build']).status !== 0) process.exit(1);
}

console.log(`\nWhat npm would publish (${packages.length} public packages, current versions):`);
let failed = false;
for (const pkg of packages) {
  const problems = checkTarball(pkg, releasing);
  for (const problem of problems) console.error(`   ✗ ${pkg.manifest.name}: ${problem}`);
  failed ||= problems.length > 0;
}
if (failed) {
  console.error('\nThe tarballs above are not fit to publish; fix the problems listed.');
  process.exit(1);
}

if (dryRun) {
  console.log('\n✓ Every tarball ships only dist/ and docs. `npm run release` would run `changeset publish`,');
  console.log('  which publishes each package whose version is not on the registry yet and creates its git tag.');
  process.exit(0);
}

const publish = run(npx, ['changeset', 'publish', ...passThrough]);
process.exit(publish.status ?? 1);
