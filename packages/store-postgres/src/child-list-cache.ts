import type { Customer } from '@openkyc/core';

/** Customers whose child lists this process remembers (oldest forgotten first). */
const MAX_REMEMBERED = 10_000;

/**
 * How a commit writes one child list: not at all, by upserting its rows (no stored row falls outside the
 * new list), or by upserting and deleting the stored rows past it.
 */
export type ListWrite = false | 'upsert' | 'rewrite';

/** How a commit writes each of a customer's child tables. */
export interface ChildListWrites {
  readonly attempts: ListWrite;
  readonly requirements: ListWrite;
  readonly ignored: ListWrite;
}

const ALL: ChildListWrites = Object.freeze({ attempts: 'rewrite', requirements: 'rewrite', ignored: 'rewrite' });

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
  const remembered = new Map<
    string,
    { version: number; attempts: string; attemptNumbers: number[]; requirements: string; requirementCount: number; ignored: string; ignoredCount: number }
  >();
  return {
    /** The lists of `customer` as stored at its version. */
    remember(customer: Customer): void {
      remembered.delete(customer.id);
      remembered.set(customer.id, {
        version: customer.version,
        attempts: JSON.stringify(customer.attempts),
        attemptNumbers: customer.attempts.map((attempt) => attempt.number),
        requirements: JSON.stringify(customer.requirements),
        requirementCount: customer.requirements.length,
        ignored: JSON.stringify(customer.ignored),
        ignoredCount: customer.ignored.length,
      });
      if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
    },
    /**
     * How a commit of `next` on top of `expectedVersion` writes each child table. A list that only grew
     * or changed rows in place is upserted without the delete (one plan node and index scan fewer).
     */
    writesFor(next: Customer, expectedVersion: number): ChildListWrites {
      const stored = remembered.get(next.id);
      if (stored === undefined || stored.version !== expectedVersion) return ALL;
      const numbers = new Set(next.attempts.map((attempt) => attempt.number));
      return {
        attempts: stored.attempts === JSON.stringify(next.attempts) ? false : stored.attemptNumbers.every((number) => numbers.has(number)) ? 'upsert' : 'rewrite',
        requirements: stored.requirements === JSON.stringify(next.requirements) ? false : next.requirements.length >= stored.requirementCount ? 'upsert' : 'rewrite',
        ignored: stored.ignored === JSON.stringify(next.ignored) ? false : next.ignored.length >= stored.ignoredCount ? 'upsert' : 'rewrite',
      };
    },
  };
}
