import { defaultProviderTextScrubber, documentedProviderCode, type ProviderTextScrubber, type Requirement } from '@openkyc/core';

/**
 * `requiredDocuments` and `requiredFields` of a customer in
 * NEEDS_ADDITIONAL_INFORMATION → provider-neutral requirements, with messages
 * written for the end-user. Unknown codes still produce a requirement (with a
 * generic message), so nothing the provider asks for is silently dropped;
 * `providerCode` keeps the raw code for operators — an unknown one only when
 * it is code-shaped and carries no submitted value (requirements travel in
 * events). Duplicates (UTILITY_BILL and PROOF_OF_ADDRESS both meaning a proof
 * of address) are merged.
 */
export function mapRequirements(
  input: {
    readonly requiredDocuments?: readonly string[] | null | undefined;
    readonly requiredFields?: readonly string[] | null | undefined;
  },
  scrubber: ProviderTextScrubber = defaultProviderTextScrubber,
): Requirement[] {
  const requirements: Requirement[] = [];
  const seen = new Set<string>();
  const add = (requirement: Requirement): void => {
    const key = `${requirement.kind}:${requirement.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    requirements.push(requirement);
  };
  for (const code of input.requiredDocuments ?? []) add(documentRequirement(code, scrubber));
  for (const field of input.requiredFields ?? []) add(fieldRequirement(field, scrubber));
  return requirements;
}

interface Named {
  readonly kind: Requirement['kind'];
  readonly name: string;
  readonly message: string;
}

const PROOF_OF_ADDRESS: Named = {
  kind: 'document',
  name: 'proof_of_address',
  message: 'Upload a recent proof of address (utility bill, bank statement or lease)',
};

const IDENTITY_DOCUMENT: Named = {
  kind: 'document',
  name: 'identity_document',
  message: "Upload a government-issued photo ID (passport, driver's license, national ID card, residence permit or state ID)",
};

/** Document codes the contract uses in `requiredDocuments`. */
const DOCUMENTS: Readonly<Record<string, Named>> = {
  PROOF_OF_ADDRESS,
  UTILITY_BILL: PROOF_OF_ADDRESS,
  BANK_STATEMENT: PROOF_OF_ADDRESS,
  LEASE_AGREEMENT: PROOF_OF_ADDRESS,
  PASSPORT: { kind: 'document', name: 'passport', message: 'Upload a clear photo of the photo page of your passport' },
  DRIVERS_LICENSE: {
    kind: 'document',
    name: 'drivers_license',
    message: "Upload clear photos of the front and back of your driver's license",
  },
  NATIONAL_ID: { kind: 'document', name: 'national_id', message: 'Upload clear photos of the front and back of your national ID card' },
  RESIDENCE_PERMIT: {
    kind: 'document',
    name: 'residence_permit',
    message: 'Upload clear photos of the front and back of your residence permit',
  },
  STATE_ID: { kind: 'document', name: 'state_id', message: 'Upload clear photos of the front and back of your state ID card' },
  ID_DOCUMENT: IDENTITY_DOCUMENT,
  IDENTITY_DOCUMENT,
};

function documentRequirement(code: string, scrubber: ProviderTextScrubber): Requirement {
  const known = DOCUMENTS[normalizeCode(code)];
  if (known !== undefined) return { ...known, providerCode: code };
  const safe = documentedProviderCode(code, undefined, scrubber);
  return {
    kind: 'document',
    name: safe === undefined ? 'additional_document' : neutralName(safe),
    message: 'Upload the additional document requested to complete your verification',
    ...(safe === undefined ? {} : { providerCode: safe }),
  };
}

const ADDRESS: Named = { kind: 'field', name: 'address', message: 'Enter your full residential address' };
const IDENTIFIER: Named = {
  kind: 'field',
  name: 'identifiers',
  message: 'Enter your national identification number (for example your SSN) and the country that issued it',
};
const COUNTRY: Named = { kind: 'field', name: 'address.country', message: 'Select the country of your address' };

/** kycData field names (top level and `address.<name>`) → application fields. */
const FIELDS: Readonly<Record<string, Named>> = {
  legalFirstName: { kind: 'field', name: 'person.firstName', message: 'Enter your legal first name as it appears on your ID' },
  legalLastName: { kind: 'field', name: 'person.lastName', message: 'Enter your legal last name as it appears on your ID' },
  legalMiddleName: { kind: 'field', name: 'person.middleName', message: 'Enter your legal middle name as it appears on your ID' },
  phoneNumber: { kind: 'field', name: 'person.phone', message: 'Enter your phone number with the country code, e.g. +14155551234' },
  dateOfBirth: { kind: 'field', name: 'person.dateOfBirth', message: 'Enter your date of birth' },
  nationality: { kind: 'field', name: 'person.nationality', message: 'Select your nationality' },
  address: ADDRESS,
  'address.addressLine1': { kind: 'field', name: 'address.line1', message: 'Enter the street address of your residence' },
  'address.addressLine2': { kind: 'field', name: 'address.line2', message: 'Enter the apartment, suite or unit of your address' },
  'address.city': { kind: 'field', name: 'address.city', message: 'Enter the city of your address' },
  'address.state': { kind: 'field', name: 'address.state', message: 'Enter the state or province of your address' },
  'address.stateCode': {
    kind: 'field',
    name: 'address.stateCode',
    message: 'Enter the state or province code of your address, e.g. CA',
  },
  'address.postalCode': { kind: 'field', name: 'address.postalCode', message: 'Enter the postal or ZIP code of your address' },
  'address.country': COUNTRY,
  // The adapter derives the locale from the address country.
  'address.locale': COUNTRY,
  nationalIdType: IDENTIFIER,
  nationalIdNumber: IDENTIFIER,
  nationalIdIssuingCountry: IDENTIFIER,
  employmentStatus: { kind: 'field', name: 'profile.employmentStatus', message: 'Select your employment status' },
  mostRecentOccupation: { kind: 'field', name: 'profile.occupation', message: 'Enter your current or most recent occupation' },
  sourceOfFunds: { kind: 'field', name: 'profile.sourceOfFunds', message: 'Select the main source of your funds' },
  accountPurpose: { kind: 'field', name: 'profile.accountPurpose', message: 'Select how you will use the account' },
  expectedMonthlyPaymentsUsd: {
    kind: 'field',
    name: 'profile.expectedMonthlyVolumeUsd',
    message: 'Select how much you expect to send or receive per month',
  },
  isIntermediary: {
    kind: 'field',
    name: 'profile.isIntermediary',
    message: 'Tell us whether you are acting on behalf of someone else',
  },
  documents: IDENTITY_DOCUMENT,
};

function fieldRequirement(field: string, scrubber: ProviderTextScrubber): Requirement {
  const known = FIELDS[field.trim()];
  if (known !== undefined) return { ...known, providerCode: field };
  const safe = documentedProviderCode(field, undefined, scrubber);
  return {
    kind: 'field',
    name: safe === undefined ? 'additional_information' : neutralName(safe),
    message: 'Provide the additional information requested to complete your verification',
    ...(safe === undefined ? {} : { providerCode: safe }),
  };
}

function normalizeCode(code: string): string {
  return code.trim().toUpperCase().replace(/[\s-]+/g, '_');
}

/** `SELFIE_WITH_ID` → `selfie_with_id`; keeps dots of a field path. */
function neutralName(code: string): string {
  const name = code
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_.]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return name === '' ? 'unknown' : name;
}
