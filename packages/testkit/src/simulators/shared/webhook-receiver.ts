import { startSimulatorServer, type SimulatorResponse } from './simulator-server.js';

/** A webhook as the receiving platform saw it: raw bytes first, parsed JSON as a convenience. */
export interface ReceivedWebhook {
  /** The request path. */
  readonly path: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Raw body — verify signatures over this, never over re-serialised JSON. */
  readonly rawBody: string;
  /** The body parsed as JSON (`undefined` when it is not JSON). */
  readonly json: unknown;
  /** When it arrived (wall clock). */
  readonly receivedAt: Date;
}

/** A throwaway webhook endpoint (see {@link startWebhookReceiver}). */
export interface WebhookReceiver {
  /** Point a simulator's `setWebhookTarget` here. */
  readonly url: string;
  /** Everything received so far, oldest first. */
  received(): ReceivedWebhook[];
  /** Forgets what was received. */
  clear(): void;
  /** Status answered to following deliveries (default 200) — e.g. 500 to make the provider see a failure. */
  respondWith(status: number): void;
  /** Resolves once `count` webhooks in total were received; rejects after `timeoutMs` (default 2 s). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * A tiny platform-side endpoint for tests that only need to see what a
 * simulator sends. Adapter tests normally mount their real handler instead.
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const waiters = new Set<() => void>();
  let status = 200;

  const server = await startSimulatorServer({
    name: 'webhook-receiver',
    handler: (request): SimulatorResponse => {
      const rawBody = request.body.toString('utf8');
      received.push({ path: request.path, headers: request.headers, rawBody, json: safeJson(rawBody), receivedAt: new Date() });
      for (const wake of [...waiters]) wake();
      return { status };
    },
  });

  return {
    url: server.url,
    received: () => [...received],
    clear() {
      received.length = 0;
    },
    respondWith(nextStatus) {
      status = nextStatus;
    },
    waitFor(count, timeoutMs = 2_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          if (received.length < count) return false;
          waiters.delete(wake);
          clearTimeout(timer);
          resolve([...received]);
          return true;
        };
        const wake = (): void => {
          check();
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`expected ${count} webhooks within ${timeoutMs} ms, got ${received.length}`));
        }, timeoutMs);
        waiters.add(wake);
        check();
      });
    },
    close: () => server.close(),
  };
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
