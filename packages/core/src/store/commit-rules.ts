import type { Customer } from '../models/customer.js';
import type { KycEvent } from '../models/events.js';
import type { Rejection } from '../models/requirement.js';
import type { CommitResult, StoreCommit } from './customer-store.js';

/*
 * The `CustomerStore` contract's rules, shared by every store so that each
 * keeps only its storage: the memory store's maps, a SQL store's rows. A SQL
 * store enforces the same rules with its constraints (the version check in the
 * UPDATE's WHERE, unique keys for references and dedupe keys) and reports them
 * with the same reasons.
 */

/** What a store knows about the stored side of a commit, read inside the commit's atomic section. */
export interface StoredState {
  /** The stored version of the customer being written (0 when it does not exist yet). */
  readonly storedVersion: number;
  /** The customer id that owns `change.customer.reference`, if any. */
  readonly referenceOwner: string | undefined;
  /** Whether `change.dedupe` was already committed. */
  readonly alreadyProcessed: boolean;
}

/**
 * Whether a commit may be written, and if not why, checked in the contract's order: a processed delivery
 * first (`duplicate_delivery`: the caller answers "duplicate"), then the version (`version_conflict`: the
 * caller re-reads and re-applies), then the reference (`reference_taken`).
 *
 * Version rule: the stored version must be `expectedVersion` (0 for a new customer), and the new one
 * exactly one more.
 */
export function decideCommit(change: StoreCommit, stored: StoredState): CommitResult {
  if (change.dedupe !== undefined && stored.alreadyProcessed) return { ok: false, reason: 'duplicate_delivery' };
  const next = change.customer;
  if (next === undefined) return OK;
  const expected = change.expectedVersion ?? 0;
  if (stored.storedVersion !== expected || next.version !== expected + 1) return { ok: false, reason: 'version_conflict' };
  if (stored.referenceOwner !== undefined && stored.referenceOwner !== next.id) return { ok: false, reason: 'reference_taken' };
  return OK;
}

/** Every provider record a customer can be found by: the current one and every earlier attempt's. */
export function providerRecordIds(customer: Customer): readonly string[] {
  const ids = customer.attempts.map((attempt) => attempt.providerCustomerId);
  return ids.includes(customer.providerCustomerId) ? ids : [...ids, customer.providerCustomerId];
}

/**
 * The customer with its personal data erased (`CustomerStore.forget`): names and email empty, the
 * provider's free text gone, `forgottenAt` set, one version up. Ids, statuses and timestamps stay.
 */
export function forgetPersonalData(customer: Customer, forgottenAt: string): Customer {
  const forgotten: Customer = { ...customer, email: '', firstName: '', lastName: '', forgottenAt, version: customer.version + 1 };
  return customer.rejection === undefined ? forgotten : { ...forgotten, rejection: withoutProviderReason(customer.rejection) };
}

/** The event without the provider's free text (a rejection's `providerReason`). */
export function forgetEventFreeText(event: KycEvent): KycEvent {
  return event.type === 'customer.rejected' ? { ...event, rejection: withoutProviderReason(event.rejection) } : event;
}

function withoutProviderReason(rejection: Rejection): Rejection {
  const { providerReason: _erased, ...rest } = rejection;
  return rest;
}

const OK: CommitResult = Object.freeze({ ok: true });
