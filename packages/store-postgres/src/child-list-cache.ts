import type { Customer } from '@openkyc/core';

/** Customers whose child lists this process remembers (oldest forgotten first). */
const MAX_REMEMBERED = 10_000;

/** Which of a customer's child tables a commit must rewrite. */
export interface ChildListWrites {
  readonly attempts: boolean;
  readonly requirements: boolean;
  readonly ignored: boolean;
}

const ALL: ChildListWrites = Object.freeze({ attempts: true, requirements: true, ignored: true });

/**
 * What this process last read or wrote of each customer's child lists
 * (attempts, requirements, ignored reports), by version. Child rows change only
 * together with the customer's version (a commit, an erasure), so the lists
 * stored at version V never change; a commit from V therefore rewrites only the
 * lists that differ from what was read at V. Without an entry for exactly V (not
 * read here, another instance wrote since, or evicted) it rewrites them all. A
 * commit that loses the version check writes nothing at all, so a wrong skip
 * cannot happen. Lists are kept as JSON text: callers may mutate what they got.
 */
export function childListCache() {
  const remembered = new Map<string, { version: number; attempts: string; requirements: string; ignored: string }>();
  return {
    /** The lists of `customer` as stored at its version. */
    remember(customer: Customer): void {
      remembered.delete(customer.id);
      remembered.set(customer.id, {
        version: customer.version,
        attempts: JSON.stringify(customer.attempts),
        requirements: JSON.stringify(customer.requirements),
        ignored: JSON.stringify(customer.ignored),
      });
      if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
    },
    /** The child tables a commit of `next` on top of `expectedVersion` must rewrite. */
    writesFor(next: Customer, expectedVersion: number): ChildListWrites {
      const stored = remembered.get(next.id);
      if (stored === undefined || stored.version !== expectedVersion) return ALL;
      return {
        attempts: stored.attempts !== JSON.stringify(next.attempts),
        requirements: stored.requirements !== JSON.stringify(next.requirements),
        ignored: stored.ignored !== JSON.stringify(next.ignored),
      };
    },
  };
}
