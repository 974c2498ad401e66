import { mapHttpError, type HttpResponse } from '@openkyc/core/http';
import { lazySchema } from '@openkyc/core';
import type { z } from 'zod';
import type { TechnestCall } from './technest-call.js';
import type { TechnestClient } from './technest-client.js';
import { errorInfo, parseErrorEnvelope, rememberEnvelope, TECHNEST_CODES } from './technest-errors.js';

/**
 * Technest's responses and the calls that get them. Every response is parsed
 * with zod as untrusted input: unknown fields are dropped, unknown enum values
 * (a new `status`, a new `type`) are kept as plain strings and mapped later
 * (see `map-technest-status.ts`), and a timestamp that cannot be read becomes
 * absent instead of failing the call.
 */

// ---------------------------------------------------------------------------
// Schemas

/**
 * A provider timestamp as an ISO 8601 instant with an offset (`…Z`), or
 * undefined when absent or unreadable. Technest sends `2026-05-05T12:34:56Z`;
 * an offset-less date-time is read as UTC.
 */
export const technestTimestampSchema = lazySchema((z) =>
  z
    .unknown()
    .optional()
    .transform((value): string | undefined => (typeof value === 'string' ? normalizeTimestamp(value) : undefined)),
);

export function normalizeTimestamp(value: string): string | undefined {
  // Pure, and Technest repeats the same second-precision values in every
  // response about a customer (created_at, kyc_submitted_at…): the two regexes,
  // Date.parse and toISOString cost more than the rest of the field's parse.
  if (value.length > 64) return normalizeTimestampUncached(value);
  const known = normalizedTimestamps.get(value);
  if (known !== undefined || normalizedTimestamps.has(value)) return known;
  const normalized = normalizeTimestampUncached(value);
  // Bounded: cleared when full (a few dozen KB at most).
  if (normalizedTimestamps.size >= TIMESTAMP_CACHE_SIZE) normalizedTimestamps.clear();
  normalizedTimestamps.set(value, normalized);
  return normalized;
}

const TIMESTAMP_CACHE_SIZE = 1024;
const normalizedTimestamps = new Map<string, string | undefined>();

function normalizeTimestampUncached(value: string): string | undefined {
  const text = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return undefined;
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`;
  const ms = Date.parse(zoned);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/**
 * The customer object. Only `id` and `status` are required to act on it (and `files`, when sent, must be an
 * object); every other field is read leniently: a string (a readable timestamp) or absent.
 *
 * The lenient fields are read by one transform over the whole object rather than a transform per field:
 * each per-field transform was a zod pipe (a result object and an issue scan per field, ten per customer),
 * the largest part of reading a customer in reconcile's profile. Same output, same failures.
 */
export const technestCustomerSchema = lazySchema((z) =>
  z
    .object({
      id: z.string().min(1),
      /** `created` | `pending` | `verified` | `rejected` today; any string tolerated. */
      status: z.string(),
      /** `individual` | `business` today; any string tolerated. */
      type: z.unknown().optional(),
      customer_reference: z.unknown().optional(),
      email: z.unknown().optional(),
      created_at: z.unknown().optional(),
      kyc_submitted_at: z.unknown().optional(),
      verified_at: z.unknown().optional(),
      rejected_at: z.unknown().optional(),
      rejection_reason: z.unknown().optional(),
      files: z
        .object({
          id_file: z.unknown().optional(),
          id_file_back: z.unknown().optional(),
          proof_of_address_file: z.unknown().optional(),
          liveness_check_file: z.unknown().optional(),
        })
        .nullish(),
    })
    .transform((raw): TechnestCustomer => {
      const customer: TechnestCustomer = { id: raw.id, status: raw.status, files: readFiles(raw.files) };
      setText(customer, 'type', raw.type);
      setText(customer, 'customer_reference', raw.customer_reference);
      setText(customer, 'email', raw.email);
      setTime(customer, 'created_at', raw.created_at);
      setTime(customer, 'kyc_submitted_at', raw.kyc_submitted_at);
      setTime(customer, 'verified_at', raw.verified_at);
      setTime(customer, 'rejected_at', raw.rejected_at);
      setText(customer, 'rejection_reason', raw.rejection_reason);
      return customer;
    }),
);

/** A Technest customer as the adapter reads it: optional fields absent unless sent readable. */
export interface TechnestCustomer {
  id: string;
  status: string;
  type?: string | undefined;
  customer_reference?: string | undefined;
  email?: string | undefined;
  created_at?: string | undefined;
  kyc_submitted_at?: string | undefined;
  verified_at?: string | undefined;
  rejected_at?: string | undefined;
  rejection_reason?: string | undefined;
  files: Partial<Record<TechnestFileSlot, string>>;
}

type TextField = 'type' | 'customer_reference' | 'email' | 'rejection_reason';
type TimeField = 'created_at' | 'kyc_submitted_at' | 'verified_at' | 'rejected_at';

/** A non-empty string is kept; anything else leaves the field absent. */
function setText(customer: TechnestCustomer, key: TextField, value: unknown): void {
  if (typeof value === 'string' && value !== '') customer[key] = value;
}

/** A readable timestamp is kept as an ISO instant; anything else leaves the field absent. */
function setTime(customer: TechnestCustomer, key: TimeField, value: unknown): void {
  if (typeof value !== 'string') return;
  const normalized = normalizeTimestamp(value);
  if (normalized !== undefined) customer[key] = normalized;
}

const FILE_SLOTS: readonly TechnestFileSlot[] = ['id_file', 'id_file_back', 'proof_of_address_file', 'liveness_check_file'];

/** The file slots holding a non-empty string id. */
function readFiles(files: Partial<Record<TechnestFileSlot, unknown>> | null | undefined): Partial<Record<TechnestFileSlot, string>> {
  const read: Partial<Record<TechnestFileSlot, string>> = {};
  if (files === null || files === undefined) return read;
  for (const slot of FILE_SLOTS) {
    const value = files[slot];
    if (typeof value === 'string' && value !== '') read[slot] = value;
  }
  return read;
}

export const technestCustomerListSchema = lazySchema((z) =>
  z.object({
    data: z.array(z.unknown()).transform((items) =>
      items.flatMap((item) => {
        const parsed = technestCustomerSchema().safeParse(item);
        return parsed.success ? [parsed.data] : [];
      }),
    ),
  }),
);

export const uploadIntentSchema = lazySchema((z) =>
  z.object({
    file_id: z.string().min(1),
    upload_url: z.url({ protocol: /^https?$/ }),
    expires_at: technestTimestampSchema(),
    /** Sent back verbatim on the PUT; values must be strings. */
    required_headers: z.record(z.string(), z.unknown()).nullish().transform(stringHeaders),
  }),
);
export type UploadIntent = z.output<ReturnType<typeof uploadIntentSchema>>;



// ---------------------------------------------------------------------------
// Request bodies

export type TechnestFileCategory = 'id_document' | 'id_document_back' | 'proof_of_address' | 'liveness_check';
export type TechnestFileSlot = 'id_file' | 'id_file_back' | 'proof_of_address_file' | 'liveness_check_file';

export interface CreateCustomerBody {
  readonly type: 'individual';
  readonly customer_reference: string;
  readonly email: string;
  readonly first_name: string;
  readonly last_name: string;
}

export interface TechnestAddressBody {
  readonly line1: string;
  readonly line2: string | null;
  readonly city: string;
  readonly state: string | null;
  readonly postal_code: string;
  readonly country: string;
}

/** PATCH merges these; `type` and `customer_reference` are fixed at create. */
export interface UpdateCustomerBody {
  readonly email: string;
  readonly first_name: string;
  readonly last_name: string;
  readonly date_of_birth: string;
  readonly phone: string;
  readonly country: string;
  readonly address: TechnestAddressBody;
}

export interface UploadIntentBody {
  readonly file_category: TechnestFileCategory;
  readonly filename: string;
  readonly content_type: string;
}

export type AttachFilesBody = Partial<Record<TechnestFileSlot, string>>;

/**
 * The answer to the optional `/kyc` acknowledgement: the customer, or the
 * status of a deployment that has it switched off (404 for no such route, 405).
 */
export type KycAcknowledgement =
  | { readonly acknowledged: true; readonly customer: TechnestCustomer }
  | { readonly acknowledged: false; readonly status: 404 | 405 };

// ---------------------------------------------------------------------------
// Calls

export interface TechnestApi {
  createCustomer(body: CreateCustomerBody, call: TechnestCall): Promise<TechnestCustomer>;
  getCustomer(customerId: string, call: TechnestCall): Promise<TechnestCustomer>;
  findCustomersByReference(reference: string, call: TechnestCall): Promise<TechnestCustomer[]>;
  updateCustomer(customerId: string, body: UpdateCustomerBody, call: TechnestCall): Promise<void>;
  createUploadIntent(customerId: string, body: UploadIntentBody, call: TechnestCall): Promise<UploadIntent>;
  attachFiles(customerId: string, body: AttachFilesBody, call: TechnestCall): Promise<void>;
  acknowledgeKyc(customerId: string, call: TechnestCall): Promise<KycAcknowledgement>;
}

export function createTechnestApi(client: TechnestClient): TechnestApi {
  const customerPath = (customerId: string): string => `/v1/customers/${encodeURIComponent(customerId)}`;

  // The calls below are not `async` where the answer only needs parsing: one promise less per call
  // (figure 5 makes one GET per customer). Every failure still arrives as a rejection.
  return {
    createCustomer(body, call) {
      // Made safe to repeat: a repeat that finds the first one's record gets 409
      // customer_reference_taken, which the caller adopts (see technest-customers.ts).
      try {
        return client.api({ method: 'POST', path: '/v1/customers', json: body, idempotent: true }, call).then(readCustomer);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    getCustomer(customerId, call) {
      try {
        return client.api({ method: 'GET', path: customerPath(customerId) }, call).then(readCustomer);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    async findCustomersByReference(reference, call) {
      const response = await client.api({ method: 'GET', path: '/v1/customers', query: { customer_reference: reference } }, call);
      return response.json(technestCustomerListSchema()).data;
    },
    updateCustomer(customerId, body, call) {
      // A merge of the same values: safe to repeat.
      // The 200 body (the updated customer) is not parsed: the submit reads nothing from it (its next
      // answers, the acknowledgement or a fresh read, carry the customer), as with the attach below.
      try {
        return client.api({ method: 'PATCH', path: customerPath(customerId), json: body, idempotent: true }, call).then(ignoreAnswer);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    createUploadIntent(customerId, body, call) {
      // A repeat only leaves an unused intent behind.
      try {
        return client
          .api({ method: 'POST', path: `${customerPath(customerId)}/files`, json: body, idempotent: true }, call)
          .then(readUploadIntent);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    attachFiles(customerId, body, call) {
      // Attaching the same file ids again replaces them with themselves; a repeat after
      // a lost response finds the customer pending (409 verification_in_progress), which
      // the submit flow treats as "already attached".
      // The 200 body (`customer_files`) carries nothing the flow needs, so it is not
      // parsed: a success must not turn into an error over its confirmation envelope.
      try {
        return client.api({ method: 'POST', path: `${customerPath(customerId)}/files/attach`, json: body, idempotent: true }, call).then(ignoreAnswer);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    acknowledgeKyc(customerId, call) {
      // Repeats do not move kyc_submitted_at. A 404 / 405 is an answer here, not an error:
      // the acknowledgement is optional and a deployment may have it switched off.
      try {
        const path = `${customerPath(customerId)}/kyc`;
        return client
          .api({ method: 'POST', path, json: {}, idempotent: true, expectStatus: ACKNOWLEDGEMENT_STATUSES }, call)
          .then((response) => readAcknowledgement(response, path, call));
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };

  /** The acknowledgement's answer: the customer (200), or a deployment without the route (404 / 405). */
  function readAcknowledgement(response: HttpResponse, path: string, call: TechnestCall): KycAcknowledgement {
    if (response.status === 200) return { acknowledged: true, customer: response.json(technestCustomerSchema()) };
    const envelope = parseErrorEnvelope({ status: response.status, headers: response.headers, body: response.body, json: tryJson(response.body) });
    if (response.status === 404 && envelope.code === 'customer_not_found') {
      // The customer itself is unknown: a real error, as any other call would report it.
      const error = mapHttpError({
        provider: client.provider,
        method: 'POST',
        url: path,
        status: 404,
        ...errorInfo(envelope),
        providerCodes: TECHNEST_CODES,
        scrubber: call.scrubber,
      });
      rememberEnvelope(error, envelope);
      throw error;
    }
    return { acknowledged: false, status: response.status === 404 ? 404 : 405 };
  }
}

const ACKNOWLEDGEMENT_STATUSES: readonly number[] = [200, 404, 405];

function readCustomer(response: HttpResponse): TechnestCustomer {
  return response.json(technestCustomerSchema());
}

function ignoreAnswer(): void {}

function readUploadIntent(response: HttpResponse): UploadIntent {
  return response.json(uploadIntentSchema());
}

function tryJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** The string-valued entries of `required_headers`, in a fresh object (one loop, no entry arrays: three per submit). */
function stringHeaders(headers: Record<string, unknown> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers == null) return out;
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (typeof value !== 'string') continue;
    // As Object.fromEntries does: an own property even for `__proto__` (an assignment would set the prototype).
    if (name === '__proto__') Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
    else out[name] = value;
  }
  return out;
}
