import { describe, expect, it } from 'vitest';
import { technestCustomerSchema } from '../../src/technest-api.js';
import { customerReport } from '../../src/map-customer-report.js';
import { mapTechnestStatus, parseTechnestStatus } from '../../src/map-technest-status.js';

const none = { verificationStarted: false };

describe('Technest status → normalized status', () => {
  it('maps the documented statuses', () => {
    expect(mapTechnestStatus('created', none)).toBe('created');
    expect(mapTechnestStatus('pending', none)).toBe('pending');
    expect(mapTechnestStatus('verified', none)).toBe('verified');
    expect(mapTechnestStatus('rejected', none)).toBe('rejected');
    expect(mapTechnestStatus(' Verified ', none)).toBe('verified');
    expect(parseTechnestStatus('in_review')).toBe('unknown');
  });

  it('maps unknown statuses to what the record proves, never to a decision it does not show', () => {
    expect(mapTechnestStatus('in_review', none)).toBe('created');
    expect(mapTechnestStatus('in_review', { verificationStarted: true })).toBe('pending');
    expect(mapTechnestStatus('on_hold', { verificationStarted: true, verifiedAt: '2026-05-05T12:00:00.000Z' })).toBe('verified');
    expect(mapTechnestStatus('closed', { verificationStarted: true, rejectedAt: '2026-05-05T12:00:00.000Z' })).toBe('rejected');
    expect(
      mapTechnestStatus('closed', { verificationStarted: true, verifiedAt: '2026-05-05T12:00:00.000Z', rejectedAt: '2026-05-06T12:00:00.000Z' }),
    ).toBe('rejected');
    expect(
      mapTechnestStatus('reinstated', { verificationStarted: true, verifiedAt: '2026-05-07T12:00:00.000Z', rejectedAt: '2026-05-06T12:00:00.000Z' }),
    ).toBe('verified');
  });
});

describe('customer object parsing', () => {
  it('needs only id and status; everything else is optional and unknown fields are dropped', () => {
    const customer = technestCustomerSchema().parse({ id: 'ckcust_1', status: 'created', surprise: true, files: null });
    expect(customer).toEqual({ id: 'ckcust_1', status: 'created', files: {} });
    expect(customerReport(customer)).toEqual({ providerCustomerId: 'ckcust_1', status: 'created', rawStatus: 'created' });
  });

  it('reads offsets, fractions and offset-less times as instants with an offset', () => {
    const customer = technestCustomerSchema().parse({
      id: 'ckcust_1',
      status: 'pending',
      created_at: '2026-05-05T14:34:56+02:00',
      kyc_submitted_at: '2026-05-05T12:40:00.123456',
      verified_at: 17,
    });
    expect(customer.created_at).toBe('2026-05-05T12:34:56.000Z');
    expect(customer.kyc_submitted_at).toBe('2026-05-05T12:40:00.123Z');
    expect(customer.verified_at).toBeUndefined();
    expect(customerReport(customer)).toMatchObject({ status: 'pending', occurredAt: '2026-05-05T12:40:00.123Z' });
  });

  it('reports the rejection with its mapped reason', () => {
    const customer = technestCustomerSchema().parse({
      id: 'ckcust_1',
      status: 'rejected',
      rejected_at: '2026-05-05T18:23:11Z',
      rejection_reason: 'ID document unreadable',
    });
    expect(customerReport(customer)).toEqual({
      providerCustomerId: 'ckcust_1',
      status: 'rejected',
      rawStatus: 'rejected',
      occurredAt: '2026-05-05T18:23:11.000Z',
      rejection: { code: 'document_unreadable', message: expect.any(String), providerReason: 'ID document unreadable', retryable: true },
    });
  });
});
