import { ProviderError, ValidationError, providerTextScrubber } from '@openkyc/core';
import { describe, expect, it } from 'vitest';
import { mapPatchRefusal, applicationPathFor } from '../src/map-patch-refusal.js';
import { mapPatchStyleStatus, PATCH_STYLE_STATUSES } from '../src/map-patch-style-status.js';
import { mapRejection } from '../src/map-rejection.js';
import { mapRequirements } from '../src/map-requirements.js';
import { CANARY } from './support/application.js';

describe('status mapping', () => {
  it('maps every documented status', () => {
    expect(PATCH_STYLE_STATUSES.map((status) => mapPatchStyleStatus(status).status)).toEqual([
      'created',
      'pending',
      'needs_info',
      'active',
      'rejected',
      'deactivated',
    ]);
    expect(PATCH_STYLE_STATUSES.every((status) => mapPatchStyleStatus(status).known)).toBe(true);
  });

  it('tolerates case and whitespace, and maps unknown strings to the safe fallback', () => {
    expect(mapPatchStyleStatus(' active ')).toEqual({ known: true, status: 'active' });
    expect(mapPatchStyleStatus('ON_HOLD')).toEqual({ known: false, status: 'pending' });
    expect(mapPatchStyleStatus('')).toEqual({ known: false, status: 'pending' });
  });
});

describe('requirements', () => {
  it('names documents and fields provider-neutrally with end-user messages', () => {
    expect(mapRequirements({ requiredDocuments: ['PROOF_OF_ADDRESS', 'DRIVERS_LICENSE'], requiredFields: ['address', 'documents'] })).toEqual([
      {
        kind: 'document',
        name: 'proof_of_address',
        message: 'Upload a recent proof of address (utility bill, bank statement or lease)',
        providerCode: 'PROOF_OF_ADDRESS',
      },
      {
        kind: 'document',
        name: 'drivers_license',
        message: "Upload clear photos of the front and back of your driver's license",
        providerCode: 'DRIVERS_LICENSE',
      },
      { kind: 'field', name: 'address', message: 'Enter your full residential address', providerCode: 'address' },
      {
        kind: 'document',
        name: 'identity_document',
        message: "Upload a government-issued photo ID (passport, driver's license, national ID card, residence permit or state ID)",
        providerCode: 'documents',
      },
    ]);
  });

  it('maps fields to application paths, merges duplicates, keeps unknown codes', () => {
    const requirements = mapRequirements({
      requiredDocuments: ['UTILITY_BILL', 'BANK_STATEMENT', 'PASSPORT', 'SELFIE_WITH_ID'],
      requiredFields: ['phoneNumber', 'address.stateCode', 'nationalIdNumber', 'nationalIdType', 'mostRecentOccupation', 'taxResidency'],
    });
    expect(requirements.map((r) => `${r.kind}:${r.name}`)).toEqual([
      'document:proof_of_address',
      'document:passport',
      'document:selfie_with_id',
      'field:person.phone',
      'field:address.stateCode',
      'field:identifiers',
      'field:profile.occupation',
      'field:tax_residency',
    ]);
    expect(requirements.find((r) => r.name === 'selfie_with_id')?.message).toBe(
      'Upload the additional document requested to complete your verification',
    );
    for (const requirement of requirements) expect(requirement.message).not.toMatch(/[A-Z]{3,}_|kycData/);
  });

  it('is empty for nothing named', () => {
    expect(mapRequirements({})).toEqual([]);
    expect(mapRequirements({ requiredDocuments: null, requiredFields: [] })).toEqual([]);
  });
});

describe('rejections', () => {
  it.each([
    ['DOCUMENT_EXPIRED', 'document_expired', true],
    ['DATA_MISMATCH', 'data_mismatch', true],
    ['FRAUD_SUSPECTED', 'fraud_suspected', false],
    ['UNDERAGE', 'underage', false],
    ['SOMETHING_NEW', 'other', true],
  ] as const)('%s → %s (retryable %s)', (reason, code, retryable) => {
    const rejection = mapRejection(reason);
    expect(rejection).toMatchObject({ code, retryable, providerReason: reason });
    expect(rejection.message).not.toContain(reason);
    expect(rejection.message).not.toMatch(/fraud/i);
  });

  it('has a rejection without a reason, not retryable (nothing says the end-user can fix it)', () => {
    for (const missing of [undefined, null, '', '  ']) {
      expect(mapRejection(missing)).toEqual({ code: 'other', message: expect.stringMatching(/contact support/i), retryable: false });
    }
  });
});

describe('PATCH refusals', () => {
  const origin = { identifierIndex: 1, documentIndexes: [0, 2] };
  const context = { provider: 'patch-style', customerId: 'customer_1', origin };

  it('BAD_REQUEST → ValidationError at the application path, without values', () => {
    const error = mapPatchRefusal(
      {
        status: 400,
        envelope: {
          error: 'BAD_REQUEST',
          message: `Validation failed: phoneNumber must be in E.164 format; dateOfBirth '${CANARY.dateOfBirth}' must make the customer at least 18 years old; documents[1].backImageUrl must be an http(s) URL; nationalIdNumber ${CANARY.ssn} is not valid`,
          statusCode: 400,
        },
      },
      context,
    );
    expect(ValidationError.isInstance(error)).toBe(true);
    const issues = (error as ValidationError).issues;
    expect(issues.map((issue) => [issue.path, issue.code])).toEqual([
      [['person', 'phone'], 'invalid_phone'],
      [['person', 'dateOfBirth'], 'underage'],
      [['documents', 2, 'back'], 'provider_rejected'],
      [['identifiers', 1, 'value'], 'provider_rejected'],
    ]);
    expect(issues[0]!.message).toBe('must be in E.164 format (refused by patch-style)');
    expect(error.message).toContain('person.phone: must be in E.164 format');
    for (const text of [error.message, ...issues.map((issue) => issue.message)]) {
      expect(text).not.toContain(CANARY.dateOfBirth);
      expect(text).not.toContain(CANARY.ssn);
    }
  });

  it('PATCH_NOT_ALLOWED → non-retryable ProviderError with code invalid_state', () => {
    const error = mapPatchRefusal(
      { status: 400, envelope: { error: 'PATCH_NOT_ALLOWED', message: 'Cannot update KYC data: verification is currently in progress', customerStatus: 'UNDER_REVIEW' } },
      context,
    );
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'invalid_state', providerCode: 'PATCH_NOT_ALLOWED', isRetryable: false, status: 400 });
    expect(error.message).toContain('UNDER_REVIEW');
    expect(error.message).toContain('refresh()');
  });

  it('other 400s → a provider error; a code outside the contract is not carried', () => {
    const error = mapPatchRefusal({ status: 400, envelope: { error: 'SOMETHING', message: 'nope' } }, context);
    expect(error).toMatchObject({ code: 'provider_error', providerCode: undefined, isRetryable: false });
    expect(error.message).toContain('(HTTP 400 [unrecognized code]): nope');
  });

  it('PATCH_NOT_ALLOWED names only a documented customerStatus', () => {
    const error = mapPatchRefusal({ status: 400, envelope: { error: 'PATCH_NOT_ALLOWED', customerStatus: 'PZ8K4Q7M3' } }, context);
    expect(error.message).not.toContain('PZ8K4Q7M3');
    expect(error.message).toContain('UNDER_REVIEW, ACTIVE or DEACTIVATED');
  });

  it('maps every kycData path back to the application', () => {
    expect(applicationPathFor('address.addressLine1', origin)).toEqual(['address', 'line1']);
    expect(applicationPathFor('address.locale', origin)).toEqual(['address', 'country']);
    expect(applicationPathFor('address', origin)).toEqual(['address']);
    expect(applicationPathFor('expectedMonthlyPaymentsUsd', origin)).toEqual(['profile', 'expectedMonthlyVolumeUsd']);
    expect(applicationPathFor('documents[0].expirationDate', origin)).toEqual(['documents', 0, 'expiresOn']);
    expect(applicationPathFor('documents[1].issueDate', origin)).toEqual(['documents', 2, 'issuedOn']);
    expect(applicationPathFor('documents', origin)).toEqual(['documents']);
    expect(applicationPathFor('nationalIdType', { identifierIndex: undefined, documentIndexes: [] })).toEqual(['identifiers']);
    expect(applicationPathFor('kycData', origin)).toBeUndefined();
  });
});

describe('provider text in refusals', () => {
  it('the submitted values are scrubbed from BAD_REQUEST issues in every form; the wording and field stay', () => {
    const scrubber = providerTextScrubber({
      application: { person: { firstName: 'Zelphine', dateOfBirth: '1990-05-15' }, documents: [{ number: 'PZ8K4Q7M3' }] },
    });
    const error = mapPatchRefusal(
      {
        status: 400,
        envelope: {
          error: 'BAD_REQUEST',
          message:
            'Validation failed: dateOfBirth the fifteenth of May 1990 makes ZELPHINE under 18; documents[0].number pz8k4q7m3 is not a valid number; PZ8-K4Q-7M3 unknown',
        },
      },
      { provider: 'patch-style', customerId: 'customer_1', origin: { identifierIndex: undefined, documentIndexes: [0] }, scrubber },
    ) as ValidationError;
    expect(error.issues.map((issue) => issue.path)).toEqual([['person', 'dateOfBirth'], ['documents', 0, 'number'], []]);
    expect(error.issues.map((issue) => issue.message)).toEqual([
      '[redacted] makes [redacted] under 18 (refused by patch-style)',
      '[redacted] is not a valid number (refused by patch-style)',
      '[redacted] unknown (refused by patch-style)',
    ]);
    expect(error.message).not.toMatch(/zelphine|pz8|1990|fifteenth|may/i);
  });

  it('rejection reasons outside the contract are scrubbed before they become providerReason', () => {
    expect(mapRejection(`Document ${CANARY.passportNumber} expired`).providerReason).toBe('Document [redacted] expired');
    expect(mapRejection('DOCUMENT_EXPIRED').providerReason).toBe('DOCUMENT_EXPIRED');
  });

  it('unknown requirement codes carrying a value keep a neutral name and no providerCode', () => {
    const [document, field] = mapRequirements({ requiredDocuments: ['PZ8K4Q7M3'], requiredFields: ['born 1990-05-15'] });
    expect(document).toEqual({ kind: 'document', name: 'additional_document', message: expect.any(String) });
    expect(field).toEqual({ kind: 'field', name: 'additional_information', message: expect.any(String) });
  });
});
