import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Customer } from '../../src/models/customer.js';
import { memoryReconcileLeases, type MemoryReconcileCandidates } from '../../src/store/memory-reconcile-leases.js';

/**
 * The memory claim sorts only when a scan finds customers out of due order, and serves later claims from its list: it must hand out exactly
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
          const candidates: MemoryReconcileCandidates<{ id: string; status: string; reconcileDueAt: string | undefined }> = {
            forEachInStatuses(statuses, visit) {
              rows.forEach((row, index) => {
                if (statuses.has(row.polled ? 'pending' : 'verified')) visit(ids[index]!, row.due);
              });
            },
            find: (id) => {
              const row = rows[Number(id.slice(4))]!;
              return { id, status: row.polled ? 'pending' : 'verified', reconcileDueAt: row.due };
            },
            decode: (row) => ({ id: row.id }) as Customer,
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

  it('hands out only customers eligible at the claim, never one still leased, and every eligible one before answering none, while customers change between claims', async () => {
    type Row = { due: string | undefined; polled: boolean; gone: boolean };
    const change = fc.oneof(
      fc.record({ kind: fc.constant('claim' as const), limit: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ kind: fc.constant('release' as const) }),
      fc.record({ kind: fc.constant('add' as const), due: fc.option(fc.constantFrom(...dueTimes), { nil: undefined }), polled: fc.boolean() }),
      fc.record({ kind: fc.constant('move' as const), index: fc.nat(), due: fc.option(fc.constantFrom(...dueTimes), { nil: undefined }), polled: fc.boolean() }),
      fc.record({ kind: fc.constant('remove' as const), index: fc.nat() }),
      fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 1_500 }) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ due: fc.option(fc.constantFrom(...dueTimes), { nil: undefined }), polled: fc.boolean(), gone: fc.constant(false) }), { maxLength: 30 }),
        fc.array(change, { maxLength: 40 }),
        fc.boolean(),
        async (initial, changes, all) => {
          const rows: Row[] = initial.map((row) => ({ ...row }));
          let clock = 1_000;
          const leaseMs = 60_000;
          const candidates: MemoryReconcileCandidates<{ id: string; status: string; reconcileDueAt: string | undefined }> = {
            forEachInStatuses(statuses, visit) {
              rows.forEach((row, index) => {
                if (!row.gone && statuses.has(row.polled ? 'pending' : 'verified')) visit(`cus_${index}`, row.due);
              });
            },
            find: (id) => {
              const row = rows[Number(id.slice(4))];
              return row === undefined || row.gone ? undefined : { id, status: row.polled ? 'pending' : 'verified', reconcileDueAt: row.due };
            },
            decode: (row) => ({ id: row.id }) as Customer,
          };
          const leases = memoryReconcileLeases(candidates, () => clock);
          const dueAt = dueTimes[1]!;
          const eligible = (index: number): boolean => {
            const row = rows[index]!;
            return !row.gone && row.polled && (all || row.due === undefined || row.due <= dueAt);
          };
          const held = new Set<string>();
          const claimAll = async (): Promise<void> => {
            for (let page = 0; page < 100; page++) {
              const claimed = await leases.claimDue({ statuses: ['pending'], dueAt, all, limit: 3, leaseMs });
              if (claimed.length === 0) return;
              for (const { id } of claimed) held.add(id);
            }
          };

          for (const step of changes) {
            if (step.kind === 'claim') {
              const claimed = await leases.claimDue({ statuses: ['pending'], dueAt, all, limit: step.limit, leaseMs });
              expect(claimed.length).toBeLessThanOrEqual(step.limit);
              for (const { id } of claimed) {
                expect(eligible(Number(id.slice(4)))).toBe(true);
                expect(held.has(id)).toBe(false);
                held.add(id);
              }
              if (claimed.length === 0) {
                rows.forEach((_, index) => {
                  if (eligible(index)) expect(held.has(`cus_${index}`)).toBe(true);
                });
              }
            } else if (step.kind === 'release') {
              await leases.releaseLeases([...held]);
              held.clear();
            } else if (step.kind === 'add') {
              rows.push({ due: step.due, polled: step.polled, gone: false });
            } else if (step.kind === 'move' && rows.length > 0) {
              const row = rows[step.index % rows.length]!;
              row.due = step.due;
              row.polled = step.polled;
            } else if (step.kind === 'remove' && rows.length > 0) {
              rows[step.index % rows.length]!.gone = true;
            } else if (step.kind === 'tick') {
              clock += step.ms;
            }
          }
          // Drained to the end, every customer eligible now was handed out (once) by this lease holder.
          await claimAll();
          rows.forEach((_, index) => {
            if (eligible(index)) expect(held.has(`cus_${index}`)).toBe(true);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
