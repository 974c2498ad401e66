import { z } from 'zod';
import { isCalendarDate } from '../application/calendar-date.js';
import { isCountryCode } from '../application/countries.js';
import { isUint8Array } from '../application/file-type.js';
import { isE164Phone } from '../application/phone.js';

/**
 * The application a platform submits: provider-neutral, lower-case. Each adapter
 * maps it to its provider's shape. The schema here checks structure and the
 * formats that need no context (real calendar dates, E.164 phone numbers,
 * ISO 3166-1 alpha-2 countries); the rules that need a clock, the provider's
 * capabilities or the file bytes live in `application/validate-application.ts`.
 *
 * Format refinements carry `params.code` (`invalid_date`, `invalid_phone`,
 * `invalid_country`, `invalid_type`), which `validateApplication` turns into its
 * stable issue codes.
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
export const documentTypeSchema = z.enum(DOCUMENT_TYPES);
export type DocumentType = z.infer<typeof documentTypeSchema>;

export const FILE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export const fileContentTypeSchema = z.enum(FILE_CONTENT_TYPES);
export type FileContentType = z.infer<typeof fileContentTypeSchema>;

export const IDENTIFIER_TYPES = ['ssn', 'itin', 'tin', 'national_id'] as const;
export const identifierTypeSchema = z.enum(IDENTIFIER_TYPES);
export type IdentifierType = z.infer<typeof identifierTypeSchema>;

export const documentFileSchema = z.object({
  content: z.custom<Uint8Array>(isUint8Array, {
    message: 'must be the file bytes as a Uint8Array (a Buffer is fine)',
    params: { code: 'invalid_type' },
  }),
  contentType: fileContentTypeSchema,
  filename: z.string().min(1).max(255),
});
export type DocumentFile = z.infer<typeof documentFileSchema>;

/** `YYYY-MM-DD` naming a day that exists (2024-02-29 yes, 2023-02-29 no). */
export const calendarDateSchema = z.string().refine(isCalendarDate, {
  message: 'must be a real calendar date as YYYY-MM-DD',
  params: { code: 'invalid_date' },
});
/** An officially assigned ISO 3166-1 alpha-2 code in upper case, or XK (Kosovo); see `application/countries.ts`. */
export const countryCodeSchema = z.string().refine(isCountryCode, {
  message: 'must be an ISO 3166-1 alpha-2 country code in upper case',
  params: { code: 'invalid_country' },
});
/** E.164: `^\+[1-9]\d{1,14}$`. */
export const phoneNumberSchema = z.string().refine(isE164Phone, {
  message: 'must be in E.164 format: a plus sign, the country code and the number, digits only',
  params: { code: 'invalid_phone' },
});

export const personSchema = z.object({
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
  middleName: z.string().trim().min(1).max(100).optional(),
  dateOfBirth: calendarDateSchema,
  nationality: countryCodeSchema,
  email: z.email(),
  phone: phoneNumberSchema,
});
export type Person = z.infer<typeof personSchema>;

export const addressSchema = z.object({
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1).max(100),
  state: z.string().trim().min(1).max(100).optional(),
  stateCode: z.string().trim().min(1).max(10).optional(),
  postalCode: z.string().trim().min(1).max(20),
  country: countryCodeSchema,
});
export type Address = z.infer<typeof addressSchema>;

export const identifierSchema = z.object({
  type: identifierTypeSchema,
  value: z.string().trim().min(1).max(64),
  issuingCountry: countryCodeSchema,
});
export type Identifier = z.infer<typeof identifierSchema>;

export const applicationDocumentSchema = z.object({
  type: documentTypeSchema,
  number: z.string().trim().min(1).max(64).optional(),
  issuingCountry: countryCodeSchema.optional(),
  expiresOn: calendarDateSchema.optional(),
  issuedOn: calendarDateSchema.optional(),
  front: documentFileSchema,
  back: documentFileSchema.optional(),
});
export type ApplicationDocument = z.infer<typeof applicationDocumentSchema>;

export const EMPLOYMENT_STATUSES = ['employed', 'self_employed', 'unemployed', 'retired', 'student'] as const;
export const SOURCES_OF_FUNDS = ['employment', 'business', 'investments', 'inheritance', 'savings'] as const;
export const ACCOUNT_PURPOSES = ['personal_use', 'business_use', 'investment'] as const;
export const MONTHLY_VOLUMES = ['under_10k', '10k_to_50k', '50k_to_100k', 'over_100k'] as const;

export const profileSchema = z.object({
  employmentStatus: z.enum(EMPLOYMENT_STATUSES),
  occupation: z.string().trim().min(1).max(100),
  sourceOfFunds: z.enum(SOURCES_OF_FUNDS),
  accountPurpose: z.enum(ACCOUNT_PURPOSES),
  expectedMonthlyVolumeUsd: z.enum(MONTHLY_VOLUMES),
  isIntermediary: z.boolean(),
});
export type Profile = z.infer<typeof profileSchema>;

export const applicationSchema = z.object({
  person: personSchema,
  address: addressSchema,
  identifiers: z.array(identifierSchema).max(10).optional(),
  documents: z.array(applicationDocumentSchema).max(10),
  profile: profileSchema.optional(),
  contactVerified: z.object({ email: z.boolean(), phone: z.boolean() }).optional(),
});
export type Application = z.infer<typeof applicationSchema>;

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
export type ApplicationField = (typeof APPLICATION_FIELDS)[number];
