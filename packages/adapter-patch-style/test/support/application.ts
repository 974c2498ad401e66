import type { Application, ApplicationDocument } from '@openkyc/core';
import { sampleDocument } from './testkit.js';

/** Values that must never appear in an error message or a log line. */
export const CANARY = {
  ssn: '287-65-4329',
  dateOfBirth: '1984-02-29',
  passportNumber: 'CANARYP991',
  licenseNumber: 'CANARYD7731',
  phone: '+14155550199',
} as const;

export function passport(): ApplicationDocument {
  return {
    type: 'passport',
    number: CANARY.passportNumber,
    issuingCountry: 'US',
    expiresOn: '2034-12-31',
    front: sampleDocument('passport', 'image/jpeg'),
  };
}

export function driversLicense(): ApplicationDocument {
  return {
    type: 'drivers_license',
    number: CANARY.licenseNumber,
    issuingCountry: 'US',
    expiresOn: '2031-05-15',
    front: { ...sampleDocument('drivers_license', 'image/jpeg'), filename: 'license-front.jpg' },
    back: { ...sampleDocument('drivers_license', 'image/png'), filename: 'license-back.png' },
  };
}

export function proofOfAddress(): ApplicationDocument {
  return {
    type: 'proof_of_address',
    issuedOn: '2025-10-01',
    front: sampleDocument('proof_of_address', 'application/pdf'),
  };
}

/** A complete application patch-style accepts as is. */
export function application(overrides: Partial<Application> = {}): Application {
  return {
    person: {
      firstName: 'Jane',
      lastName: 'Smith',
      middleName: 'Marie',
      dateOfBirth: CANARY.dateOfBirth,
      nationality: 'US',
      email: 'jane.smith@example.com',
      phone: CANARY.phone,
    },
    address: {
      line1: '123 Main Street',
      line2: 'Apt 4B',
      city: 'San Francisco',
      state: 'California',
      stateCode: 'CA',
      postalCode: '94102',
      country: 'US',
    },
    identifiers: [{ type: 'ssn', value: CANARY.ssn, issuingCountry: 'US' }],
    documents: [passport(), proofOfAddress()],
    profile: {
      employmentStatus: 'employed',
      occupation: 'Software Engineer',
      sourceOfFunds: 'employment',
      accountPurpose: 'personal_use',
      expectedMonthlyVolumeUsd: 'under_10k',
      isIntermediary: false,
    },
    ...overrides,
  };
}
