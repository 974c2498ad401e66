import { describe, expect, it } from 'vitest';
import { calendarDateIn, fineractDateOf, fineractDateToIso, formatFineractDate } from '../src/fineract-dates.js';
import { FINERACT_CODES, fineractCodes, mapFineractError, parseFineractEnvelope } from '../src/fineract-errors.js';
import { resolveIdentifierTypes } from '../src/identifier-types.js';
import { clientReport, mapClientStatus } from '../src/map-client-status.js';
import { mapRejection } from '../src/map-rejection.js';
import { mapVerifyViolations } from '../src/map-verify-violations.js';

describe('fineract dates', () => {
  it('formats ISO dates as dd MMMM yyyy', () => {
    expect(formatFineractDate('1990-05-15')).toBe('15 May 1990');
    expect(formatFineractDate('2024-02-29')).toBe('29 February 2024');
    expect(formatFineractDate('0999-01-01')).toBe('01 January 0999');
  });

  it('refuses what is not a real date, without echoing it', () => {
    expect(() => formatFineractDate('2023-02-29')).toThrow(RangeError);
    expect(() => formatFineractDate('15/05/1990')).toThrow(/^formatFineractDate expects/);
  });

  it('takes "today" in the tenant time zone', () => {
    const instant = new Date('2026-11-22T02:30:00Z');
    expect(fineractDateOf(instant, 'UTC')).toBe('22 November 2026');
    expect(fineractDateOf(instant, 'America/New_York')).toBe('21 November 2026');
    expect(calendarDateIn(new Date('2026-11-21T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-11-22');
  });

  it('reads [y, m, d] arrays into ISO dates, tolerating garbage', () => {
    expect(fineractDateToIso([1990, 5, 15])).toBe('1990-05-15');
    expect(fineractDateToIso([2026, 2, 30])).toBeUndefined();
    expect(fineractDateToIso(null)).toBeUndefined();
    expect(fineractDateToIso('1990-05-15')).toBeUndefined();
    expect(fineractDateToIso([1990, 5])).toBeUndefined();
  });
});

describe('client status mapping', () => {
  it.each([
    [100, false, 'created'],
    [100, true, 'verified'],
    [300, false, 'active'],
    [300, true, 'active'],
    [700, true, 'rejected'],
    [600, true, 'deactivated'],
    [800, false, 'deactivated'],
  ] as const)('status %i (verified %s) → %s', (id, verified, status) => {
    expect(mapClientStatus(id, verified)).toEqual({ kind: 'known', status });
  });

  it('an unknown status id is unknown, not guessed', () => {
    expect(mapClientStatus(303, false)).toEqual({ kind: 'unknown' });
    expect(mapClientStatus(0, true)).toEqual({ kind: 'unknown' });
  });

  it('reads the Verified sub-status case-insensitively and keeps the raw words', () => {
    const report = clientReport('cc', '42', {
      id: 42,
      status: { id: 100, value: 'Pending' },
      subStatus: { id: 27, name: 'VERIFIED' },
      kycVerificationType: 'PARTIAL',
    });
    expect(report).toEqual({ providerCustomerId: '42', status: 'verified', rawStatus: 'Pending/VERIFIED', verificationLevel: 'PARTIAL' });
  });

  it('a rejected client carries a rejection without an occurredAt', () => {
    const report = clientReport('cc', '42', {
      id: 42,
      status: { id: 700, value: 'Rejected' },
      rejectionReason: { id: 72, name: 'Document unreadable' },
      timeline: { rejectedOnDate: '2026-11-22' },
    });
    expect(report).toEqual({
      providerCustomerId: '42',
      status: 'rejected',
      rawStatus: 'Rejected',
      rejection: { code: 'document_unreadable', message: expect.any(String), providerReason: 'Document unreadable', retryable: true },
    });
  });
});

describe('rejection reasons', () => {
  it.each([
    ['Suspected fraud', 'fraud_suspected', false],
    ['Forged document', 'fraud_suspected', false],
    ['Sanctions list match', 'sanctions', false],
    ['Duplicate client', 'duplicate', false],
    ['Applicant is a minor', 'underage', false],
    ['Document expired', 'document_expired', true],
    ['Document unreadable', 'document_unreadable', true],
    ['Details do not match', 'data_mismatch', true],
    ['Identity could not be verified', 'other', true],
    ['Something nobody planned', 'other', true],
  ] as const)('%s → %s', (name, code, retryable) => {
    expect(mapRejection(name)).toMatchObject({ code, retryable, providerReason: name });
  });

  it('without a reason: other, no providerReason', () => {
    expect(mapRejection(undefined)).toEqual({ code: 'other', message: expect.any(String), retryable: true });
  });
});

describe('verify violations', () => {
  const envelope = (...codes: string[]) =>
    parseFineractEnvelope({
      httpStatusCode: '403',
      userMessageGlobalisationCode: 'validation.msg.domain.rule.violation',
      errors: codes.map((code) => ({ userMessageGlobalisationCode: code, parameterName: 'x', value: null, args: [] })),
    });

  it('one requirement per rule, repeats dropped', () => {
    const result = mapVerifyViolations(
      envelope('error.msg.client.verify.email.unverified', 'error.msg.client.verify.email.unverified', 'error.msg.client.verify.primary.address.missing'),
    );
    expect(result).toEqual({
      kind: 'needs_info',
      requirements: [
        expect.objectContaining({ kind: 'contact_verification', name: 'email' }),
        expect.objectContaining({ kind: 'field', name: 'address' }),
      ],
    });
  });

  it('invalid state is a state problem, not a requirement, even among rule violations', () => {
    expect(mapVerifyViolations(envelope('error.msg.client.verify.email.unverified', 'error.msg.client.verify.invalid.state'))).toEqual({
      kind: 'invalid_state',
    });
  });

  it('a verify rule added later still becomes a (generic) requirement', () => {
    expect(mapVerifyViolations(envelope('error.msg.client.verify.tax.residency.missing'))).toEqual({
      kind: 'needs_info',
      requirements: [{ kind: 'field', name: 'application', message: expect.any(String), providerCode: 'error.msg.client.verify.tax.residency.missing' }],
    });
  });

  it('a 403 naming no verify rule is something else', () => {
    expect(mapVerifyViolations(envelope('error.msg.office.closed'))).toEqual({ kind: 'other' });
  });
});

describe('error envelope', () => {
  it('the specific code wins over the umbrella code; further documented codes go to the message; texts are never used', () => {
    const info = mapFineractError({
      status: 403,
      headers: {},
      body: Buffer.from(''),
      json: {
        developerMessage: 'secret 900-70-4242',
        httpStatusCode: '403',
        userMessageGlobalisationCode: 'validation.msg.domain.rule.violation',
        errors: [
          { userMessageGlobalisationCode: 'error.msg.client.verify.email.unverified', defaultUserMessage: 'secret 900-70-4242' },
          { userMessageGlobalisationCode: 'error.msg.made.up' },
          { userMessageGlobalisationCode: 'validation.msg.client.PZ8K4Q7M3.invalid' },
          { userMessageGlobalisationCode: 'error.msg.client.verify.mobile.unverified' },
        ],
      },
    });
    // The first code goes to the toolkit, which vets it; the others are listed only when documented.
    expect(info).toEqual({ providerCode: 'error.msg.client.verify.email.unverified', message: 'also error.msg.client.verify.mobile.unverified' });
  });

  it('FINERACT_CODES: the contract, the parameter family and later verify rules; no value-shaped segment', () => {
    for (const code of [
      'validation.msg.client.firstname.cannot.be.blank',
      'validation.msg.client.addressLine1.exceeds.max.length',
      'error.msg.client.verify.primary.address.missing',
      'error.msg.client.verify.selfie.missing',
      'error.msg.client.undoRejection.invalid.state',
      'error.msg.clientIdentifier.type.duplicate',
    ]) {
      expect(FINERACT_CODES.includes(code)).toBe(true);
    }
    for (const code of ['validation.msg.client.PZ8K4Q7M3.invalid', 'error.msg.client.1987.03.14', 'error.msg.made.up', 'error.msg.client.verify.pz8k4q7m3']) {
      expect(FINERACT_CODES.includes(code)).toBe(false);
    }
  });

  it('a specific top-level code (duplicates, not found) comes first', () => {
    const parsed = parseFineractEnvelope({
      httpStatusCode: 404,
      userMessageGlobalisationCode: 'error.msg.client.id.invalid',
      errors: [{ userMessageGlobalisationCode: 'error.msg.client.id.invalid' }],
    });
    expect(fineractCodes(parsed)).toEqual(['error.msg.client.id.invalid']);
  });

  it('tolerates bodies that are not envelopes, and drops codes that look like values', () => {
    expect(parseFineractEnvelope('oops')).toEqual({ code: undefined, errors: [] });
    expect(parseFineractEnvelope({ errors: [42, { userMessageGlobalisationCode: 'has spaces 900-70-4242' }] })).toEqual({
      code: undefined,
      errors: [{ code: undefined, parameterName: undefined }],
    });
  });
});

describe('identifier types by name', () => {
  it('matches the contract spelling and common variants, case- and punctuation-insensitively', () => {
    const types = resolveIdentifierTypes('cc', [
      { id: 7, name: "Driver's License" },
      { id: 8, name: 'PASSPORT' },
      { id: 9, name: 'Social Security Number' },
    ]);
    expect(types.idOf('Drivers License')).toBe(7);
    expect(types.idOf('Passport')).toBe(8);
    expect(types.idOf('SSN')).toBe(9);
    expect(types.nameOf(8)).toBe('Passport');
    expect(() => types.idOf('ITIN')).toThrow(/no identifier type named 'ITIN'/);
  });
});
