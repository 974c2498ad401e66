import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from '@openkyc/core';
import { storedCustomer, storedEvent } from '@openkyc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { pgliteStore } from '../src/index.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('pgliteStore on a data directory', () => {
  it('keeps customers and events across close and reopen', async () => {
    const dataDir = freshDir();
    const first = pgliteStore({ dataDir });
    const customer = storedCustomer('1', { provider: 'p' });
    const event = storedEvent(customer, 1);
    expect(await first.commit({ customer, expectedVersion: 0, events: [event], dedupe: { provider: 'p', key: 'd1' } })).toEqual({ ok: true });
    await first.close();

    const second = pgliteStore({ dataDir });
    try {
      expect(await second.get('cus_1')).toEqual(customer);
      expect(await second.listEvents('cus_1')).toEqual([event]);
      expect(await second.hasProcessed('p', 'd1')).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('refuses a second store on the same directory in this process until the first is closed', async () => {
    const dataDir = freshDir();
    const first = pgliteStore({ dataDir });
    await first.migrate();
    expect(() => pgliteStore({ dataDir })).toThrow(ConfigurationError);
    expect(() => pgliteStore({ dataDir: `${dataDir}/.` })).toThrow(/already open in this process/);
    await first.close();
    const again = pgliteStore({ dataDir });
    await again.migrate();
    await again.close();
  });

  it('gives a second process a clear ConfigurationError at once, and lets it in after the first exits', async () => {
    const dataDir = freshDir();
    const holder = openInChild(dataDir);
    expect(await holder.result).toEqual({ opened: true });
    expect(readFileSync(join(dataDir, 'openkyc.lock'), 'utf8').trim()).toBe(String(holder.child.pid));

    const started = Date.now();
    const refused = openInChild(dataDir);
    const answer = await refused.result;
    expect(answer).toMatchObject({ opened: false, name: 'ConfigurationError', code: 'configuration_error' });
    expect(answer.message).toContain(`in use by process ${holder.child.pid}`);
    expect(answer.message).toContain('postgresStore');
    expect(Date.now() - started).toBeLessThan(30_000); // no waiting on the lock: the time is the child's start-up

    holder.child.stdin!.end();
    await new Promise((resolve) => holder.child.once('exit', resolve));
    const next = openInChild(dataDir);
    expect(await next.result).toEqual({ opened: true });
    next.child.stdin!.end();
  });

  it('takes over a lock left by a process that no longer runs (killed, crashed)', async () => {
    const dataDir = freshDir();
    const holder = openInChild(dataDir);
    expect(await holder.result).toEqual({ opened: true });
    holder.child.kill('SIGKILL');
    await new Promise((resolve) => holder.child.once('exit', resolve));
    // The lock file is still there, naming a dead process.
    expect(readFileSync(join(dataDir, 'openkyc.lock'), 'utf8').trim()).toBe(String(holder.child.pid));
    const store = pgliteStore({ dataDir });
    await store.migrate();
    expect(readFileSync(join(dataDir, 'openkyc.lock'), 'utf8').trim()).toBe(String(process.pid));
    await store.close();
  });

  it('treats an unreadable lock file naming no process as stale', async () => {
    const dataDir = freshDir();
    writeFileSync(join(dataDir, 'openkyc.lock'), 'garbage\n');
    const store = pgliteStore({ dataDir });
    await store.close();
  });

  it('refuses dataDir together with an open PGlite, and schema names that are not plain identifiers', () => {
    expect(() => pgliteStore({ dataDir: freshDir(), pglite: {} as never })).toThrow(/not both/);
    for (const schema of ['Openkyc', 'a-b', '1abc', 'x"; DROP SCHEMA public; --', '']) {
      expect(() => pgliteStore({ schema })).toThrow(ConfigurationError);
    }
  });
});

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'openkyc-datadir-'));
  dirs.push(dir);
  return dir;
}

const fixture = fileURLToPath(new URL('./fixtures/open-data-dir.ts', import.meta.url));

function openInChild(dataDir: string): { child: ChildProcess; result: Promise<{ opened: boolean; name?: string; code?: string; message: string }> } {
  // One process (node with tsx's loader), so its pid is the one the lock names.
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  const result = new Promise<{ opened: boolean; message: string }>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const line = output.split('\n')[0];
      if (output.includes('\n')) resolve(JSON.parse(line!));
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before answering: ${output}`)));
  });
  return { child, result };
}

