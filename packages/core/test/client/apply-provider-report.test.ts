import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyProviderReport, normalizeOccurredAt } from '../../src/client/apply-provider-report.js';
import type { Customer } from '../../src/models/customer.js';
import { customerFixture } from '../support/customer-fixture.js';

const received = '2026-11-22T10:00:00.000Z';

describe('normalizeOccurredAt', () => {
  it('keeps zoned times as the same instant, in UTC', () => {
    expect(normalizeOccurredAt('2026-11-22T11:00:00+01:00', received)).toBe('2026-11-22T10:00:00.000Z');
  });

  it('reads a time without an offset as UTC, never as local time', () => {
    expect(normalizeOccurredAt('2026-11-22T09:30:00', received)).toBe('2026-11-22T09:30:00.000Z');
  });

  it('falls back to the receipt time for missing or garbage values', () => {
    expect(normalizeOccurredAt(undefined, received)).toBe(received);
    expect(normalizeOccurredAt('yesterday-ish', received)).toBe(received);
  });

  it('never throws and always yields a parseable ISO instant', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        expect(Number.isFinite(Date.parse(normalizeOccurredAt(value, received)))).toBe(true);
      }),
    );
  });
});

describe('applyProviderReport', () => {
  const customer: Customer = customerFixture('pending', received, {
    submissions: 1,
    lastReportAt: received,
    pendingSince: received,
    eventCount: 2,
    version: 3,
  });

  it('applies a provider time without offset instead of throwing', () => {
    const result = applyProviderReport(customer, { providerCustomerId: 'rec_1', status: 'verified', rawStatus: 'ok', occurredAt: '2026-11-22T10:05:00' }, 'webhook', new Date('2026-11-22T10:06:00Z'));
    expect(result.outcome).toBe('applied');
    expect(result.customer).toMatchObject({ status: 'verified', lastReportAt: '2026-11-22T10:05:00.000Z', version: 4, eventCount: 3 });
    expect(result.events).toEqual([expect.objectContaining({ id: 'evt_cus_1_3', type: 'customer.verified', from: 'pending', to: 'verified' })]);
  });

  it('clears requirements when leaving needs_info and the rejection on approval', () => {
    const waiting = { ...customer, status: 'needs_info' as const, requirements: [{ kind: 'field' as const, name: 'address', message: 'Add your address.' }], rejection: { code: 'other' as const, message: 'x', retryable: true } };
    const result = applyProviderReport(waiting, { providerCustomerId: 'rec_1', status: 'verified', rawStatus: 'ok' }, 'poll', new Date('2026-11-22T11:00:00Z'));
    expect(result.customer.requirements).toEqual([]);
    expect(result.customer.rejection).toBeUndefined();
    expect(result.events.map((e) => e.type)).toEqual(['customer.submitted', 'customer.verified']);
  });

  it("stamps every event a report causes with the provider's raw status, webhook or poll", () => {
    const waiting = { ...customer, status: 'needs_info' as const };
    for (const source of ['webhook', 'poll', 'api'] as const) {
      const result = applyProviderReport(waiting, { providerCustomerId: 'rec_1', status: 'active', rawStatus: 'ACCOUNT_OPEN' }, source, new Date('2026-11-22T11:00:00Z'));
      // One report walking three steps: each step's event names what the provider actually said.
      expect(result.events.map((e) => [e.to, e.providerStatus, e.source])).toEqual([
        ['pending', 'ACCOUNT_OPEN', source],
        ['verified', 'ACCOUNT_OPEN', source],
        ['active', 'ACCOUNT_OPEN', source],
      ]);
      expect(result.customer.rawStatus).toBe('ACCOUNT_OPEN');
    }
  });

  it('treats a created report for a customer past created as no news', () => {
    const result = applyProviderReport(customer, { providerCustomerId: 'rec_1', status: 'created', rawStatus: 'Pending' }, 'poll', new Date('2026-11-22T11:00:00Z'));
    expect(result).toMatchObject({ outcome: 'unchanged', events: [] });
    expect(result.customer).toMatchObject({ status: 'pending', rawStatus: 'Pending', ignored: [] });
  });

  it('walks straight to deactivated without inventing approval events', () => {
    const result = applyProviderReport(customer, { providerCustomerId: 'rec_1', status: 'deactivated', rawStatus: 'Withdrawn' }, 'poll', new Date('2026-11-22T11:00:00Z'));
    expect(result.events.map((e) => [e.type, e.from, e.to])).toEqual([['customer.deactivated', 'pending', 'deactivated']]);
  });

  it('walks through the provider\'s previous status when the report names one', () => {
    const result = applyProviderReport(customer, { providerCustomerId: 'rec_1', status: 'deactivated', rawStatus: 'DEACTIVATED', previousStatus: 'active' }, 'webhook', new Date('2026-11-22T11:00:00Z'));
    expect(result.events.map((e) => e.type)).toEqual(['customer.verified', 'customer.activated', 'customer.deactivated']);
  });

  it('treats a redelivered report naming a previous status as no change', () => {
    const verified = { ...customer, status: 'verified' as const };
    const result = applyProviderReport(verified, { providerCustomerId: 'rec_1', status: 'verified', rawStatus: 'ok', previousStatus: 'pending' }, 'webhook', new Date('2026-11-22T11:00:00Z'));
    expect(result).toMatchObject({ outcome: 'unchanged', events: [] });
  });

  it('ignores a previous status it cannot walk through and applies the report directly', () => {
    const result = applyProviderReport(customer, { providerCustomerId: 'rec_1', status: 'rejected', rawStatus: 'x', previousStatus: 'created' }, 'webhook', new Date('2026-11-22T11:00:00Z'));
    expect(result.events.map((e) => [e.from, e.to])).toEqual([['pending', 'rejected']]);
  });

  it('refuses a customer stored by an unknown lifecycle version instead of misreading it', () => {
    const future = { ...customer, machineVersion: 99 };
    expect(() => applyProviderReport(future, { providerCustomerId: 'rec_1', status: 'verified', rawStatus: 'ok' }, 'poll', new Date())).toThrow(
      /machineVersion 99/,
    );
  });

  it('records ignored reports, keeping only the last few', () => {
    let current = customer;
    for (let i = 0; i < 5; i++) {
      const result = applyProviderReport(current, { providerCustomerId: 'rec_1', status: 'needs_info', rawStatus: 'late', occurredAt: '2026-11-22T09:00:00Z' }, 'webhook', new Date('2026-11-22T11:00:00Z'));
      expect(result.outcome).toBe('ignored');
      current = result.customer;
    }
    expect(current.ignored).toHaveLength(3);
    expect(current.ignored.every((entry) => entry.reason === 'stale' && entry.rawStatus === 'late')).toBe(true);
    expect(current.status).toBe('pending');
  });
});

describe('applyProviderReport: the rejection a customer keeps', () => {
  const base: Customer = customerFixture('pending', received, {
    // An earlier attempt's rejection, retryable, still on the record while the retry is reviewed.
    rejection: { code: 'document_unreadable' as const, message: 'Retake the photo.', retryable: true },
    submissions: 2,
    eventCount: 4,
    version: 6,
  });

  it('a new rejection without a reason is the unknown, final one — never the earlier attempt\'s retryable one', () => {
    const result = applyProviderReport(base, { providerCustomerId: 'rec_1', status: 'rejected', rawStatus: 'rejected' }, 'webhook', new Date('2026-11-22T11:00:00Z'));
    expect(result.customer.rejection).toMatchObject({ code: 'other', retryable: false });
    expect(result.events[0]).toMatchObject({ type: 'customer.rejected', rejection: result.customer.rejection });
  });

  it('a later read with the reason replaces the unknown one', () => {
    const rejected = applyProviderReport(base, { providerCustomerId: 'rec_1', status: 'rejected', rawStatus: 'rejected' }, 'webhook', new Date('2026-11-22T11:00:00Z')).customer;
    const reason = { code: 'fraud_suspected' as const, message: 'Contact support.', retryable: false, providerReason: 'FRAUD_SUSPECTED' };
    const read = applyProviderReport(rejected, { providerCustomerId: 'rec_1', status: 'rejected', rawStatus: 'rejected', rejection: reason }, 'poll', new Date('2026-11-22T11:05:00Z'));
    expect(read).toMatchObject({ outcome: 'unchanged', events: [] });
    expect(read.customer.rejection).toEqual(reason);
  });
});
