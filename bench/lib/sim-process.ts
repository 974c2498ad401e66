import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The simulators, in a child process of their own (`../sim-server.ts`),
 * driven over IPC. `close()` asks it to exit and kills it if it does not.
 */
export interface SimProcess {
  call<T = unknown>(cmd: string, args?: unknown): Promise<T>;
  /** CPU µs the simulator process used since `mark` (and wall ms), for server utilisation. */
  cpu(): Promise<{ cpuMicros: number; wallMs: number }>;
  close(): Promise<void>;
  readonly pid: number | undefined;
}

export async function startSimProcess(): Promise<SimProcess> {
  const entry = fileURLToPath(new URL('../sim-server.ts', import.meta.url));
  // The parent runs under tsx; its execArgv carries tsx's loader, so the child can run TypeScript too.
  const child: ChildProcess = fork(entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: process.execArgv });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let exited = false;

  const ready = new Promise<void>((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`simulator process exited early (code ${code})`));
    child.once('exit', onExit);
    child.on('message', (message: { ready?: boolean; id?: number; ok?: boolean; result?: unknown; error?: string }) => {
      if (message.ready === true) {
        child.off('exit', onExit);
        resolve();
        return;
      }
      const waiter = message.id === undefined ? undefined : pending.get(message.id);
      if (waiter === undefined) return;
      pending.delete(message.id!);
      if (message.ok === true) waiter.resolve(message.result);
      else waiter.reject(new Error(`simulator process: ${message.error ?? 'failed'}`));
    });
  });
  child.on('exit', () => {
    exited = true;
    for (const waiter of pending.values()) waiter.reject(new Error('simulator process exited'));
    pending.clear();
  });
  await ready;

  const call = <T>(cmd: string, args?: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) {
        reject(new Error('simulator process has exited'));
        return;
      }
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, cmd, args });
    });

  return {
    pid: child.pid,
    call,
    cpu: () => call('cpu'),
    async close() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      call('exit').catch(() => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
