/**
 * The simulator process of the benchmarks. Forked by `run-bench.ts` (see
 * `lib/sim-process.ts`) so that the servers never share an event loop (or a
 * core) with the code being measured; it talks over the IPC channel only and
 * exits when the channel closes.
 *
 * Requests (`{ id, cmd, args }`) and answers (`{ id, ok, result | error }`):
 * - `technest.start`   (re)starts a named Technest simulator: a fresh one, so every
 *                      round starts from the same server state; returns its URLs;
 * - `technest.stopAll` stops every Technest simulator;
 * - `technest.requests` the request logs grouped by `server METHOD /route`;
 * - `technest.clear`   clears the request logs (they keep every body: memory);
 * - `technest.count`   how many customers each simulator holds;
 * - `cpu`              this process's CPU time (µs), for server utilisation;
 * - `profile.start` / `profile.stop`  a CPU profile of this process (--profile);
 * - `exit`.
 */
import { Session } from 'node:inspector/promises';
import { writeFile } from 'node:fs/promises';
import { createTechnestSimulator, type TechnestSimulator, type TechnestSimulatorOptions } from '@openkyc/testkit';

interface Request {
  readonly id: number;
  readonly cmd: string;
  readonly args?: unknown;
}

/** Running Technest simulators by name (several = several Technest accounts). */
const technests = new Map<string, TechnestSimulator>();
let session: Session | undefined;

const handlers: Record<string, (args: any) => Promise<unknown> | unknown> = {
  async 'technest.start'(args: TechnestSimulatorOptions & { name?: string }) {
    const { name = 'default', ...options } = args;
    await technests.get(name)?.close();
    const technest = await createTechnestSimulator(options);
    technests.set(name, technest);
    return {
      url: technest.url,
      storageUrl: technest.storageUrl,
      clientId: technest.clientId,
      clientSecret: technest.clientSecret,
      webhookSecret: technest.webhookSecret,
    };
  },
  async 'technest.stopAll'() {
    await Promise.all([...technests.values()].map((sim) => sim.close()));
    technests.clear();
    return null;
  },
  /** Every running simulator's request log, grouped by route (summed over simulators). */
  'technest.requests'() {
    const counts: Record<string, number> = {};
    for (const request of [...technests.values()].flatMap((sim) => sim.requests())) {
      const key = `${request.server} ${request.method} ${routeOf(request.path)}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  },
  'technest.clear'() {
    for (const sim of technests.values()) sim.clearRequests();
    return null;
  },
  'technest.count'() {
    return Object.fromEntries([...technests].map(([name, sim]) => [name, sim.listCustomers().length]));
  },
  cpu() {
    const usage = process.cpuUsage();
    return { cpuMicros: usage.user + usage.system, wallMs: performance.now() };
  },
  async 'profile.start'() {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    return null;
  },
  async 'profile.stop'(args: { file: string }) {
    if (session === undefined) return null;
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    session = undefined;
    await writeFile(args.file, JSON.stringify(profile));
    return args.file;
  },
  async exit() {
    await closeAll();
    setImmediate(() => process.exit(0));
    return null;
  },
};

/** `/v1/customers/ckcust_…/files` → `/v1/customers/:id/files`, `/uploads/file_…` → `/uploads/:id`. */
function routeOf(path: string): string {
  return path.replace(/\/(ckcust|file)_[0-9a-f]+/g, '/:id');
}

process.on('message', (message: Request) => {
  void (async () => {
    try {
      const handler = handlers[message.cmd];
      if (handler === undefined) throw new Error(`unknown command ${message.cmd}`);
      const result = await handler(message.args);
      process.send?.({ id: message.id, ok: true, result });
    } catch (error) {
      process.send?.({ id: message.id, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) });
    }
  })();
});
// The parent went away (crash, Ctrl-C): never outlive it.
process.on('disconnect', () => {
  void closeAll().finally(() => process.exit(0));
});

async function closeAll(): Promise<void> {
  await Promise.all([...technests.values()].map((sim) => sim.close()));
  technests.clear();
}
process.send?.({ ready: true });
