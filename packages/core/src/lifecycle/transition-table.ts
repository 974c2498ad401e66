import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition, EventFromLogic } from 'xstate';
import { CUSTOMER_STATUSES, type CustomerStatus } from '../models/customer-status.js';
import { lifecycleMachine, type LifecycleEventType } from './lifecycle-machine.js';

/** One legal move of the lifecycle: in `from`, event `event` leads to `to`. */
export interface LifecycleEdge<E extends string = string> {
  readonly from: CustomerStatus;
  readonly event: E;
  readonly to: CustomerStatus;
}

/**
 * The lifecycle machine flattened into plain lookups. Same answers as XState's
 * `transition()` for every (status, event) pair (proved by test), at the cost of
 * two map lookups instead of a macrostep (~25 µs).
 */
export interface TransitionTable<E extends string = string> {
  /** The machine's states, in config order (exactly the `CUSTOMER_STATUSES`). */
  readonly statuses: readonly CustomerStatus[];
  /** Every event type accepted from at least one status, in first-seen order. */
  readonly events: readonly E[];
  readonly initial: CustomerStatus;
  /** Statuses declared `type: 'final'`: nothing leaves them. */
  readonly finalStatuses: ReadonlySet<CustomerStatus>;
  /** Every edge, in config order. */
  readonly edges: readonly LifecycleEdge<E>[];
  /** status × event → next status (only accepted pairs are present). */
  readonly lookup: ReadonlyMap<CustomerStatus, ReadonlyMap<E, CustomerStatus>>;
  /** The status graph: from → to → the event that makes that move. */
  readonly graph: ReadonlyMap<CustomerStatus, ReadonlyMap<CustomerStatus, E>>;
  /** The next status, or `undefined` when the machine does not accept `event` in `from`. */
  next(from: CustomerStatus, event: string): CustomerStatus | undefined;
}

/**
 * Derives the lookup table and the status graph from a machine's resolved state
 * nodes (i.e. from its config, after XState normalised the shorthands), so the
 * machine stays the single source of truth.
 *
 * Only what a flat table can represent faithfully is accepted: top-level atomic
 * or final states named after the `CUSTOMER_STATUSES`, each event with exactly one
 * unguarded, action-free transition to a sibling. Anything else (guards, nested
 * or parallel states, delayed/eventless transitions, wildcards, invocations,
 * actions) throws, so a future edit to the machine cannot silently diverge from
 * the table.
 */
export function compileTransitionTable<TMachine extends AnyStateMachine>(
  machine: TMachine,
): TransitionTable<EventFromLogic<TMachine>['type'] & string> {
  type E = EventFromLogic<TMachine>['type'] & string;
  const root: AnyStateNode = machine.root;
  assertNoBehaviour(root, 'the machine root');
  if (root.transitions.size > 0) fail('the machine root', 'has transitions (root-level `on`)');

  const statuses = Object.keys(root.states).map((key) => asStatus(key));
  assertCoversAllStatuses(statuses);

  const initialTarget = root.initial.target[0];
  if (root.initial.target.length !== 1 || initialTarget === undefined) {
    fail('the machine root', 'must have exactly one initial state');
  }
  const initial = asStatus(initialTarget.key);

  const finalStatuses = new Set<CustomerStatus>();
  const edges: LifecycleEdge<E>[] = [];
  const lookup = new Map<CustomerStatus, Map<E, CustomerStatus>>();
  const graph = new Map<CustomerStatus, Map<CustomerStatus, E>>();
  const events: E[] = [];

  for (const from of statuses) {
    const node = root.states[from] as AnyStateNode;
    assertFlatState(node, from);
    if (node.type === 'final') finalStatuses.add(from);

    const byEvent = new Map<E, CustomerStatus>();
    const byTarget = new Map<CustomerStatus, E>();
    for (const [eventType, definitions] of node.transitions) {
      const event = eventType as E;
      const to = singleTarget(root, from, eventType, definitions);
      edges.push({ from, event, to });
      byEvent.set(event, to);
      // Two events to the same target would make the graph's edge label ambiguous;
      // keep the first one (config order) so the choice is deterministic.
      if (!byTarget.has(to)) byTarget.set(to, event);
      if (!events.includes(event)) events.push(event);
    }
    if (node.type === 'final' && byEvent.size > 0) fail(`state "${from}"`, 'is final but has transitions');
    lookup.set(from, byEvent);
    graph.set(from, byTarget);
  }

  return Object.freeze({
    statuses: Object.freeze(statuses),
    events: Object.freeze(events),
    initial,
    finalStatuses,
    edges: Object.freeze(edges.map((edge) => Object.freeze(edge))),
    lookup,
    graph,
    next(from: CustomerStatus, event: string): CustomerStatus | undefined {
      return lookup.get(from)?.get(event as E);
    },
  });
}

/** The compiled table of the current lifecycle machine (compiled once, at load). */
export const lifecycleTransitionTable: TransitionTable<LifecycleEventType> =
  compileTransitionTable(lifecycleMachine);

// --- helpers ---------------------------------------------------------------

function asStatus(key: string): CustomerStatus {
  if (!(CUSTOMER_STATUSES as readonly string[]).includes(key)) {
    fail(`state "${key}"`, `is not a customer status (${CUSTOMER_STATUSES.join(', ')})`);
  }
  return key as CustomerStatus;
}

// A lifecycle table missing a status would make some persisted snapshots unusable.
function assertCoversAllStatuses(statuses: readonly CustomerStatus[]): void {
  const missing = CUSTOMER_STATUSES.filter((status) => !statuses.includes(status));
  if (missing.length > 0) fail('the machine', `has no state for ${missing.join(', ')}`);
}

function assertFlatState(node: AnyStateNode, name: string): void {
  const where = `state "${name}"`;
  if (node.type !== 'atomic' && node.type !== 'final') fail(where, `is ${node.type}; only atomic and final states are supported`);
  assertNoBehaviour(node, where);
}

// Behaviour the table cannot reproduce: timers, eventless moves, actors, side effects.
function assertNoBehaviour(node: AnyStateNode, where: string): void {
  if (node.always !== undefined && node.always.length > 0) fail(where, 'has eventless (always) transitions');
  if (node.after.length > 0) fail(where, 'has delayed (after) transitions');
  if (node.invoke.length > 0) fail(where, 'invokes actors');
  if (node.entry.length > 0 || node.exit.length > 0) fail(where, 'has entry/exit actions');
}

function singleTarget(
  root: AnyStateNode,
  from: CustomerStatus,
  eventType: string,
  definitions: readonly AnyTransitionDefinition[],
): CustomerStatus {
  const where = `state "${from}", event "${eventType}"`;
  if (eventType.includes('*')) fail(where, 'wildcard events are not supported');
  if (eventType.startsWith('xstate.')) fail(where, 'built-in XState events are not supported');
  const definition = definitions[0];
  if (definitions.length !== 1 || definition === undefined) fail(where, 'must have exactly one transition');
  if (definition.guard !== undefined) fail(where, 'guarded transitions are not supported');
  if (definition.actions.length > 0) fail(where, 'transition actions are not supported');
  const target = definition.target?.[0];
  if (definition.target?.length !== 1 || target === undefined) fail(where, 'must have exactly one target');
  if (target.parent !== root) fail(where, 'must target a top-level state');
  return asStatus(target.key);
}

function fail(where: string, problem: string): never {
  throw new Error(`Cannot compile the lifecycle transition table: ${where} ${problem}.`);
}
