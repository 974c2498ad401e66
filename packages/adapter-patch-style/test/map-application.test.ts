import { describe, expect, it } from 'vitest';
import { mapApplication } from '../src/map-application.js';
import { application, CANARY, driversLicense, passport, proofOfAddress } from './support/application.js';
import { startHarness } from './support/harness.js';

const urls = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ front: `https://files.example/${index}/front`, back: `https://files.example/${index}/back` }));

describe('application → kycData', () => {
  it('uses exactly the guide field names and UPPER-CASE enums', () => {
    const { kycData, origin } = mapApplication(application({ documents: [driversLicense(), proofOfAddress()] }), [
      { front: 'https://files.example/dl-front', back: 'https://files.example/dl-back' },
      { front: 'https://files.example/poa' },
    ]);
    expect(kycData).toEqual({
      legalFirstName: 'Jane',
      legalLastName: 'Smith',
      legalMiddleName: 'Marie',
      phoneNumber: CANARY.phone,
      dateOfBirth: CANARY.dateOfBirth,
      nationality: 'US',
      address: {
        addressLine1: '123 Main Street',
        addressLine2: 'Apt 4B',
        city: 'San Francisco',
        state: 'California',
        stateCode: 'CA',
        postalCode: '94102',
        country: 'US',
        locale: 'en-US',
      },
      nationalIdType: 'SSN',
      nationalIdNumber: CANARY.ssn,
      nationalIdIssuingCountry: 'US',
      employmentStatus: 'EMPLOYED',
      mostRecentOccupation: 'Software Engineer',
      sourceOfFunds: 'EMPLOYMENT',
      accountPurpose: 'PERSONAL_USE',
      expectedMonthlyPaymentsUsd: 'UNDER_10K',
      isIntermediary: false,
      documents: [
        {
          type: 'DRIVERS_LICENSE',
          number: CANARY.licenseNumber,
          issuingCountry: 'US',
          expirationDate: '2031-05-15',
          frontImageUrl: 'https://files.example/dl-front',
          backImageUrl: 'https://files.example/dl-back',
        },
        { type: 'UTILITY_BILL', issueDate: '2025-10-01', frontImageUrl: 'https://files.example/poa' },
      ],
    });
    expect(origin).toEqual({ identifierIndex: 0, documentIndexes: [0, 1] });
  });

  it('maps every enum value of the profile and the identifier types', () => {
    const cases = [
      [{ employmentStatus: 'self_employed', sourceOfFunds: 'business', accountPurpose: 'business_use', expectedMonthlyVolumeUsd: '10k_to_50k' }, ['SELF_EMPLOYED', 'BUSINESS', 'BUSINESS_USE', '10K_TO_50K']],
      [{ employmentStatus: 'unemployed', sourceOfFunds: 'investments', accountPurpose: 'investment', expectedMonthlyVolumeUsd: '50k_to_100k' }, ['UNEMPLOYED', 'INVESTMENTS', 'INVESTMENT', '50K_TO_100K']],
      [{ employmentStatus: 'retired', sourceOfFunds: 'inheritance', accountPurpose: 'personal_use', expectedMonthlyVolumeUsd: 'over_100k' }, ['RETIRED', 'INHERITANCE', 'PERSONAL_USE', 'OVER_100K']],
      [{ employmentStatus: 'student', sourceOfFunds: 'savings', accountPurpose: 'personal_use', expectedMonthlyVolumeUsd: 'under_10k' }, ['STUDENT', 'SAVINGS', 'PERSONAL_USE', 'UNDER_10K']],
    ] as const;
    for (const [profile, expected] of cases) {
      const { kycData } = mapApplication(
        application({ documents: [], profile: { occupation: 'x', isIntermediary: true, ...profile } }),
        [],
      );
      expect([kycData.employmentStatus, kycData.sourceOfFunds, kycData.accountPurpose, kycData.expectedMonthlyPaymentsUsd]).toEqual(expected);
      expect(kycData.isIntermediary).toBe(true);
    }
    const types = { ssn: 'SSN', itin: 'TIN', tin: 'TIN', national_id: 'NATIONAL_ID' } as const;
    for (const [type, expected] of Object.entries(types)) {
      const { kycData } = mapApplication(
        application({ documents: [], identifiers: [{ type: type as keyof typeof types, value: 'X1', issuingCountry: 'US' }] }),
        [],
      );
      expect(kycData.nationalIdType).toBe(expected);
    }
  });

  it('sends one identifier: the one of the residence country, else the first', () => {
    const { kycData, origin } = mapApplication(
      application({
        documents: [],
        identifiers: [
          { type: 'national_id', value: 'DE-12345', issuingCountry: 'DE' },
          { type: 'ssn', value: CANARY.ssn, issuingCountry: 'US' },
        ],
      }),
      [],
    );
    expect([kycData.nationalIdType, kycData.nationalIdNumber, kycData.nationalIdIssuingCountry]).toEqual(['SSN', CANARY.ssn, 'US']);
    expect(origin.identifierIndex).toBe(1);
  });

  it('maps every accepted document type; leaves out empty optional fields', () => {
    const documents = (['passport', 'drivers_license', 'national_id', 'residence_permit', 'state_id', 'proof_of_address'] as const).map(
      (type) => ({ ...passport(), type }),
    );
    const { kycData } = mapApplication(
      application({ documents, address: { ...application().address, line2: '' }, person: { ...application().person, middleName: undefined } }),
      urls(documents.length).map(({ front }) => ({ front })),
    );
    expect(kycData.documents.map((document) => document.type)).toEqual([
      'PASSPORT',
      'DRIVERS_LICENSE',
      'NATIONAL_ID',
      'RESIDENCE_PERMIT',
      'STATE_ID',
      'UTILITY_BILL',
    ]);
    expect(kycData.documents[0]).not.toHaveProperty('backImageUrl');
    expect(kycData.address).not.toHaveProperty('addressLine2');
    expect(kycData).not.toHaveProperty('legalMiddleName');
  });

  it('is what the simulator stores: it validates every field, and hosted URLs serve the bytes', async () => {
    const h = await startHarness({ webhooks: false });
    try {
      const created = await h.provider.createCustomer(
        { customerId: 'cus_1', reference: 'r1', providerReference: 'r1', type: 'individual', email: 'a@example.com', firstName: 'Jane', lastName: 'Smith' },
        h.context('create:r1'),
      );
      const app = application({ documents: [driversLicense(), proofOfAddress()] });
      const report = await h.provider.submit(
        { customerId: 'cus_1', providerCustomerId: created.providerCustomerId, providerReference: 'r1', application: app, type: 'individual', submission: 1 },
        h.context(),
      );
      expect(report).toMatchObject({ status: 'pending', rawStatus: 'UNDER_REVIEW' });

      const stored = h.sim.customer(created.providerCustomerId)!.kycData as Record<string, unknown>;
      const documents = stored.documents as { type: string; frontImageUrl: string; backImageUrl?: string }[];
      expect(Object.keys(stored).sort()).toEqual(
        [
          'legalFirstName', 'legalLastName', 'legalMiddleName', 'phoneNumber', 'dateOfBirth', 'nationality', 'address',
          'nationalIdType', 'nationalIdNumber', 'nationalIdIssuingCountry', 'employmentStatus', 'mostRecentOccupation',
          'sourceOfFunds', 'accountPurpose', 'expectedMonthlyPaymentsUsd', 'isIntermediary', 'documents',
        ].sort(),
      );
      // Front and back hosted, each URL serving exactly the submitted bytes with their type.
      const license = documents.find((document) => document.type === 'DRIVERS_LICENSE')!;
      const front = h.host.document(license.frontImageUrl)!;
      const back = h.host.document(license.backImageUrl!)!;
      expect(Buffer.from(front.content).equals(Buffer.from(app.documents[0]!.front.content))).toBe(true);
      expect(Buffer.from(back.content).equals(Buffer.from(app.documents[0]!.back!.content))).toBe(true);
      expect([front.type, front.contentType, back.contentType]).toEqual(['drivers_license', 'image/jpeg', 'image/png']);
      expect(h.host.documents()).toHaveLength(3);
    } finally {
      await h.close();
    }
  });
});
