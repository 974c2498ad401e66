import { createHash } from 'node:crypto';
import type { Application, DocumentFile, DocumentType, ValidationIssue } from '@openkyc/core';
import type { AddressBody, FineractClient, UpdateClientBody } from './clients-command-api.js';
import { FINERACT_DATE_CONTEXT, formatFineractDate } from './fineract-dates.js';
import { DOCUMENT_TYPE_NAMES, IDENTIFIER_TYPE_NAMES, type ClientsCommandIdentifierTypeName } from './identifier-types.js';

/**
 * The provider-neutral application → the provider's parts: client details
 * (PUT), one PRIMARY address, identifiers (one per provider type) and the
 * document files uploaded to them. Also the adapter's own validation, so that
 * what the provider would refuse is refused before any request.
 */

/** Fineract's column sizes (as the contract's installation enforces them). */
const LIMITS = { name: 50, email: 150, addressLine: 100, city: 100, stateProvince: 100, postalCode: 20, documentKey: 50 } as const;

type Path = readonly (string | number)[];

// --- client details --------------------------------------------------------

/**
 * The client update for this application: names, contact details, date of
 * birth, and the platform's attestation of its own one-time-code checks.
 * Without `contactVerified` nothing is attested (the provider keeps what it
 * had; it drops a flag itself when the address or number changes).
 */
export function clientUpdateFor(application: Application): UpdateClientBody {
  const { person, contactVerified } = application;
  return {
    firstname: person.firstName,
    middlename: person.middleName ?? null,
    lastname: person.lastName,
    emailAddress: person.email,
    mobileNo: person.phone,
    dateOfBirth: formatFineractDate(person.dateOfBirth),
    ...(contactVerified === undefined
      ? {}
      : { emailVerified: contactVerified.email, mobileNoVerified: contactVerified.phone }),
    ...FINERACT_DATE_CONTEXT,
  };
}

/**
 * Whether the client already holds everything the update would send (so a
 * re-submission does not send it again). A field the provider does not return
 * counts as different.
 */
export function clientIsUpToDate(client: FineractClient, application: Application): boolean {
  const { person, contactVerified } = application;
  const same =
    client.firstname === person.firstName &&
    (client.middlename ?? null) === (person.middleName ?? null) &&
    client.lastname === person.lastName &&
    client.emailAddress === person.email &&
    client.mobileNo === person.phone &&
    client.dateOfBirth === person.dateOfBirth;
  if (!same) return false;
  if (contactVerified === undefined) return true;
  return client.emailVerified === contactVerified.email && client.mobileNoVerified === contactVerified.phone;
}

// --- address ---------------------------------------------------------------

export function addressFor(application: Application): AddressBody {
  const { address } = application;
  return {
    addressType: 'PRIMARY',
    addressLine1: address.line1,
    addressLine2: address.line2 ?? null,
    city: address.city,
    stateProvince: address.state ?? address.stateCode ?? null,
    postalCode: address.postalCode,
    countryCode: address.country,
    isActive: true,
  };
}

// --- identifiers and documents ---------------------------------------------

export interface UploadPlan {
  readonly documentIndex: number;
  readonly documentType: DocumentType;
  readonly side: 'front' | 'back';
  readonly file: DocumentFile;
  /** Document `name` at the provider: `passport front`. */
  readonly name: string;
  /** Document `description`: a content digest, so the back office can tell copies of one file apart from new photos. */
  readonly description: string;
}

export interface IdentifierPlan {
  readonly typeName: ClientsCommandIdentifierTypeName;
  /** The identifier value or document number (personal data: never logged). */
  readonly documentKey: string;
  /** Where `documentKey` came from, for error paths. */
  readonly keyPath: Path;
  readonly uploads: readonly UploadPlan[];
}

/**
 * One identifier per provider type (the provider refuses a second of a type):
 * application identifiers first, then one per identity document keyed by its
 * number. A document of a type an identifier already covers (a national_id
 * identifier and a national ID card) has its files uploaded to that
 * identifier. Call after `validateApplicationForClientsCommand` passed.
 */
export function identifierPlansFor(application: Application): IdentifierPlan[] {
  const plans = new Map<ClientsCommandIdentifierTypeName, { documentKey: string; keyPath: Path; uploads: UploadPlan[] }>();
  (application.identifiers ?? []).forEach((identifier, index) => {
    const typeName = IDENTIFIER_TYPE_NAMES[identifier.type];
    if (typeName === undefined || plans.has(typeName)) return;
    plans.set(typeName, { documentKey: identifier.value, keyPath: ['identifiers', index, 'value'], uploads: [] });
  });
  application.documents.forEach((document, index) => {
    const typeName = DOCUMENT_TYPE_NAMES[document.type];
    if (typeName === undefined) return;
    let plan = plans.get(typeName);
    if (plan === undefined) {
      if (document.number === undefined) return;
      plan = { documentKey: document.number, keyPath: ['documents', index, 'number'], uploads: [] };
      plans.set(typeName, plan);
    }
    plan.uploads.push(uploadPlan(index, document.type, 'front', document.front));
    if (document.back !== undefined) plan.uploads.push(uploadPlan(index, document.type, 'back', document.back));
  });
  return [...plans].map(([typeName, plan]) => ({ typeName, ...plan }));
}

function uploadPlan(documentIndex: number, documentType: DocumentType, side: 'front' | 'back', file: DocumentFile): UploadPlan {
  const digest = createHash('sha256').update(file.content).digest('hex');
  return {
    documentIndex,
    documentType,
    side,
    file,
    name: `${documentType.replaceAll('_', ' ')} ${side}`,
    description: `openkyc sha256:${digest}`,
  };
}

// --- 400 parameter → application path ----------------------------------------

const CLIENT_PARAMETERS: Readonly<Record<string, Path>> = {
  firstname: ['person', 'firstName'],
  middlename: ['person', 'middleName'],
  lastname: ['person', 'lastName'],
  emailAddress: ['person', 'email'],
  mobileNo: ['person', 'phone'],
  dateOfBirth: ['person', 'dateOfBirth'],
  emailVerified: ['contactVerified', 'email'],
  mobileNoVerified: ['contactVerified', 'phone'],
};

const ADDRESS_PARAMETERS: Readonly<Record<string, Path>> = {
  addressLine1: ['address', 'line1'],
  addressLine2: ['address', 'line2'],
  city: ['address', 'city'],
  stateProvince: ['address', 'state'],
  postalCode: ['address', 'postalCode'],
  countryCode: ['address', 'country'],
};

export const clientParameterPath = (parameter: string): Path | undefined => CLIENT_PARAMETERS[parameter];
export const addressParameterPath = (parameter: string): Path | undefined => ADDRESS_PARAMETERS[parameter];
export const identifierParameterPath =
  (plan: IdentifierPlan) =>
  (parameter: string): Path | undefined =>
    parameter === 'documentKey' ? plan.keyPath : undefined;
export const uploadParameterPath =
  (upload: UploadPlan) =>
  (parameter: string): Path | undefined =>
    parameter === 'file' ? ['documents', upload.documentIndex, upload.side] : undefined;

const CREATE_PARAMETERS: Readonly<Record<string, Path>> = {
  firstname: ['firstName'],
  lastname: ['lastName'],
  emailAddress: ['email'],
  externalId: ['reference'],
};

/** `createCustomer` input paths. */
export const createParameterPath = (parameter: string): Path | undefined => CREATE_PARAMETERS[parameter];

// --- validation ------------------------------------------------------------

/**
 * What this provider refuses beyond core's capability checks. Pure; messages
 * never contain the submitted values.
 */
export function validateApplicationForClientsCommand(application: Application): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const push = (path: Path, code: string, message: string): void => {
    issues.push({ path, code, message });
  };

  const { person, address } = application;
  for (const [field, value] of [
    ['firstName', person.firstName],
    ['middleName', person.middleName],
    ['lastName', person.lastName],
  ] as const) {
    if (value !== undefined && value.length > LIMITS.name) {
      push(['person', field], 'too_long', `This provider accepts names of at most ${LIMITS.name} characters; shorten it.`);
    }
  }
  if (person.email.length > LIMITS.email) {
    push(['person', 'email'], 'too_long', `This provider accepts email addresses of at most ${LIMITS.email} characters.`);
  }
  for (const [field, limit] of [
    ['line1', LIMITS.addressLine],
    ['line2', LIMITS.addressLine],
    ['city', LIMITS.city],
    ['state', LIMITS.stateProvince],
    ['postalCode', LIMITS.postalCode],
  ] as const) {
    const value = address[field];
    if (value !== undefined && value.length > limit) {
      push(['address', field], 'too_long', `This provider accepts at most ${limit} characters here; shorten it.`);
    }
  }

  const covered = new Set<ClientsCommandIdentifierTypeName>();
  (application.identifiers ?? []).forEach((identifier, index) => {
    const typeName = IDENTIFIER_TYPE_NAMES[identifier.type];
    if (typeName === undefined) {
      push(
        ['identifiers', index, 'type'],
        'unsupported_identifier',
        `This provider does not accept a generic ${identifier.type}; send an individual's taxpayer number as ssn or itin.`,
      );
      return;
    }
    if (covered.has(typeName)) {
      push(['identifiers', index, 'type'], 'duplicate_identifier', `Only one ${identifier.type} can be sent; remove the duplicate.`);
      return;
    }
    covered.add(typeName);
    if (identifier.value.length > LIMITS.documentKey) {
      push(['identifiers', index, 'value'], 'too_long', `This provider accepts identifier values of at most ${LIMITS.documentKey} characters.`);
    }
  });

  application.documents.forEach((document, index) => {
    const typeName = DOCUMENT_TYPE_NAMES[document.type];
    if (typeName === undefined || covered.has(typeName)) return; // unsupported types: core reports them
    covered.add(typeName);
    if (document.number === undefined) {
      push(
        ['documents', index, 'number'],
        'required',
        'The document number is required by this provider (the document is recorded under it); send the number printed on the document.',
      );
    } else if (document.number.length > LIMITS.documentKey) {
      push(['documents', index, 'number'], 'too_long', `This provider accepts document numbers of at most ${LIMITS.documentKey} characters.`);
    }
  });
  return issues;
}
