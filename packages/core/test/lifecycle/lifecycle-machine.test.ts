import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { LIFECYCLE_MACHINE_VERSION, lifecycleMachine, type LifecycleEvent } from '../../src/lifecycle/lifecycle-machine.js';
import { CUSTOMER_STATUSES, FINAL_STATUSES, type CustomerStatus } from '../../src/models/customer-status.js';
import { EXPECTED_EDGES, isExpectedEdge } from './expected-lifecycle.js';

// The event that reports each target status (no event targets `created`).
const EVENT_FOR: Record<Exclude<CustomerStatus, 'created'>, LifecycleEvent> = {
  pending: { type: 'submitted' },
  needs_info: { type: 'info_requested' },
  verified: { type: 'verified' },
  active: { type: 'activated' },
  rejected: { type: 'rejected' },
  deactivated: { type: 'deactivated' },
};
const ALL_EVENTS = Object.values(EVENT_FOR);

const snapshotAt = (status: CustomerStatus) => lifecycleMachine.resolveState({ value: status });

describe('lifecycle machine', () => {
  it('is version 1 and starts in created', () => {
    expect(LIFECYCLE_MACHINE_VERSION).toBe(1);
    const [initial, actions] = initialTransition(lifecycleMachine);
    expect(initial.value).toBe('created');
    expect(actions).toEqual([]);
  });

  it('has exactly the customer statuses as states', () => {
    expect(Object.keys(lifecycleMachine.root.states).sort()).toEqual([...CUSTOMER_STATUSES].sort());
  });

  it.each(EXPECTED_EDGES)('accepts %s → %s with its event, purely (no actions)', (from, to) => {
    const event = EVENT_FOR[to as Exclude<CustomerStatus, 'created'>];
    const [next, actions] = transition(lifecycleMachine, snapshotAt(from), event);
    expect(next.value).toBe(to);
    expect(actions).toEqual([]);
  });

  it('accepts nothing else: every other (status, event) pair leaves the snapshot as it is', () => {
    for (const from of CUSTOMER_STATUSES) {
      for (const [to, event] of Object.entries(EVENT_FOR) as [CustomerStatus, LifecycleEvent][]) {
        if (isExpectedEdge(from, to)) continue;
        const before = snapshotAt(from);
        expect(before.can(event), `${from} + ${event.type}`).toBe(false);
        const [next] = transition(lifecycleMachine, before, event);
        expect(next).toBe(before);
      }
    }
  });

  it('deactivated is final, and the only final state', () => {
    for (const status of CUSTOMER_STATUSES) {
      const snapshot = snapshotAt(status);
      expect(snapshot.status === 'done', status).toBe(FINAL_STATUSES.has(status));
      if (status === 'deactivated') expect(ALL_EVENTS.some((e) => snapshot.can(e))).toBe(false);
    }
  });

  it('holds no timers, eventless transitions or actors', () => {
    for (const node of Object.values(lifecycleMachine.root.states)) {
      expect(node.after).toEqual([]);
      expect(node.always ?? []).toEqual([]);
      expect(node.invoke).toEqual([]);
    }
  });
});
