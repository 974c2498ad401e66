import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The account's API key. Exactly one key is valid at a time; `expire()` makes
 * it invalid without issuing another (every call then answers 401 until
 * `rotate()`), which is how a test drives a client's token-refresh callback.
 */
export interface PatchStyleApiKeyStore {
  /** The key currently issued (also after it expired). */
  current(): string;
  readonly expired: boolean;
  /** True when `authorization` is `Bearer <current key>` and the key has not expired. */
  authorizes(authorization: string | undefined): boolean;
  expire(): void;
  /** Issues `next` (default: a new random key), revoking the old one; returns it. */
  rotate(next?: string): string;
}

export function generatePatchStyleApiKey(): string {
  return `ps_test_${randomBytes(18).toString('base64url')}`;
}

export function createApiKeyStore(initial: string = generatePatchStyleApiKey()): PatchStyleApiKeyStore {
  let key = initial;
  let expired = false;

  return {
    current: () => key,
    get expired() {
      return expired;
    },
    authorizes(authorization) {
      if (expired || authorization === undefined) return false;
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim());
      if (!match?.[1]) return false;
      const given = Buffer.from(match[1], 'utf8');
      const expected = Buffer.from(key, 'utf8');
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
    expire() {
      expired = true;
    },
    rotate(next = generatePatchStyleApiKey()) {
      if (next.trim() === '' || /\s/.test(next)) throw new Error('rotateApiKey: the key must be a non-empty string without whitespace');
      key = next;
      expired = false;
      return key;
    },
  };
}
