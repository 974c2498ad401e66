/**
 * `@openkyc/core/schemas`: the zod schemas of core's models and configuration, for
 * applications that validate or compose them themselves (`applicationSchema.safeParse(body)`,
 * `z.object({ application: applicationSchema })`). Importing this entry loads zod; the main
 * entry `@openkyc/core` does not, so a service that only uses the client starts ~40 ms faster.
 * They are the schemas core itself validates with (`kyc.validate`, `fromConfig`).
 *
 * @packageDocumentation
 */

import { kycConfigSchema as kycConfig } from '../client/from-config.js';
import { applicationSchema as application } from '../models/application.js';
import { customerStatusSchema as customerStatus } from '../models/customer-status.js';
import { rejectionSchema as rejection, requirementSchema as requirement } from '../models/requirement.js';

/**
 * Zod schema of `Application`: structure and context-free formats (calendar dates, E.164 phone
 * numbers, ISO 3166-1 countries, identifier and document numbers). `kyc.validate` adds the
 * rules that need a clock or the provider's capabilities.
 */
export const applicationSchema = application();

/** Zod schema of `KycConfig`, the JSON `fromConfig` reads. */
export const kycConfigSchema = kycConfig();

/** Zod schema of `CustomerStatus` (one of `CUSTOMER_STATUSES`). */
export const customerStatusSchema = customerStatus();

/** Zod schema of `Requirement`: something the end-user must provide while the customer is `needs_info`. */
export const requirementSchema = requirement();

/** Zod schema of `Rejection`: why a provider rejected the customer. */
export const rejectionSchema = rejection();
