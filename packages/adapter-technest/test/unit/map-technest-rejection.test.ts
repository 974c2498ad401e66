import { providerTextScrubber, REJECTION_CODES } from '@openkyc/core';
import { describe, expect, it } from 'vitest';
import { mapTechnestRejection, rejectionCodeFor } from '../../src/map-technest-rejection.js';

describe('rejection reasons → codes and friendly messages', () => {
  it.each([
    ['ID document unreadable', 'document_unreadable', true],
    ['id document UNREADABLE', 'document_unreadable', true],
    ['Image is blurry, please retake', 'document_unreadable', true],
    ['Document not legible', 'document_unreadable', true],
    ['Poor image quality (glare)', 'document_unreadable', true],
    ['Document expired', 'document_expired', true],
    ['Passport has expired on 2020-01-01', 'document_expired', true],
    ['National ID cards are not accepted', 'document_unsupported', true],
    ['Unsupported document type', 'document_unsupported', true],
    ['Name mismatch', 'data_mismatch', true],
    ['Date of birth does not match document', 'data_mismatch', true],
    ['Suspected fraud', 'fraud_suspected', false],
    ['Forged document detected', 'fraud_suspected', false],
    ['Document appears tampered', 'fraud_suspected', false],
    ['Falsified passport, also expired', 'fraud_suspected', false],
    ['Sanctions screening hit', 'sanctions', false],
    ['Match on OFAC watchlist', 'sanctions', false],
    ['Applicant is underage', 'underage', false],
    ['Customer under 18', 'underage', false],
    ['Duplicate customer', 'duplicate', false],
    ['Identity already registered with another account', 'duplicate', false],
    ['Rejected by compliance', 'other', true],
    ['', 'other', false],
  ] as const)('%j → %s (retryable %s)', (reason, code, retryable) => {
    const rejection = mapTechnestRejection(reason);
    expect(rejection.code).toBe(code);
    expect(rejection.retryable).toBe(retryable);
    expect(REJECTION_CODES).toContain(rejection.code);
  });

  it('keeps the provider wording only in providerReason; the message is end-user-safe and fixed per code', () => {
    const reasons = ['ID document unreadable', 'Suspected FRAUD ring #4471 – internal case 99', 'Sanctions hit: SDN list entry 12345'];
    for (const reason of reasons) {
      const rejection = mapTechnestRejection(reason);
      expect(rejection.providerReason).toBe(reason.replace(/\d{4,}/, '[redacted]'));
      expect(rejection.message).not.toContain(reason);
      expect(rejection.message).not.toMatch(/fraud|sanction|SDN|4471|12345/i);
      expect(rejection.message).toBe(mapTechnestRejection(rejection.code === 'other' ? 'zzz' : reason).message);
    }
  });

  it('providerReason is scrubbed of submitted values (it reaches events and logs), the code still read from the raw text', () => {
    const scrubber = providerTextScrubber({ application: { person: { firstName: 'Zelphine', dateOfBirth: '1987-03-14' }, documents: [{ number: 'PZ8K4Q7M3' }] } });
    const rejection = mapTechnestRejection('Name ZELPHINE and date of birth 14 March 1987 do not match document pz8k4q7m3', scrubber);
    expect(rejection.code).toBe('data_mismatch');
    expect(rejection.providerReason).toBe('Name [redacted] and date of birth [redacted] do not match document [redacted]');
  });

  it('no reason at all → other, not retryable (nothing says the end-user can fix it), without providerReason', () => {
    for (const missing of [null, undefined, '', '   ']) {
      expect(mapTechnestRejection(missing)).toEqual({ code: 'other', message: expect.stringMatching(/contact support/i), retryable: false });
    }
    expect(rejectionCodeFor('   ')).toBe('other');
  });

  it('"minor" as an adjective is not underage', () => {
    expect(rejectionCodeFor('Minor discrepancy in address')).toBe('data_mismatch');
    expect(rejectionCodeFor('Applicant is a minor')).toBe('underage');
  });
});
