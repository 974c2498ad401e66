import type { Application, ApplicationDocument, DocumentType, IdentifierType, Profile, ProofOfAddressKind } from '@openkyc/core';

/**
 * The application → the provider's `kycData`, with exactly the field names and
 * UPPER-CASE enum values of the guide's "Required data fields" tables and its
 * "Document format". Pure: the document URLs come from `hostDocuments`.
 */
export function mapApplication(application: Application, hosted: readonly HostedDocumentUrls[]): MappedApplication {
  const { person, address, profile } = application;
  const identifierIndex = pickIdentifier(application);
  const identifier = identifierIndex === undefined ? undefined : application.identifiers?.[identifierIndex];

  const documents: PatchStyleKycDocument[] = [];
  const documentIndexes: number[] = [];
  application.documents.forEach((document, index) => {
    const urls = hosted[index];
    if (urls === undefined) throw new Error(`mapApplication: no hosted URLs for documents[${index}]`);
    documents.push(mapDocument(document, urls));
    documentIndexes.push(index);
  });

  const kycData: PatchStyleKycData = {
    legalFirstName: person.firstName,
    legalLastName: person.lastName,
    ...(person.middleName === undefined ? {} : { legalMiddleName: person.middleName }),
    phoneNumber: person.phone,
    dateOfBirth: person.dateOfBirth,
    nationality: person.nationality,
    address: {
      addressLine1: address.line1,
      ...(address.line2 === undefined || address.line2 === '' ? {} : { addressLine2: address.line2 }),
      city: address.city,
      ...(address.state === undefined ? {} : { state: address.state }),
      ...(address.stateCode === undefined ? {} : { stateCode: address.stateCode.toUpperCase() }),
      postalCode: address.postalCode,
      country: address.country,
      locale: localeFor(address.country),
    },
    ...(identifier === undefined
      ? {}
      : {
          nationalIdType: NATIONAL_ID_TYPES[identifier.type],
          nationalIdNumber: identifier.value,
          nationalIdIssuingCountry: identifier.issuingCountry,
        }),
    ...(profile === undefined ? {} : mapProfile(profile)),
    documents,
  };
  return { kycData, origin: { identifierIndex, documentIndexes } };
}

/** URLs returned by `hostDocument` for one application document. */
export interface HostedDocumentUrls {
  readonly front: string;
  readonly back?: string | undefined;
}

export interface MappedApplication {
  readonly kycData: PatchStyleKycData;
  /** Where kycData parts came from, so a provider validation error can point at the application path. */
  readonly origin: KycDataOrigin;
}

export interface KycDataOrigin {
  /** The application identifier sent as `nationalId…`. */
  readonly identifierIndex: number | undefined;
  /** `documents[k]` of kycData came from `documents[documentIndexes[k]]` of the application. */
  readonly documentIndexes: readonly number[];
}

export type PatchStyleDocumentType =
  | 'PASSPORT'
  | 'DRIVERS_LICENSE'
  | 'NATIONAL_ID'
  | 'RESIDENCE_PERMIT'
  | 'STATE_ID'
  | 'UTILITY_BILL'
  | 'BANK_STATEMENT'
  | 'LEASE_AGREEMENT';

export interface PatchStyleKycDocument {
  type: PatchStyleDocumentType;
  number?: string;
  issuingCountry?: string;
  expirationDate?: string;
  issueDate?: string;
  frontImageUrl: string;
  backImageUrl?: string;
}

export interface PatchStyleKycAddress {
  addressLine1: string;
  addressLine2?: string;
  city: string;
  state?: string;
  stateCode?: string;
  postalCode: string;
  country: string;
  locale: string;
}

export interface PatchStyleKycData {
  legalFirstName: string;
  legalLastName: string;
  legalMiddleName?: string;
  phoneNumber: string;
  dateOfBirth: string;
  nationality: string;
  address: PatchStyleKycAddress;
  nationalIdType?: 'SSN' | 'TIN' | 'NATIONAL_ID';
  nationalIdNumber?: string;
  nationalIdIssuingCountry?: string;
  employmentStatus?: 'EMPLOYED' | 'SELF_EMPLOYED' | 'UNEMPLOYED' | 'RETIRED' | 'STUDENT';
  mostRecentOccupation?: string;
  sourceOfFunds?: 'EMPLOYMENT' | 'BUSINESS' | 'INVESTMENTS' | 'INHERITANCE' | 'SAVINGS';
  accountPurpose?: 'PERSONAL_USE' | 'BUSINESS_USE' | 'INVESTMENT';
  expectedMonthlyPaymentsUsd?: 'UNDER_10K' | '10K_TO_50K' | '50K_TO_100K' | 'OVER_100K';
  isIntermediary?: boolean;
  documents: PatchStyleKycDocument[];
}

/**
 * The provider's three address-proof types, one per application
 * `proofOfAddressKind`. A proof of address without a kind is sent as
 * `UTILITY_BILL` (the guide's own example; what this adapter always sent).
 */
export const PROOF_OF_ADDRESS_TYPES: Readonly<Record<ProofOfAddressKind, PatchStyleDocumentType>> = {
  utility_bill: 'UTILITY_BILL',
  bank_statement: 'BANK_STATEMENT',
  lease_agreement: 'LEASE_AGREEMENT',
};

/** The address-proof type sent for a proof of address without a kind. */
export const DEFAULT_PROOF_OF_ADDRESS_KIND: ProofOfAddressKind = 'utility_bill';

/** Application document types the provider accepts (no selfie: kycData has no place for one). */
export type PatchStyleAcceptedDocumentType = Exclude<DocumentType, 'selfie'>;

/** Identity documents → the provider's ID types (a proof of address maps by its kind, `PROOF_OF_ADDRESS_TYPES`). */
export const ID_DOCUMENT_TYPES: Readonly<Record<Exclude<PatchStyleAcceptedDocumentType, 'proof_of_address'>, PatchStyleDocumentType>> = {
  passport: 'PASSPORT',
  drivers_license: 'DRIVERS_LICENSE',
  national_id: 'NATIONAL_ID',
  residence_permit: 'RESIDENCE_PERMIT',
  state_id: 'STATE_ID',
};

/** `itin` is sent as `TIN`: an ITIN is a US taxpayer identification number (the guide has no ITIN value). */
const NATIONAL_ID_TYPES: Readonly<Record<IdentifierType, NonNullable<PatchStyleKycData['nationalIdType']>>> = {
  ssn: 'SSN',
  itin: 'TIN',
  tin: 'TIN',
  national_id: 'NATIONAL_ID',
};

const EMPLOYMENT_STATUSES: Readonly<Record<Profile['employmentStatus'], NonNullable<PatchStyleKycData['employmentStatus']>>> = {
  employed: 'EMPLOYED',
  self_employed: 'SELF_EMPLOYED',
  unemployed: 'UNEMPLOYED',
  retired: 'RETIRED',
  student: 'STUDENT',
};

const SOURCES_OF_FUNDS: Readonly<Record<Profile['sourceOfFunds'], NonNullable<PatchStyleKycData['sourceOfFunds']>>> = {
  employment: 'EMPLOYMENT',
  business: 'BUSINESS',
  investments: 'INVESTMENTS',
  inheritance: 'INHERITANCE',
  savings: 'SAVINGS',
};

const ACCOUNT_PURPOSES: Readonly<Record<Profile['accountPurpose'], NonNullable<PatchStyleKycData['accountPurpose']>>> = {
  personal_use: 'PERSONAL_USE',
  business_use: 'BUSINESS_USE',
  investment: 'INVESTMENT',
};

const MONTHLY_VOLUMES: Readonly<
  Record<Profile['expectedMonthlyVolumeUsd'], NonNullable<PatchStyleKycData['expectedMonthlyPaymentsUsd']>>
> = {
  under_10k: 'UNDER_10K',
  '10k_to_50k': '10K_TO_50K',
  '50k_to_100k': '50K_TO_100K',
  over_100k: 'OVER_100K',
};

function mapProfile(profile: Profile): Partial<PatchStyleKycData> {
  return {
    employmentStatus: EMPLOYMENT_STATUSES[profile.employmentStatus],
    mostRecentOccupation: profile.occupation,
    sourceOfFunds: SOURCES_OF_FUNDS[profile.sourceOfFunds],
    accountPurpose: ACCOUNT_PURPOSES[profile.accountPurpose],
    expectedMonthlyPaymentsUsd: MONTHLY_VOLUMES[profile.expectedMonthlyVolumeUsd],
    isIntermediary: profile.isIntermediary,
  };
}

function mapDocument(document: ApplicationDocument, urls: HostedDocumentUrls): PatchStyleKycDocument {
  return {
    type: providerDocumentType(document),
    ...(document.number === undefined ? {} : { number: document.number }),
    ...(document.issuingCountry === undefined ? {} : { issuingCountry: document.issuingCountry }),
    ...(document.expiresOn === undefined ? {} : { expirationDate: document.expiresOn }),
    ...(document.issuedOn === undefined ? {} : { issueDate: document.issuedOn }),
    frontImageUrl: urls.front,
    ...(urls.back === undefined ? {} : { backImageUrl: urls.back }),
  };
}

export function providerDocumentType(document: Pick<ApplicationDocument, 'type' | 'proofOfAddressKind'>): PatchStyleDocumentType {
  const { type } = document;
  if (type === 'selfie') {
    // validate() refuses selfies before any call (capabilities); reaching this is a caller bug.
    throw new TypeError('patch-style has no place for a selfie in kycData');
  }
  if (type === 'proof_of_address') return PROOF_OF_ADDRESS_TYPES[document.proofOfAddressKind ?? DEFAULT_PROOF_OF_ADDRESS_KIND];
  return ID_DOCUMENT_TYPES[type];
}

/**
 * The one identifier sent (kycData has a single `nationalId…` triple): the
 * first one issued by the country of residence, else the first one.
 */
function pickIdentifier(application: Application): number | undefined {
  const identifiers = application.identifiers ?? [];
  if (identifiers.length === 0) return undefined;
  const domestic = identifiers.findIndex((identifier) => identifier.issuingCountry === application.address.country);
  return domestic === -1 ? 0 : domestic;
}

/** `locale` ("Language and region", e.g. `en-US`) is required; the application has no language, so English in the address country. */
function localeFor(country: string): string {
  return `en-${country}`;
}
