import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The Chromium binary the browser test drives: `CHROMIUM_PATH` when set, else the Debian `chromium` package's
 * binary (or another distribution's name for it) on PATH or at its usual place. `.ci/run` installs the package
 * when it is missing. Throws with what to do when there is none: the test never skips.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.CHROMIUM_PATH?.trim();
  if (explicit) {
    if (isExecutable(explicit)) return explicit;
    throw new Error(`CHROMIUM_PATH=${explicit} is not an executable file.`);
  }
  const names = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];
  const onPath = (env.PATH ?? '').split(delimiter).filter(Boolean).flatMap((dir) => names.map((name) => join(dir, name)));
  const known = ['/usr/bin/chromium', '/usr/lib/chromium/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];
  const found = [...onPath, ...known].find(isExecutable);
  if (found !== undefined) return found;
  throw new Error('No Chromium found: install it (`apt-get install -y chromium`; .ci/run does) or set CHROMIUM_PATH.');
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
