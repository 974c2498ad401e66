import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROFILE_DIR = fileURLToPath(new URL('../profiles/', import.meta.url));

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

/**
 * A CPU profile of this process around `work` (the same `.cpuprofile` format as
 * `node --cpu-prof`; open it in Chrome DevTools or speedscope). Returns the file
 * and prints the functions with the most self time.
 */
export async function profiled<T>(name: string, work: () => Promise<T>, log: (line: string) => void): Promise<T> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    session.disconnect();
    const file = join(PROFILE_DIR, `${name}.cpuprofile`);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(profile));
    log(`    profile: ${relative(process.cwd(), file)}`);
    log('      self time:');
    for (const line of topSelfTime(profile, 15)) log(`        ${line}`);
    log('      total time (callees included):');
    for (const line of topTotalTime(profile, 25)) log(`        ${line}`);
  }
}

/** The functions with the most self time, as printable lines. */
export function topSelfTime(profile: CpuProfile, count: number): string[] {
  const total = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0) || 1;
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const frame = node.callFrame;
    const where = frame.url === '' ? '' : ` ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    const key = `${frame.functionName || '(anonymous)'}${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + (node.hitCount ?? 0));
  }
  return [...byFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, hits]) => `${((hits / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
}

/** The functions with the most total time (self + callees; recursion counted once), as printable lines. */
export function topTotalTime(profile: CpuProfile, count: number, filter?: (key: string) => boolean): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const total = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0) || 1;
  const totals = new Map<string, number>();
  const keyOf = (node: ProfileNode): string => {
    const frame = node.callFrame;
    const where = frame.url === '' ? '' : ` ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    return `${frame.functionName || '(anonymous)'}${where}`;
  };
  // Iterative DFS from the root carrying the set of functions already on the stack.
  const root = profile.nodes[0];
  if (root === undefined) return [];
  const subtree = new Map<number, number>();
  const order: ProfileNode[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    order.push(node);
    for (const child of node.children ?? []) stack.push(byId.get(child)!);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    let sum = node.hitCount ?? 0;
    for (const child of node.children ?? []) sum += subtree.get(child) ?? 0;
    subtree.set(node.id, sum);
  }
  const walk: { node: ProfileNode; seen: Set<string> }[] = [{ node: root, seen: new Set() }];
  while (walk.length > 0) {
    const { node, seen } = walk.pop()!;
    const key = keyOf(node);
    let nextSeen = seen;
    if (!seen.has(key)) {
      totals.set(key, (totals.get(key) ?? 0) + (subtree.get(node.id) ?? 0));
      nextSeen = new Set(seen).add(key);
    }
    for (const child of node.children ?? []) walk.push({ node: byId.get(child)!, seen: nextSeen });
  }
  return [...totals.entries()]
    .filter(([key]) => (filter === undefined ? !key.startsWith('(root)') : filter(key)))
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, hits]) => `${((hits / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
}

function shortUrl(url: string): string {
  const marker = url.lastIndexOf('node_modules/');
  if (marker !== -1) return url.slice(marker + 'node_modules/'.length);
  const packages = url.indexOf('/packages/');
  if (packages !== -1) return url.slice(packages + 1);
  return url.replace(/^file:\/\//, '').replace(/^.*\/bench\//, 'bench/');
}

export async function writeProfile(name: string, profile: unknown): Promise<string> {
  const file = join(PROFILE_DIR, `${name}.cpuprofile`);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(profile));
  return file;
}
