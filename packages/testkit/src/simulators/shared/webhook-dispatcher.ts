import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * Produces the provider-specific signature headers for a raw body at a given
 * time. Each simulator supplies its own (Technest: `Technest-Signature`).
 */
export type WebhookSigner = (rawBody: string, timestampSeconds: number) => Record<string, string>;

export type WebhookDeliveryState = 'queued' | 'delivered' | 'failed';

export interface WebhookAttempt {
  readonly at: Date;
  readonly status?: number;
  /** Network error / timeout message when no HTTP status came back. */
  readonly error?: string;
}

/** One webhook event as the simulator emitted it, with every delivery attempt. */
export interface WebhookDelivery {
  /** `whd_1`, `whd_2`, … — a dispatcher id, not part of the payload. */
  readonly id: string;
  /** The exact bytes POSTed (signatures are computed over this string). */
  readonly payload: string;
  /** Headers of the latest signing (they change when re-signed). */
  readonly headers: Readonly<Record<string, string>>;
  /** `queued` (never attempted), `delivered` (last attempt got a 2xx) or `failed`. */
  readonly state: WebhookDeliveryState;
  /** Status of the latest attempt, if it got an HTTP response. */
  readonly status?: number;
  /** The last attempt's network error, when it got no HTTP answer. */
  readonly error?: string;
  /** How many POSTs were made. */
  readonly attempts: number;
  /** Every attempt, oldest first. */
  readonly attemptLog: readonly WebhookAttempt[];
  /** When the simulator emitted it (simulator clock). */
  readonly createdAt: Date;
}

export type ReleaseOrder = 'fifo' | 'reverse' | 'shuffle';

/** How `release` sends held deliveries. */
export interface ReleaseOptions {
  /** Order in which held deliveries go out (default `'fifo'`). */
  readonly order?: ReleaseOrder;
  /** How many times each delivery is POSTed (default 1; 2 = every event arrives twice, back to back). */
  readonly duplicate?: number;
  /** Re-sign with the current clock before sending (default false: keep the signature from emission time, which may now be stale). */
  readonly resign?: boolean;
  /** Seed for `'shuffle'` so a failing test can be replayed (default 1). */
  readonly seed?: number;
}

export interface DeliverAgainOptions {
  /** How many extra POSTs (default 1). */
  readonly times?: number;
  readonly resign?: boolean;
}

/** Signed webhook delivery for a simulator, with holding, reordering and duplication on request. */
export interface WebhookDispatcher {
  /** Where deliveries go. Without a target, deliveries are only queued. */
  setWebhookTarget(url: string | undefined): void;
  /** The current webhook URL, if any. */
  readonly target: string | undefined;
  /**
   * Signs and sends a payload now (in order with earlier sends), or queues it
   * when held or no target is set. Resolves with the delivery once it was sent
   * or queued; never rejects.
   */
  dispatch(payload: string | object): Promise<WebhookDelivery>;
  /** From now on, queue deliveries instead of sending them. */
  hold(): void;
  /** Whether deliveries are being queued. */
  readonly held: boolean;
  /** Stops holding and sends every queued delivery. Needs a target; otherwise they stay queued. */
  release(options?: ReleaseOptions): Promise<WebhookDelivery[]>;
  /** POSTs an already-emitted delivery again (simulates provider retries / duplicates). */
  deliverAgain(deliveryId: string, options?: DeliverAgainOptions): Promise<WebhookDelivery>;
  /** Snapshots of every delivery so far, in emission order. */
  deliveries(): WebhookDelivery[];
  /** Deliveries never attempted yet (held or no target). */
  queued(): WebhookDelivery[];
  /** Resolves when every send started so far has finished. */
  settled(): Promise<void>;
  /** Forgets the delivery log. */
  clearDeliveries(): void;
  /** Aborts in-flight requests; later sends are recorded as failed without network I/O. */
  close(): void;
}

/** Options of `createWebhookDispatcher`. */
export interface CreateWebhookDispatcherOptions {
  /** Signs each raw body at a timestamp: the provider's signature headers. */
  readonly sign: WebhookSigner;
  /** Time source for the delivery log and, unless `signingNow` is given, for signatures (normally the simulator clock). */
  readonly now: () => Date;
  /**
   * Time source for signature timestamps only. Lets a simulator sign with wall-clock time while its own
   * clock has jumped hours ahead, for receivers that check freshness against the real time.
   */
  readonly signingNow?: () => Date;
  /** Per-attempt timeout (default 10 s, the provider's own limit). */
  readonly timeoutMs?: number;
  /** The `User-Agent` deliveries are sent with. */
  readonly userAgent?: string;
}

/**
 * A webhook dispatcher signing each delivery with `options.sign`. Deliveries are POSTed one after another, in
 * send order.
 */
export function createWebhookDispatcher(options: CreateWebhookDispatcherOptions): WebhookDispatcher {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deliveries: MutableDelivery[] = [];
  const inFlight = new Set<() => void>();
  let target: string | undefined;
  let held = false;
  let closed = false;
  let nextId = 1;
  // Every POST goes through this chain so the receiver sees deliveries in the order they were sent.
  let sendChain: Promise<void> = Promise.resolve();

  function signedHeaders(payload: string): Record<string, string> {
    const timestampSeconds = Math.floor((options.signingNow ?? options.now)().getTime() / 1000);
    return {
      'Content-Type': 'application/json',
      'User-Agent': options.userAgent ?? 'openkyc-testkit-simulator/1.0',
      ...options.sign(payload, timestampSeconds),
    };
  }

  function enqueueSend(delivery: MutableDelivery): Promise<void> {
    const run = sendChain.then(() => sendOnce(delivery));
    sendChain = run.catch(() => undefined);
    return run;
  }

  async function sendOnce(delivery: MutableDelivery): Promise<void> {
    const url = target;
    const at = options.now();
    if (closed || url === undefined) {
      recordAttempt(delivery, { at, error: closed ? 'dispatcher closed' : 'no webhook target set' });
      return;
    }
    const outcome = await postWebhook(url, delivery.payload, delivery.headers, timeoutMs, inFlight);
    recordAttempt(delivery, { at, ...outcome });
  }

  function find(deliveryId: string): MutableDelivery {
    const delivery = deliveries.find((candidate) => candidate.id === deliveryId);
    if (!delivery) throw new Error(`unknown webhook delivery ${deliveryId}`);
    return delivery;
  }

  return {
    setWebhookTarget(url) {
      target = url;
    },
    get target() {
      return target;
    },
    async dispatch(payload) {
      const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
      const delivery: MutableDelivery = {
        id: `whd_${nextId++}`,
        payload: raw,
        headers: signedHeaders(raw),
        state: 'queued',
        attempts: 0,
        attemptLog: [],
        createdAt: options.now(),
      };
      deliveries.push(delivery);
      if (!held && target !== undefined) await enqueueSend(delivery);
      return snapshot(delivery);
    },
    hold() {
      held = true;
    },
    get held() {
      return held;
    },
    async release(releaseOptions = {}) {
      held = false;
      const pending = deliveries.filter((delivery) => delivery.state === 'queued');
      if (target === undefined) return pending.map(snapshot);
      const copies = Math.max(1, Math.floor(releaseOptions.duplicate ?? 1));
      if (releaseOptions.resign) for (const delivery of pending) delivery.headers = signedHeaders(delivery.payload);
      const sends = orderSends(pending.flatMap((delivery) => Array.from({ length: copies }, () => delivery)), releaseOptions);
      await Promise.all(sends.map(enqueueSend));
      return pending.map(snapshot);
    },
    async deliverAgain(deliveryId, againOptions = {}) {
      const delivery = find(deliveryId);
      if (againOptions.resign) delivery.headers = signedHeaders(delivery.payload);
      const times = Math.max(1, Math.floor(againOptions.times ?? 1));
      await Promise.all(Array.from({ length: times }, () => enqueueSend(delivery)));
      return snapshot(delivery);
    },
    deliveries: () => deliveries.map(snapshot),
    queued: () => deliveries.filter((delivery) => delivery.state === 'queued').map(snapshot),
    settled: () => sendChain,
    clearDeliveries() {
      deliveries.length = 0;
    },
    close() {
      closed = true;
      for (const abort of inFlight) abort();
      inFlight.clear();
    },
  };
}

interface MutableDelivery {
  readonly id: string;
  readonly payload: string;
  headers: Record<string, string>;
  state: WebhookDeliveryState;
  status?: number;
  error?: string;
  attempts: number;
  attemptLog: WebhookAttempt[];
  readonly createdAt: Date;
}

function recordAttempt(delivery: MutableDelivery, attempt: WebhookAttempt): void {
  delivery.attempts += 1;
  delivery.attemptLog.push(attempt);
  delivery.status = attempt.status;
  delivery.error = attempt.error;
  delivery.state = attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300 ? 'delivered' : 'failed';
}

function snapshot(delivery: MutableDelivery): WebhookDelivery {
  return {
    id: delivery.id,
    payload: delivery.payload,
    headers: { ...delivery.headers },
    state: delivery.state,
    ...(delivery.status === undefined ? {} : { status: delivery.status }),
    ...(delivery.error === undefined ? {} : { error: delivery.error }),
    attempts: delivery.attempts,
    attemptLog: [...delivery.attemptLog],
    createdAt: delivery.createdAt,
  };
}

function orderSends<T>(items: T[], options: ReleaseOptions): T[] {
  switch (options.order ?? 'fifo') {
    case 'fifo':
      return items;
    case 'reverse':
      return [...items].reverse();
    case 'shuffle':
      return seededShuffle(items, options.seed ?? 1);
  }
}

/** Fisher–Yates with mulberry32: deterministic for a seed, good enough for test orderings. */
function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const result = [...items];
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let index = result.length - 1; index > 0; index--) {
    const swap = Math.floor(random() * (index + 1));
    [result[index], result[swap]] = [result[swap] as T, result[index] as T];
  }
  return result;
}

/**
 * One POST with `node:http(s)`, no keep-alive agent (nothing lingers after a
 * test), a hard timeout, and every failure turned into a recorded error.
 */
function postWebhook(
  url: string,
  payload: string,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
  inFlight: Set<() => void>,
): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: { status?: number; error?: string }): void => {
      if (settled) return;
      settled = true;
      inFlight.delete(abort);
      resolve(outcome);
    };
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      resolve({ error: `invalid webhook target ${url}` });
      return;
    }
    const body = Buffer.from(payload, 'utf8');
    const send = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(parsed, {
      method: 'POST',
      agent: false,
      headers: { ...headers, 'Content-Length': String(body.length), Connection: 'close' },
    });
    const abort = (): void => {
      req.destroy(new Error('aborted'));
    };
    inFlight.add(abort);
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('response', (res) => {
      res.resume(); // drain so the socket closes
      res.on('end', () => finish({ status: res.statusCode ?? 0 }));
      res.on('error', () => finish({ status: res.statusCode ?? 0 }));
    });
    req.on('error', (error) => finish({ error: error.message }));
    req.end(body);
  });
}
