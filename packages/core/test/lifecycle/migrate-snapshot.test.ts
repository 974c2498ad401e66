import { describe, expect, it } from 'vitest';
import { applyReport, initialLifecycleSnapshot } from '../../src/lifecycle/apply-report.js';
import { migrateLifecycleSnapshot } from '../../src/lifecycle/migrate-snapshot.js';

describe('migrateLifecycleSnapshot', () => {
  it('accepts a version 1 snapshot as is', () => {
    expect(migrateLifecycleSnapshot({ machineVersion: 1, status: 'verified', lastReportAt: '2024-05-01T10:00:00Z' })).toEqual({
      machineVersion: 1,
      status: 'verified',
      lastReportAt: '2024-05-01T10:00:00Z',
    });
    expect(migrateLifecycleSnapshot(initialLifecycleSnapshot())).toEqual(initialLifecycleSnapshot());
  });

  it('round-trips through JSON', () => {
    const persisted = JSON.parse(JSON.stringify({ machineVersion: 1, status: 'needs_info', lastReportAt: '2024-05-01T10:00:00.123+02:00' }));
    const snapshot = migrateLifecycleSnapshot(persisted);
    expect(applyReport(snapshot, { status: 'pending', occurredAt: '2024-05-01T09:00:00Z' }).outcome).toBe('applied');
  });

  it('reads a null lastReportAt as absent and drops unknown fields', () => {
    const snapshot = migrateLifecycleSnapshot({ machineVersion: 1, status: 'pending', lastReportAt: null, extra: true });
    expect(snapshot).toStrictEqual({ machineVersion: 1, status: 'pending' });
  });

  it.each([0, 2, 99, 1.5])('throws naming an unknown version: %s', (machineVersion) => {
    expect(() => migrateLifecycleSnapshot({ machineVersion, status: 'pending' })).toThrow(
      new RegExp(`machineVersion ${machineVersion}\\b`),
    );
  });

  it.each([null, undefined, 'v1', 42, {}, { machineVersion: '1', status: 'pending' }])(
    'throws when there is no numeric version: %j',
    (persisted) => {
      expect(() => migrateLifecycleSnapshot(persisted)).toThrow(/no numeric machineVersion/);
    },
  );

  it.each([
    { machineVersion: 1 },
    { machineVersion: 1, status: 'approved' },
    { machineVersion: 1, status: 'pending', lastReportAt: 'yesterday' },
    { machineVersion: 1, status: 'pending', lastReportAt: '2024-05-01T10:00:00' },
    { machineVersion: 1, status: 'pending', lastReportAt: 1714557600000 },
  ])('throws on a malformed version 1 snapshot: %j', (persisted) => {
    expect(() => migrateLifecycleSnapshot(persisted)).toThrow(/Invalid lifecycle snapshot \(machineVersion 1\)/);
  });
});
