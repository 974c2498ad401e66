import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transition, type EventFromLogic, type SnapshotFrom } from 'xstate';
import { lifecycleMachine } from '../../src/lifecycle/lifecycle-machine.js';
import { lifecycleTransitionTable } from '../../src/lifecycle/transition-table.js';
import { CUSTOMER_STATUSES, type CustomerStatus } from '../../src/models/customer-status.js';

/*
 * The hot path (applyReport) answers from `lifecycleTransitionTable`; the machine
 * stays the source of truth. These properties drive both with the same inputs:
 * any snapshot the machine can be in (reached by walking random events from its
 * initial state, or resolved directly from any status) and any event (known,
 * unknown, or named like an Object.prototype key), and demand the same answer.
 */

type LifecycleSnapshotOfMachine = SnapshotFrom<typeof lifecycleMachine>;
type MachineEvent = EventFromLogic<typeof lifecycleMachine>;

const table = lifecycleTransitionTable;
const eventTypes = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...table.events) },
  { weight: 1, arbitrary: fc.constantFrom('unknown', 'toString', 'constructor', '__proto__', 'hasOwnProperty', 'xstate.init') },
  // XState itself throws on an event typed '*' (its wildcard), so the machine cannot be asked about it.
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }).filter((type) => type !== '*') },
);

/** What the machine does with one event: the next status, or undefined when it refuses (snapshot unchanged). */
function machineStep(before: LifecycleSnapshotOfMachine, type: string): { accepted: boolean; after: LifecycleSnapshotOfMachine } {
  const event = { type } as MachineEvent;
  const accepted = before.can(event);
  const [after] = transition(lifecycleMachine, before, event);
  return { accepted, after };
}

describe('lifecycleTransitionTable agrees with the XState machine (property)', () => {
  it('for every (snapshot, event) pair: same acceptance, same next status, refusal leaves the snapshot as it was', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CUSTOMER_STATUSES), eventTypes, (status, type) => {
        const before = lifecycleMachine.resolveState({ value: status });
        const { accepted, after } = machineStep(before, type);
        const next = table.next(status, type);
        expect(next !== undefined).toBe(accepted);
        if (accepted) expect(next).toBe(after.value);
        else expect(after).toBe(before);
        // The final flag agrees too: the machine is done exactly in the table's final statuses.
        expect(before.status === 'done').toBe(table.finalStatuses.has(status));
      }),
      { numRuns: 500 },
    );
  });

  it('along any walk of events from the initial state, table and machine stay in the same status', () => {
    fc.assert(
      fc.property(fc.array(eventTypes, { maxLength: 30 }), (types) => {
        let machineSnapshot = lifecycleMachine.resolveState({ value: lifecycleMachine.config.initial as string });
        let status: CustomerStatus = table.initial;
        expect(machineSnapshot.value).toBe(status);
        for (const type of types) {
          const { after } = machineStep(machineSnapshot, type);
          machineSnapshot = after;
          status = table.next(status, type) ?? status;
          expect(machineSnapshot.value).toBe(status);
        }
      }),
      { numRuns: 500 },
    );
  });
});
