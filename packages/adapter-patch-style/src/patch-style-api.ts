import type { KycLogger, ProviderTextScrubber } from '@openkyc/core';
import { lazySchema } from '@openkyc/core';
import type { z } from 'zod';
import type { PatchStyleKycData } from './map-application.js';
import { parseErrorEnvelope, type PatchStyleErrorEnvelope } from './patch-style-error-envelope.js';
import type { PatchStyleHttp } from './patch-style-http.js';

/**
 * The three calls of the contract, each response parsed with zod. Responses are
 * untrusted input: unknown fields are kept and ignored, unknown status strings
 * pass through (mapped later with a safe fallback), malformed optional fields
 * are dropped rather than failing the call. Only `id` and `status` are needed.
 */
export function createPatchStyleApi(http: PatchStyleHttp): PatchStyleApi {
  return {
    async createCustomer(body, options) {
      const response = await http.request({
        method: 'POST',
        path: 'customers',
        json: body,
        // The provider replays the first response for a repeated key (24 h), so a retry never makes a second customer.
        idempotencyKey: options.idempotencyKey,
        idempotent: true,
        expectStatus: [200, 201],
        signal: options.signal,
        logger: options.logger,
        scrubber: options.scrubber,
      });
      return response.json(patchStyleCustomerSchema());
    },

    async getCustomer(customerId, options) {
      const response = await http.request({
        method: 'GET',
        path: customerPath(customerId),
        signal: options.signal,
        logger: options.logger,
        scrubber: options.scrubber,
      });
      return response.json(patchStyleCustomerSchema());
    },

    async patchKycData(customerId, kycData, options) {
      // One attempt at the toolkit level (only a request that provably never left is repeated there):
      // `sendKycData` decides about retries after looking at the customer.
      const response = await http.request({
        method: 'PATCH',
        path: customerPath(customerId),
        json: { kycData },
        expectStatus: [200, 201, 202, 400],
        signal: options.signal,
        logger: options.logger,
        scrubber: options.scrubber,
      });
      if (response.status !== 400) return { ok: true, customer: response.json(patchStyleCustomerSchema()) };
      let json: unknown;
      try {
        json = response.json();
      } catch {
        json = undefined;
      }
      return { ok: false, status: response.status, envelope: parseErrorEnvelope(json) ?? {} };
    },
  };
}

export interface PatchStyleApi {
  /** `POST /api/v1/customers` with `Idempotency-Key`. */
  createCustomer(body: CreateCustomerBody, options: CallOptions & { idempotencyKey: string }): Promise<PatchStyleCustomer>;
  /** `GET /api/v1/customers/:id`. */
  getCustomer(customerId: string, options: CallOptions): Promise<PatchStyleCustomer>;
  /** `PATCH /api/v1/customers/:id` `{kycData}`; a 400 comes back as a refusal to map with the application at hand. */
  patchKycData(customerId: string, kycData: PatchStyleKycData, options: CallOptions): Promise<PatchResult>;
}

/** What every call carries: the operation's signal and logger, and the scrubber for what it sends. */
export interface CallOptions {
  signal?: AbortSignal | undefined;
  logger?: KycLogger | undefined;
  scrubber?: ProviderTextScrubber | undefined;
}

export interface CreateCustomerBody {
  readonly type: 'INDIVIDUAL';
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
}

export type PatchResult =
  | { readonly ok: true; readonly customer: PatchStyleCustomer }
  | { readonly ok: false; readonly status: number; readonly envelope: PatchStyleErrorEnvelope };

function customerPath(customerId: string): string {
  return `customers/${encodeURIComponent(customerId)}`;
}

/** An ISO 8601 instant with offset, from what the provider sent; `undefined` when unreadable. */
export function toIsoInstant(value: string | number): string | undefined {
  let ms: number;
  if (typeof value === 'number') {
    // Epoch seconds or milliseconds.
    ms = value < 1e12 ? value * 1000 : value;
  } else {
    const text = value.trim();
    const hasTime = /T\d{2}:\d{2}/.test(text);
    const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text);
    // An offset-less date-time is read as UTC, never as the host's local time.
    ms = Date.parse(hasTime && !hasZone ? `${text}Z` : text);
  }
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

const instantSchema = lazySchema((z) =>
  z
    .union([z.string(), z.number()])
    .transform((value) => toIsoInstant(value))
    .optional()
    .catch(undefined),
);

/** A list of codes; entries that are not strings are dropped. */
const codeListSchema = lazySchema((z) =>
  z
    .array(z.unknown())
    .transform((items) => items.filter((item): item is string => typeof item === 'string' && item.trim() !== ''))
    .nullish()
    .catch(undefined),
);

export const patchStyleCustomerSchema = lazySchema((z) =>
  z.looseObject({
    id: z.string().min(1),
    /** Any string: unknown statuses are mapped with a safe fallback, not refused. */
    status: z.string().min(1),
    type: z.string().optional().catch(undefined),
    requiredDocuments: codeListSchema(),
    requiredFields: codeListSchema(),
    rejectionReason: z.string().nullish().catch(undefined),
    createdAt: instantSchema(),
    updatedAt: instantSchema(),
  }),
);
export type PatchStyleCustomer = z.infer<ReturnType<typeof patchStyleCustomerSchema>>;
