import { setup } from 'xstate';

/**
 * Version of the lifecycle graph below. Persisted lifecycle snapshots carry it so
 * that a later change to the graph can migrate them (see `migrateLifecycleSnapshot`).
 * Bump it whenever a state or an edge changes meaning.
 */
export const LIFECYCLE_MACHINE_VERSION = 1;

/**
 * One event per target status: the event names what the provider reported, the
 * config below says from where it is accepted. Events carry no payload; the
 * machine only decides whether a move is legal and where it lands.
 */
export type LifecycleEvent =
  | { type: 'submitted' } // → pending (first submit, resubmit after needs_info, retry after rejection)
  | { type: 'info_requested' } // → needs_info
  | { type: 'verified' } // → verified (identity approved)
  | { type: 'activated' } // → active (usable at the provider)
  | { type: 'rejected' } // → rejected
  | { type: 'deactivated' }; // → deactivated (final)

export type LifecycleEventType = LifecycleEvent['type'];

/**
 * The customer lifecycle (DESIGN.md, "The lifecycle"), the single source of truth
 * for which status moves are legal. Everything else (the hot-path lookup table,
 * the status graph, report application) is derived from this config.
 *
 * Deliberately flat and unguarded: no context, guards, actions, timers, delayed or
 * eventless transitions, so that it can be compiled into a plain table
 * (`compileTransitionTable` refuses anything richer).
 *
 * Within a state, edges are listed happy path first, then re-verification, then
 * rejection — only for readability; path choice does not depend on this order.
 */
export const lifecycleMachine = setup({
  types: {
    events: {} as LifecycleEvent,
  },
}).createMachine({
  id: 'customerLifecycle',
  initial: 'created',
  states: {
    created: {
      on: {
        submitted: 'pending',
        info_requested: 'needs_info',
        // The provider may refuse before any review (e.g. back-office rejection).
        rejected: 'rejected',
        // Closed or withdrawn at the provider at any point: never walk through approval to get there.
        deactivated: 'deactivated',
      },
    },
    pending: {
      on: {
        verified: 'verified',
        info_requested: 'needs_info',
        rejected: 'rejected',
        deactivated: 'deactivated', // withdrawn
      },
    },
    needs_info: {
      on: {
        submitted: 'pending', // resubmitted
        rejected: 'rejected',
        deactivated: 'deactivated', // withdrawn
      },
    },
    verified: {
      on: {
        activated: 'active',
        info_requested: 'needs_info', // re-verification
        rejected: 'rejected', // post-approval rejection (e.g. fraud found later)
        deactivated: 'deactivated', // closed before activation
      },
    },
    active: {
      on: {
        deactivated: 'deactivated',
        info_requested: 'needs_info', // re-verification
        rejected: 'rejected', // post-approval rejection
      },
    },
    rejected: {
      on: {
        submitted: 'pending', // retry
        deactivated: 'deactivated', // closed for good
      },
    },
    deactivated: {
      type: 'final',
    },
  },
});
