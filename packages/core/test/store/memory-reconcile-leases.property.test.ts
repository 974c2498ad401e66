import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Customer } from '../../src/models/customer.js';
import { memoryReconcileLeases, type MemoryReconcileCandidates } from '../../src/store/memory-reconcile-leases.js';

/**
 * The memory claim keeps a bounded window instead of sorting every due customer: it must hand out exactly
 * what a stable sort by due time (no due time first) followed by `limit` would, page after page.
 */
const dueTimes = ['2026-11-22T09:00:00.000Z', '2026-11-22T10:00:00.000Z', '2026-11-22T11:00:00.000Z', '2026-11-22T12:00:00.000Z'];

describe('memoryReconcileLeases claim order', () => {
  it('claims the longest-due unleased customers first, ties in insertion order, each once per lease', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ due: fc.option(fc.constantFrom(...dueTimes), { nil: undefined }), polled: fc.boolean() }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 9 }),
        fc.boolean(),
        async (rows, limit, all) => {
          const ids = rows.map((_, index) => `cus_${index}`);
          const candidates: MemoryReconcileCandidates = {
            forEachInStatuses(statuses, visit) {
              rows.forEach((row, index) => {
                if (statuses.has(row.polled ? 'pending' : 'verified')) visit(ids[index]!, row.due);
              });
            },
            read: (id) => ({ id }) as Customer,
          };
          const leases = memoryReconcileLeases(candidates, () => 1_000);
          const dueAt = dueTimes[1]!;
          const expected = rows
            .map((row, index) => ({ id: ids[index]!, row }))
            .filter(({ row }) => row.polled && (all || row.due === undefined || row.due <= dueAt))
            .sort((a, b) => ((a.row.due ?? '') < (b.row.due ?? '') ? -1 : (a.row.due ?? '') > (b.row.due ?? '') ? 1 : 0))
            .map(({ id }) => id);

          const claimedPages: string[][] = [];
          for (;;) {
            const page = await leases.claimDue({ statuses: ['pending'], dueAt, all, limit, leaseMs: 60_000 });
            if (page.length === 0) break;
            expect(page.length).toBeLessThanOrEqual(limit);
            claimedPages.push(page.map((customer) => customer.id));
          }
          expect(claimedPages.flat()).toEqual(expected);

          // Released, they can be claimed again, in the same order.
          await leases.releaseLeases(expected);
          const again = await leases.claimDue({ statuses: ['pending'], dueAt, all, limit: expected.length + 1, leaseMs: 60_000 });
          expect(again.map((customer) => customer.id)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
