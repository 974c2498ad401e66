import type { PatchStyleKycData, PatchStyleKycDocument } from './patch-style-kyc-data.js';

/**
 * The guide's complete `kycData` example (Jane Smith, a US passport), with
 * the document image URLs to use. Handy for simulator tests and as a
 * reference for adapters mapping their application to this shape.
 */
export function examplePatchStyleKycData(input: {
  /** One passport is sent when no documents are given. */
  readonly passportFrontUrl?: string;
  readonly documents?: readonly PatchStyleKycDocument[];
}): PatchStyleKycData {
  const documents: PatchStyleKycDocument[] = input.documents
    ? input.documents.map((document) => ({ ...document }))
    : [
        {
          type: 'PASSPORT',
          number: 'P12345678',
          issuingCountry: 'US',
          expirationDate: '2030-12-31',
          frontImageUrl: input.passportFrontUrl ?? 'https://documents.example.com/passport-front.jpg',
        },
      ];
  return {
    legalFirstName: 'Jane',
    legalLastName: 'Smith',
    phoneNumber: '+14155551234',
    dateOfBirth: '1990-05-15',
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
    nationalIdNumber: '123-45-6789',
    nationalIdIssuingCountry: 'US',
    nationality: 'US',
    employmentStatus: 'EMPLOYED',
    mostRecentOccupation: 'Software Engineer',
    sourceOfFunds: 'EMPLOYMENT',
    accountPurpose: 'PERSONAL_USE',
    expectedMonthlyPaymentsUsd: 'UNDER_10K',
    isIntermediary: false,
    documents,
  };
}
