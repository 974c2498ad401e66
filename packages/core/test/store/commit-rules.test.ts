import { describe, expect, it } from 'vitest';
import { decideCommit, providerRecordIds, type StoredState } from '../../src/store/commit-rules.js';
import type { Customer } from '../../src/models/customer.js';

const customer = (version: number, reference = 'ref-1'): Customer =>
  ({
    id: 'cus_1',
    reference,
    version,
    providerCustomerId: 'rec_2',
    attempts: [{ providerCustomerId: 'rec_1' }, { providerCustomerId: 'rec_2' }],
  }) as unknown as Customer;

const stored = (overrides: Partial<StoredState> = {}): StoredState => ({
  storedVersion: 0,
  referenceOwner: undefined,
  alreadyProcessed: false,
  ...overrides,
});

describe('decideCommit (the CustomerStore contract every store shares)', () => {
  it('accepts a new customer at version 1 over nothing, and the next version over the stored one', () => {
    expect(decideCommit({ customer: customer(1), expectedVersion: 0 }, stored())).toEqual({ ok: true });
    expect(decideCommit({ customer: customer(4), expectedVersion: 3 }, stored({ storedVersion: 3 }))).toEqual({ ok: true });
  });

  it('answers version_conflict when the stored version moved or the new one skips', () => {
    expect(decideCommit({ customer: customer(4), expectedVersion: 3 }, stored({ storedVersion: 4 }))).toEqual({
      ok: false,
      reason: 'version_conflict',
    });
    expect(decideCommit({ customer: customer(5), expectedVersion: 3 }, stored({ storedVersion: 3 }))).toMatchObject({
      reason: 'version_conflict',
    });
    expect(decideCommit({ customer: customer(1) }, stored({ storedVersion: 1 }))).toMatchObject({ reason: 'version_conflict' });
  });

  it('answers reference_taken only when another customer owns the reference', () => {
    expect(decideCommit({ customer: customer(1), expectedVersion: 0 }, stored({ referenceOwner: 'cus_other' }))).toEqual({
      ok: false,
      reason: 'reference_taken',
    });
    expect(decideCommit({ customer: customer(1), expectedVersion: 0 }, stored({ referenceOwner: 'cus_1' })).ok).toBe(true);
  });

  it('checks a processed delivery first: a duplicate is a duplicate whatever the version says', () => {
    const change = { customer: customer(9), expectedVersion: 1, dedupe: { provider: 'p', key: 'evt_1' } };
    expect(decideCommit(change, stored({ storedVersion: 7, alreadyProcessed: true }))).toEqual({ ok: false, reason: 'duplicate_delivery' });
    expect(decideCommit({ dedupe: { provider: 'p', key: 'evt_1' } }, stored())).toEqual({ ok: true });
  });
});

describe('providerRecordIds', () => {
  it('lists every attempt and the current record once', () => {
    expect(providerRecordIds(customer(1))).toEqual(['rec_1', 'rec_2']);
    expect(providerRecordIds({ ...customer(1), providerCustomerId: 'rec_3' })).toEqual(['rec_1', 'rec_2', 'rec_3']);
  });
});
