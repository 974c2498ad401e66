import { createHash } from 'node:crypto';
import type { SimulatorResponse } from '../shared/simulator-server.js';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** One remembered create. */
export interface IdempotencyRecord {
  readonly key: string;
  readonly response: SimulatorResponse;
  /** SHA-256 of the first request body. */
  readonly bodyHash: string;
  readonly storedAtMs: number;
  /** Repeats answered from this record. */
  replays: number;
  /** Repeats whose body differed from the first (still answered with the first response). */
  mismatchedReplays: number;
}

/**
 * `Idempotency-Key` memory for `POST /api/v1/customers`, by the simulator clock.
 *
 * Only successful (2xx) creates are remembered: a refused create (400) made no
 * customer, so repeating it with a corrected body and the same key creates one.
 * A repeat within the TTL gets the first response byte for byte — also when its
 * body differs (decision: the key, not the body, identifies the operation, as
 * the contract says "returns the first response"); the mismatch is counted.
 */
export interface IdempotencyStore {
  lookup(key: string, body: Buffer, nowMs: number): IdempotencyRecord | undefined;
  remember(key: string, body: Buffer, response: SimulatorResponse, nowMs: number): void;
  records(): IdempotencyRecord[];
}

export function createIdempotencyStore(ttlMs: number = IDEMPOTENCY_TTL_MS): IdempotencyStore {
  const records = new Map<string, IdempotencyRecord>();

  return {
    lookup(key, body, nowMs) {
      const record = records.get(key);
      if (!record) return undefined;
      if (nowMs - record.storedAtMs >= ttlMs) {
        records.delete(key);
        return undefined;
      }
      record.replays += 1;
      if (hashBody(body) !== record.bodyHash) record.mismatchedReplays += 1;
      return record;
    },
    remember(key, body, response, nowMs) {
      if (response.status < 200 || response.status >= 300) return;
      records.set(key, { key, response, bodyHash: hashBody(body), storedAtMs: nowMs, replays: 0, mismatchedReplays: 0 });
    },
    records: () => [...records.values()].map((record) => ({ ...record })),
  };
}

function hashBody(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}
