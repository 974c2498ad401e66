import { describe, expect, it } from 'vitest';
import { createMachine, transition, type AnyStateMachine } from 'xstate';
import { lifecycleMachine } from '../../src/lifecycle/lifecycle-machine.js';
import { compileTransitionTable, lifecycleTransitionTable } from '../../src/lifecycle/transition-table.js';
import { CUSTOMER_STATUSES, FINAL_STATUSES, type CustomerStatus } from '../../src/models/customer-status.js';
import { EXPECTED_EDGES } from './expected-lifecycle.js';

const table = lifecycleTransitionTable;

describe('compileTransitionTable(lifecycleMachine)', () => {
  it('gives exactly what XState transition() gives, for every (status, event) pair', () => {
    // Every event the machine knows, plus names it does not (incl. Object.prototype keys).
    const events = [...table.events, 'unknown', 'toString', 'constructor', '__proto__'];
    expect(table.events.length).toBe(6);
    let accepted = 0;
    for (const status of CUSTOMER_STATUSES) {
      for (const type of events) {
        const before = lifecycleMachine.resolveState({ value: status });
        const event = { type } as Parameters<typeof transition<typeof lifecycleMachine>>[2];
        const [after] = transition(lifecycleMachine, before, event);
        const xstateAccepts = before.can(event);
        const label = `${status} + ${type}`;
        expect(table.next(status, type) !== undefined, label).toBe(xstateAccepts);
        if (xstateAccepts) {
          accepted += 1;
          expect(table.next(status, type), label).toBe(after.value);
        } else {
          expect(after, label).toBe(before);
        }
      }
    }
    expect(accepted).toBe(EXPECTED_EDGES.length);
  });

  it('derives the status graph the spec lists', () => {
    const graphEdges = [...table.graph].flatMap(([from, targets]) => [...targets.keys()].map((to) => `${from}→${to}`));
    expect(graphEdges.sort()).toEqual(EXPECTED_EDGES.map(([from, to]) => `${from}→${to}`).sort());
    expect(table.edges.map((e) => `${e.from}→${e.to}`).sort()).toEqual(graphEdges.sort());
    for (const edge of table.edges) expect(table.graph.get(edge.from)?.get(edge.to)).toBe(edge.event);
  });

  it('knows the initial and final statuses', () => {
    expect(table.initial).toBe('created');
    expect([...table.finalStatuses]).toEqual([...FINAL_STATUSES]);
    expect([...table.statuses].sort()).toEqual([...CUSTOMER_STATUSES].sort());
  });

  it('uses one event per target status', () => {
    const targetsByEvent = new Map<string, Set<CustomerStatus>>();
    for (const { event, to } of table.edges) targetsByEvent.set(event, (targetsByEvent.get(event) ?? new Set()).add(to));
    for (const [event, targets] of targetsByEvent) expect(targets.size, event).toBe(1);
  });

  it('is a fresh, equal table when compiled again (deterministic)', () => {
    const again = compileTransitionTable(lifecycleMachine);
    expect(again.edges).toEqual(table.edges);
    expect(again.events).toEqual(table.events);
  });
});

describe('compileTransitionTable refuses what a flat table cannot represent', () => {
  // A valid skeleton: every status present, created → pending.
  const states = (overrides: Record<string, object> = {}): Record<string, object> => ({
    ...Object.fromEntries(CUSTOMER_STATUSES.map((s) => [s, {}])),
    created: { on: { submitted: 'pending' } },
    deactivated: { type: 'final' },
    ...overrides,
  });
  const machineWith = (overrides: Record<string, object>): AnyStateMachine =>
    createMachine({ initial: 'created', states: states(overrides) } as never);

  it('accepts the valid skeleton', () => {
    expect(compileTransitionTable(machineWith({})).edges).toEqual([{ from: 'created', event: 'submitted', to: 'pending' }]);
  });

  it.each<[string, Record<string, object>, RegExp]>([
    ['a guard', { created: { on: { submitted: { target: 'pending', guard: () => true } } } }, /guarded/],
    ['two candidate transitions', { created: { on: { submitted: [{ target: 'pending', guard: () => false }, { target: 'rejected' }] } } }, /exactly one transition/],
    ['a delayed transition', { pending: { after: { 1000: 'rejected' } } }, /delayed/],
    ['an eventless transition', { pending: { always: 'verified' } }, /eventless/],
    ['a wildcard event', { pending: { on: { '*': 'rejected' } } }, /wildcard/],
    ['a nested state', { pending: { initial: 'a', states: { a: {} } } }, /compound/],
    ['a targetless transition', { pending: { on: { ping: { actions: () => undefined } } } }, /actions|target/],
    ['an entry action', { pending: { entry: () => undefined } }, /entry\/exit/],
    ['an unknown state name', { archived: {} }, /not a customer status/],
    ['transitions out of a final state', { deactivated: { type: 'final', on: { submitted: 'pending' } } }, /final but has transitions/],
  ])('%s', (_label, overrides, message) => {
    expect(() => compileTransitionTable(machineWith(overrides))).toThrow(message);
  });

  it('a missing status', () => {
    const { needs_info: _dropped, ...rest } = states();
    expect(() => compileTransitionTable(createMachine({ initial: 'created', states: rest } as never))).toThrow(
      /no state for needs_info/,
    );
  });

  it('root-level transitions', () => {
    const machine: AnyStateMachine = createMachine({ initial: 'created', on: { reset: '.created' }, states: states() } as never);
    expect(() => compileTransitionTable(machine)).toThrow(/root/);
  });
});
