import { EVENT_TYPE_FOR_STATUS, lifecyclePath, type Customer, type CustomerStatus, type KycEvent, type KycEventType } from '@openkyc/core';
import { request } from 'undici';
import { expect } from 'vitest';
import type { ConformanceDelivery, ConformanceStatuses } from './conformance-driver.js';
import type { Harness, WebhookOutcome } from './conformance-harness.js';

/**
 * What the "status mapping" and "dedupe keys" groups share: walking a record
 * through the provider statuses a driver declares, the events each move must
 * cause, and posting deliveries to the harness's webhook endpoint.
 */

/** Clock moves between two provider changes: distinct whole seconds, far below any review delay. */
export const STEP_MS = 2_000;

/** How one walk went: the customer and every event type it must have, in order. */
export interface WalkRecord {
  readonly customer: Customer;
  readonly expected: readonly KycEventType[];
  /** The normalized status the walk ends in. */
  readonly status: CustomerStatus;
}

/** What a walk does besides moving the record: check the new record, and each move (poll it, settle its webhook…). */
export interface WalkHooks {
  /** Right after the customer was created, before anything is submitted. */
  afterCreate?(customer: Customer): Promise<void>;
  /** Right before each provider move (the clock has moved on already). */
  beforeMove?(): Promise<void>;
  /** After each provider move. */
  afterMove(step: MoveStep): Promise<void>;
}

/** One move of a walk, as `afterMove` sees it. */
export interface MoveStep {
  readonly customer: Customer;
  /** The normalized status before the move. */
  readonly from: CustomerStatus;
  /** The provider status the record was moved to. */
  readonly status: string;
  /** How many events the customer had right before the move. */
  readonly eventsBefore: number;
}

/**
 * Creates a customer, submits it where the walk starts after a submission,
 * then moves the provider record through the walk's statuses (the clock
 * advancing `STEP_MS` before each move), calling the hooks on the way.
 * Asserts the statuses openkyc reports at creation and after submission.
 */
export async function walkThrough<TSimulator>(
  h: Harness<TSimulator>,
  statuses: ConformanceStatuses,
  walk: readonly string[],
  hooks: WalkHooks,
  label = walkLabel(walk),
): Promise<WalkRecord> {
  const [start, ...moves] = walk;
  const created = await h.createCustomer();
  expect(created.status, `${label}: a new record (${statuses.created}) is ${normalized(statuses, statuses.created)}`).toBe(
    normalized(statuses, statuses.created),
  );
  await hooks.afterCreate?.(created);
  const expected: KycEventType[] = ['customer.created'];
  let current: CustomerStatus = created.status;
  if (start !== statuses.created) {
    const submitted = await h.kyc.submit(created.id, h.application());
    const target = normalized(statuses, start!);
    expect(submitted.status, `${label}: a complete submission leaves the record in ${start!}, which is ${target}`).toBe(target);
    expected.push(...eventsBetween(current, target));
    current = target;
  }
  for (const status of moves) {
    await h.driver.advanceClock(STEP_MS);
    await hooks.beforeMove?.();
    const eventsBefore = h.eventsOf(created.id).length;
    await statuses.moveTo(created.providerCustomerId, status);
    await hooks.afterMove({ customer: created, from: current, status, eventsBefore });
    const target = normalized(statuses, status);
    expected.push(...eventsBetween(current, target));
    current = target;
  }
  return { customer: created, expected, status: current };
}

/** The normalized status the contract gives a provider status; fails on a status the table lacks. */
export function normalized(statuses: ConformanceStatuses, providerStatus: string): CustomerStatus {
  const status = statuses.table[providerStatus];
  if (status === undefined) throw new Error(`the driver's walks name '${providerStatus}', which its status table does not list`);
  return status;
}

/**
 * The events a move from one normalized status to another causes, in order:
 * openkyc's lifecycle path (up the rank: the shortest rank-keeping path, so
 * `pending` → `active` passes `verified`; down: the one direct edge).
 */
export function eventsBetween(from: CustomerStatus, to: CustomerStatus): KycEventType[] {
  if (from === to) return [];
  const path = lifecyclePath(from, to);
  if (path === undefined) throw new Error(`the driver's walk moves ${from} → ${to}, which openkyc's lifecycle does not allow: fix the walk`);
  return path.map((step) => EVENT_TYPE_FOR_STATUS[step.to]);
}

/** Fails unless the walks visit every status of the table and each move is one the lifecycle allows. */
export function expectWalksCoverTable(statuses: ConformanceStatuses): void {
  const visited = new Set([statuses.created, ...statuses.walks.flat()]);
  expect(Object.keys(statuses.table).filter((status) => !visited.has(status)), "statuses of the table no walk visits").toEqual([]);
  for (const walk of statuses.walks) {
    const path = walk[0] === statuses.created ? walk : [statuses.created, ...walk];
    for (let i = 1; i < path.length; i++) eventsBetween(normalized(statuses, path[i - 1]!), normalized(statuses, path[i]!));
  }
}

/** The webhook shapes to run webhook checks in: the documented ones, or the provider's only shape. */
export function webhookShapes<TSimulator>(h: Harness<TSimulator>): readonly (string | undefined)[] {
  return h.driver.webhookShapes?.names ?? [undefined];
}

/** `a → b → c`, for assertion messages. */
export function walkLabel(walk: readonly string[], shape?: string): string {
  return `${shape === undefined ? '' : `[${shape} shape] `}${walk.join(' → ')}`;
}

export function typesOf(events: readonly KycEvent[]): KycEventType[] {
  return events.map((event) => event.type);
}

/** A customer's transitions form one chain (each starts where the previous ended) with unique event ids. */
export function expectEventChain(events: readonly KycEvent[], label: string): void {
  const transitions = events.filter((event) => event.type !== 'customer.review_overdue');
  for (let i = 1; i < transitions.length; i++) {
    expect(transitions[i]!.from, `${label}: event ${i} (${transitions[i]!.type}) starts where the previous ended`).toBe(transitions[i - 1]!.to);
  }
  expect(new Set(events.map((event) => event.id)).size, `${label}: event ids are unique`).toBe(events.length);
}

/** POSTs a delivery to the harness's webhook endpoint and returns what the endpoint recorded for it. */
export async function deliver<TSimulator>(h: Harness<TSimulator>, delivery: ConformanceDelivery): Promise<WebhookOutcome> {
  const seen = h.webhookOutcomes.length;
  const response = await request(h.webhookUrl!, {
    method: 'POST',
    headers: { ...delivery.headers, 'content-type': 'application/json' },
    body: delivery.body,
  });
  await response.body.dump();
  const outcome = h.webhookOutcomes[seen];
  if (outcome === undefined) throw new Error('the webhook endpoint recorded no outcome for the delivery');
  return outcome;
}
