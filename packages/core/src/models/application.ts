import type { z } from 'zod';
import { lazySchema } from '../values/lazy-schema.js';
import { isCalendarDate } from '../values/calendar-date.js';
import { isCountryCode } from '../values/countries.js';
import { FILE_CONTENT_TYPES, isUint8Array, type FileContentType } from '../values/file-type.js';
import {
  DOCUMENT_NUMBER_MESSAGE,
  DOCUMENT_NUMBER_RULE,
  identifierProblem,
  isDocumentNumber,
  IDENTIFIER_TYPES,
  normalizeIdentifierValue,
  type IdentifierType,
} from '../values/identifier-formats.js';
import { isE164Phone } from '../values/phone.js';

/**
 * The application a platform submits: provider-neutral, lower-case. Each adapter
 * maps it to its provider's shape. The schema here checks structure and the
 * formats that need no context (real calendar dates, E.164 phone numbers,
 * ISO 3166-1 alpha-2 countries, identifier and document numbers, see
 * `values/identifier-formats.ts`); the rules that need a clock, the
 * provider's capabilities or the file bytes live in
 * `application/validate-application.ts`.
 *
 * Format refinements carry `params.code` (`invalid_date`, `invalid_phone`,
 * `invalid_country`, `invalid_type`, `invalid_identifier`,
 * `invalid_document_number`, `not_applicable`) and, for identifiers and document
 * numbers, `params.rule`, which `validateApplication` turns into its stable issue
 * codes and rules.
 */

/**
 * The document types an application can carry (each adapter accepts a subset, see
 * `capabilities.documentTypes`).
 */
export const DOCUMENT_TYPES = [
  'passport',
  'drivers_license',
  'residence_permit',
  'national_id',
  'state_id',
  'proof_of_address',
  'selfie',
] as const;
export const documentTypeSchema = lazySchema((z) => z.enum(DOCUMENT_TYPES));
/** One of {@link DOCUMENT_TYPES}. */
export type DocumentType = z.infer<ReturnType<typeof documentTypeSchema>>;

// The value lists live in values/ (below the models), so the format checks can use them too.
export { FILE_CONTENT_TYPES, IDENTIFIER_TYPES };
export type { FileContentType, IdentifierType };
export const fileContentTypeSchema = lazySchema((z) => z.enum(FILE_CONTENT_TYPES));
export const identifierTypeSchema = lazySchema((z) => z.enum(IDENTIFIER_TYPES));

export const documentFileSchema = lazySchema((z) =>
  z.object({
    /** The file bytes (a `Uint8Array`; a `Buffer` is fine). Never logged: logs show `[n bytes]`. */
    content: z.custom<Uint8Array>(isUint8Array, {
      message: 'must be the file bytes as a Uint8Array (a Buffer is fine)',
      params: { code: 'invalid_type' },
    }),
    /** The declared type; it must match the bytes. */
    contentType: fileContentTypeSchema(),
    /** The file name sent to the provider, e.g. `passport.jpg`. */
    filename: z.string().min(1).max(255),
  }),
);
/** One side of a document: its bytes, content type and file name. */
export type DocumentFile = z.infer<ReturnType<typeof documentFileSchema>>;

/** `YYYY-MM-DD` naming a day that exists (2024-02-29 yes, 2023-02-29 no). */
export const calendarDateSchema = lazySchema((z) =>
  z.string().refine(isCalendarDate, {
    message: 'must be a real calendar date as YYYY-MM-DD',
    params: { code: 'invalid_date' },
  }),
);
/** An officially assigned ISO 3166-1 alpha-2 code in upper case, or XK (Kosovo); see `values/countries.ts`. */
export const countryCodeSchema = lazySchema((z) =>
  z.string().refine(isCountryCode, {
    message: 'must be an ISO 3166-1 alpha-2 country code in upper case',
    params: { code: 'invalid_country' },
  }),
);
/** E.164: `^\+[1-9]\d{1,14}$`. */
export const phoneNumberSchema = lazySchema((z) =>
  z.string().refine(isE164Phone, {
    message: 'must be in E.164 format: a plus sign, the country code and the number, digits only',
    params: { code: 'invalid_phone' },
  }),
);

export const personSchema = lazySchema((z) =>
  z.object({
    /** Legal first name. */
    firstName: z.string().trim().min(1).max(100),
    /** Legal last name. */
    lastName: z.string().trim().min(1).max(100),
    /** Legal middle name(s), if any. */
    middleName: z.string().trim().min(1).max(100).optional(),
    /** `YYYY-MM-DD`. Never logged or put in an error message. */
    dateOfBirth: calendarDateSchema(),
    /** ISO 3166-1 alpha-2, e.g. `US`. */
    nationality: countryCodeSchema(),
    /** E-mail address. */
    email: z.email(),
    /** E.164, e.g. `+14155551234`. */
    phone: phoneNumberSchema(),
  }),
);
/** The applicant's personal details. */
export type Person = z.infer<ReturnType<typeof personSchema>>;

export const addressSchema = lazySchema((z) =>
  z.object({
    /** Street and number. */
    line1: z.string().trim().min(1).max(200),
    /** Apartment, suite, building… */
    line2: z.string().trim().max(200).optional(),
    /** City or town. */
    city: z.string().trim().min(1).max(100),
    /** State, province or region, in words. */
    state: z.string().trim().min(1).max(100).optional(),
    /** State, province or region code, e.g. `CA`. */
    stateCode: z.string().trim().min(1).max(10).optional(),
    /** Postal or ZIP code. */
    postalCode: z.string().trim().min(1).max(20),
    /** ISO 3166-1 alpha-2 country of residence, e.g. `US`. */
    country: countryCodeSchema(),
  }),
);
/** The applicant's residential address. */
export type Address = z.infer<ReturnType<typeof addressSchema>>;

/** The fields of an identifier, before its format is checked (see `identifierSchema`). */
const identifierFieldsSchema = lazySchema((z) =>
  z.object({
    /** Which kind of number it is. */
    type: identifierTypeSchema(),
    /**
     * The number itself. `ssn` and `itin`: 9 digits, dashes optional (`123-45-6789` or
     * `123456789`). Never logged or put in an error message.
     */
    value: z.string().trim().min(1).max(64),
    /** ISO 3166-1 alpha-2 country that issued it (`US` for `ssn` and `itin`). */
    issuingCountry: countryCodeSchema(),
  }),
);
type IdentifierFields = z.infer<ReturnType<typeof identifierFieldsSchema>>;

/**
 * An identifier whose value has its type's format (SSN, ITIN, US TIN, basic
 * shape otherwise; see `values/identifier-formats.ts`). Parsing writes SSNs
 * and ITINs as `123-45-6789`, however they were given (dashes are optional).
 */
export const identifierSchema = lazySchema(() =>
  identifierFieldsSchema()
    .superRefine((identifier, context) => {
      const problem = identifierProblem(identifier);
      if (problem === undefined) return;
      context.addIssue({
        code: 'custom',
        path: [problem.field],
        message: problem.message,
        params: { code: 'invalid_identifier', rule: problem.rule },
      });
    })
    .transform((identifier): IdentifierFields => ({ ...identifier, value: normalizeIdentifierValue(identifier) })),
);
/** A national identification number (SSN, ITIN, TIN or national id). */
export type Identifier = z.infer<ReturnType<typeof identifierSchema>>;

/**
 * What a proof of address is. Providers that tell them apart get the kind
 * (patch-style: `UTILITY_BILL`, `BANK_STATEMENT`, `LEASE_AGREEMENT`); each adapter
 * declares the kinds it accepts in `capabilities.proofOfAddressKinds`.
 */
export const PROOF_OF_ADDRESS_KINDS = ['utility_bill', 'bank_statement', 'lease_agreement'] as const;
export const proofOfAddressKindSchema = lazySchema((z) => z.enum(PROOF_OF_ADDRESS_KINDS));
/** One of {@link PROOF_OF_ADDRESS_KINDS}. */
export type ProofOfAddressKind = z.infer<ReturnType<typeof proofOfAddressKindSchema>>;

export const applicationDocumentSchema = lazySchema((z) =>
  z
    .object({
      /** Which document it is; see {@link DOCUMENT_TYPES}. */
      type: documentTypeSchema(),
      /**
       * The document number, where it has one: letters and digits (at least 3, at least one digit), optionally
       * grouped by single spaces, dashes, dots or slashes. Never logged or put in an error message.
       */
      number: z
        .string()
        .trim()
        .min(1)
        .max(64)
        .refine(isDocumentNumber, { message: DOCUMENT_NUMBER_MESSAGE, params: { code: 'invalid_document_number', rule: DOCUMENT_NUMBER_RULE } })
        .optional(),
      /**
       * For a `proof_of_address` only: which kind of proof it is. Absent: the provider's default (a utility bill
       * where the provider tells kinds apart). A kind the provider does not accept is refused before any request.
       */
      proofOfAddressKind: proofOfAddressKindSchema().optional(),
      /** ISO 3166-1 alpha-2 country that issued it. */
      issuingCountry: countryCodeSchema().optional(),
      /** Expiry date, `YYYY-MM-DD`; an expired document is refused. */
      expiresOn: calendarDateSchema().optional(),
      /** Issue date, `YYYY-MM-DD`. */
      issuedOn: calendarDateSchema().optional(),
      /** The front side (or the only page). */
      front: documentFileSchema(),
      /** The back side, required for the provider's two-sided documents. */
      back: documentFileSchema().optional(),
    })
    .superRefine((document, context) => {
      const otherDocument = (DOCUMENT_TYPES as readonly unknown[]).includes(document.type) && document.type !== 'proof_of_address';
      if (document.proofOfAddressKind === undefined || !otherDocument) return;
      context.addIssue({
        code: 'custom',
        path: ['proofOfAddressKind'],
        message: 'proofOfAddressKind applies to proof_of_address documents only; remove it from this document.',
        params: { code: 'not_applicable' },
      });
    }),
);
/** One document of the application, with its file(s). */
export type ApplicationDocument = z.infer<ReturnType<typeof applicationDocumentSchema>>;

/** Values of `profile.employmentStatus`. */
export const EMPLOYMENT_STATUSES = ['employed', 'self_employed', 'unemployed', 'retired', 'student'] as const;
/** Values of `profile.sourceOfFunds`. */
export const SOURCES_OF_FUNDS = ['employment', 'business', 'investments', 'inheritance', 'savings'] as const;
/** Values of `profile.accountPurpose`. */
export const ACCOUNT_PURPOSES = ['personal_use', 'business_use', 'investment'] as const;
/** Values of `profile.expectedMonthlyVolumeUsd`. */
export const MONTHLY_VOLUMES = ['under_10k', '10k_to_50k', '50k_to_100k', 'over_100k'] as const;

export const profileSchema = lazySchema((z) =>
  z.object({
    /** See {@link EMPLOYMENT_STATUSES}. */
    employmentStatus: z.enum(EMPLOYMENT_STATUSES),
    /** Current or most recent occupation, in words. */
    occupation: z.string().trim().min(1).max(100),
    /** See {@link SOURCES_OF_FUNDS}. */
    sourceOfFunds: z.enum(SOURCES_OF_FUNDS),
    /** See {@link ACCOUNT_PURPOSES}. */
    accountPurpose: z.enum(ACCOUNT_PURPOSES),
    /** See {@link MONTHLY_VOLUMES}. */
    expectedMonthlyVolumeUsd: z.enum(MONTHLY_VOLUMES),
    /** Whether the applicant acts on behalf of someone else. */
    isIntermediary: z.boolean(),
  }),
);
/** Employment and financial profile, required by some providers (see `capabilities.requiredFields`). */
export type Profile = z.infer<ReturnType<typeof profileSchema>>;

/**
 * Zod schema of {@link Application}: structure and context-free formats. `kyc.validate` adds the rules that
 * need a clock or the provider's capabilities.
 */
export const applicationSchema = lazySchema((z) =>
  z.object({
    /** Personal details. */
    person: personSchema(),
    /** Residential address. */
    address: addressSchema(),
    /** National identification numbers, where the provider needs them. */
    identifiers: z.array(identifierSchema()).max(10).optional(),
    /** Identity and supporting documents, with their files. */
    documents: z.array(applicationDocumentSchema()).max(10),
    /** Employment and financial profile, where the provider needs it. */
    profile: profileSchema().optional(),
    /** Whether your platform verified the e-mail address and phone number itself (one-time codes). */
    contactVerified: z
      .object({
        /** The e-mail address was confirmed by your platform. */
        email: z.boolean(),
        /** The phone number was confirmed by your platform. */
        phone: z.boolean(),
      })
      .optional(),
  }),
);
/**
 * What `kyc.submit` and `kyc.validate` take: provider-neutral; each adapter maps it to its provider's shape.
 */
export type Application = z.infer<ReturnType<typeof applicationSchema>>;

/** Fields a provider can declare as required beyond the schema's own. */
export const APPLICATION_FIELDS = [
  'person.middleName',
  'address.state',
  'address.stateCode',
  'address.line2',
  'identifiers',
  'profile',
  'contactVerified',
  'contactVerified.email',
  'contactVerified.phone',
] as const;
/** One of {@link APPLICATION_FIELDS}. */
export type ApplicationField = (typeof APPLICATION_FIELDS)[number];
