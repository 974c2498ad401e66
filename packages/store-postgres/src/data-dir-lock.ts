import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigurationError } from '@openkyc/core';

/** The lock file `pgliteStore` keeps in its data directory while a process has it open. */
export const LOCK_FILE_NAME = 'openkyc.lock';

/** Data directories this process holds, so a second store in the same process is refused too. */
const heldHere = new Set<string>();

/**
 * Takes the data directory for this process, or throws `ConfigurationError`
 * when another live process (or another store in this one) has it: PGlite on
 * disk belongs to one process, two writers would corrupt it. The lock is a file
 * created exclusively, holding the owner's pid; a file left by a process that
 * no longer runs (killed, crashed) is taken over. Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const dir = resolve(dataDir);
  if (heldHere.has(dir)) {
    throw new ConfigurationError(
      `The PGlite data directory '${dir}' is already open in this process; share one pgliteStore, or close it first.`,
    );
  }
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE_NAME);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(path)) {
      heldHere.add(dir);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        heldHere.delete(dir);
        process.removeListener('exit', release);
        try {
          unlinkSync(path);
        } catch {
          // already gone: nothing to release
        }
      };
      process.on('exit', release);
      return release;
    }
    const owner = ownerOf(path);
    if (owner !== undefined && owner !== process.pid && isRunning(owner)) {
      throw new ConfigurationError(
        `The PGlite data directory '${dir}' is in use by process ${owner}; an embedded store belongs to one process. ` +
          'Stop that process, give this one its own dataDir, or use postgresStore to share one database between processes.',
      );
    }
    // Left by a process that is gone: take it over.
    try {
      unlinkSync(path);
    } catch {
      // another process removed it first; try again
    }
  }
  throw new ConfigurationError(`Could not lock the PGlite data directory '${dir}' (another process keeps taking it); try again.`);
}

/** Creates the lock file with our pid, complete when it appears (written aside, then linked into place). */
function tryCreate(path: string): boolean {
  const aside = `${path}.${process.pid}.${Date.now()}`;
  writeFileSync(aside, `${process.pid}\n`);
  try {
    linkSync(aside, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(aside);
  }
}

function ownerOf(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
