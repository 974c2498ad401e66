import type { KycLogger, ProviderTextScrubber } from '@openkyc/core';
import { createHttpClient, type HttpClient, type HttpRequest, type MultipartPart } from '@openkyc/core/http';
import type { Dispatcher } from 'undici';
import { lazySchema } from '@openkyc/core';
import type { z } from 'zod';
import { fineractDateSchema } from './fineract-dates.js';
import { FINERACT_CODES, fineractErrorMapper, parseFineractEnvelope, type FineractFailure } from './fineract-errors.js';

/**
 * The provider's HTTP API as typed calls — exactly the routes
 * `providers/clients-command.md` documents, nothing a Fineract installation
 * may have beyond them (a contract-true server answers those 404). Every call
 * carries HTTP Basic and
 * `Fineract-Platform-TenantId` (client default headers, sent to the API host
 * only). Responses are untrusted: each is parsed with a zod schema that
 * tolerates unknown fields and unknown enum values (statuses and verification
 * types are read as plain numbers / strings and mapped elsewhere).
 *
 * Calls whose 400 / 403 the adapter handles itself resolve to a `Result`
 * instead of throwing; everything else (401, 404, 429, 5xx, transport) is a
 * typed error from the toolkit.
 */

export interface ClientsCommandConnection {
  readonly provider: string;
  readonly baseUrl: string;
  readonly username: string;
  readonly password: string;
  readonly tenantId: string;
  /** The adapter's Agent or the injected dispatcher: shared by every call. */
  readonly dispatcher: Dispatcher;
  readonly timeoutMs: number | undefined;
}

export interface ApiCallContext {
  readonly logger: KycLogger;
  readonly signal?: AbortSignal | undefined;
  /** Scrubs what this operation sends out of provider text. */
  readonly scrubber: ProviderTextScrubber;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: FineractFailure };

// --- response schemas -------------------------------------------------------

const idSchema = lazySchema((z) => z.number().int().nonnegative());
const codeValueSchema = lazySchema((z) => z.object({ id: z.number().nullish(), name: z.string().nullish() }));

export const fineractClientSchema = lazySchema((z) =>
  z.object({
    id: idSchema(),
    externalId: z.string().nullish(),
    active: z.boolean().nullish(),
    status: z.object({ id: z.number().int(), code: z.string().nullish(), value: z.string().nullish() }),
    subStatus: codeValueSchema().nullish(),
    kycVerificationType: z.string().nullish(),
    firstname: z.string().nullish(),
    middlename: z.string().nullish(),
    lastname: z.string().nullish(),
    emailAddress: z.string().nullish(),
    mobileNo: z.string().nullish(),
    emailVerified: z.boolean().nullish(),
    mobileNoVerified: z.boolean().nullish(),
    /** Not in the contract (Fineract has it): compared, when present, to skip an unchanged update. */
    dateOfBirth: fineractDateSchema().optional(),
    timeline: z
      .object({
        submittedOnDate: fineractDateSchema().optional(),
        activatedOnDate: fineractDateSchema().optional(),
        rejectedOnDate: fineractDateSchema().optional(),
        closedOnDate: fineractDateSchema().optional(),
      })
      .nullish(),
    rejectionReason: codeValueSchema().nullish(),
  }),
);
export type FineractClient = z.infer<ReturnType<typeof fineractClientSchema>>;

const createClientResponseSchema = lazySchema((z) =>
  z
    .object({ clientId: idSchema().nullish(), resourceId: idSchema().nullish() })
    .refine((value) => typeof value.clientId === 'number' || typeof value.resourceId === 'number', {
      message: 'clientId or resourceId is required',
      path: ['clientId'],
    })
    .transform((value) => ({ clientId: (value.clientId ?? value.resourceId) as number })),
);
const clientSearchSchema = lazySchema((z) =>
  z.object({
    totalFilteredRecords: z.number().nullish(),
    pageItems: z.array(fineractClientSchema()).nullish(),
  }),
);
const resourceSchema = lazySchema((z) => z.object({ resourceId: idSchema() }));
const commandResponseSchema = lazySchema((z) => z.object({ changes: z.record(z.string(), z.unknown()).nullish() }));
export type CommandChanges = Readonly<Record<string, unknown>>;

const identifierTemplateSchema = lazySchema((z) =>
  z.object({
    allowedDocumentTypes: z.array(z.object({ id: idSchema(), name: z.string() })),
  }),
);
export type IdentifierTypeEntry = z.infer<ReturnType<typeof identifierTemplateSchema>>['allowedDocumentTypes'][number];

/** `documentKey` is deliberately not read: it is the document number / SSN. */
const identifierSchema = lazySchema((z) =>
  z.object({
    id: idSchema(),
    documentType: codeValueSchema().nullish(),
    status: z.unknown().optional(),
  }),
);
export type FineractIdentifier = z.infer<ReturnType<typeof identifierSchema>>;
const identifierListSchema = lazySchema((z) => z.array(identifierSchema()));

// --- request bodies -----------------------------------------------------------

export interface CreateClientBody {
  readonly officeId: number;
  readonly legalFormId: number;
  readonly firstname: string;
  readonly lastname: string;
  readonly externalId: string;
  readonly emailAddress: string;
  readonly submittedOnDate: string;
  readonly active: false;
  readonly dateFormat: string;
  readonly locale: string;
}

export interface UpdateClientBody {
  readonly firstname?: string;
  readonly middlename?: string | null;
  readonly lastname?: string;
  readonly emailAddress?: string;
  readonly mobileNo?: string;
  readonly dateOfBirth?: string;
  readonly emailVerified?: boolean;
  readonly mobileNoVerified?: boolean;
  readonly dateFormat?: string;
  readonly locale?: string;
}

export interface AddressBody {
  readonly addressType: 'PRIMARY';
  readonly addressLine1: string;
  readonly addressLine2: string | null;
  readonly city: string;
  readonly stateProvince: string | null;
  readonly postalCode: string;
  readonly countryCode: string;
  readonly isActive: true;
}

export interface IdentifierBody {
  readonly documentTypeId: number;
  readonly documentKey: string;
  readonly status: 'Active';
  readonly description: null;
}

export type ClientCommand = 'verify' | 'activate' | 'undoRejection';

export interface ClientsCommandApi {
  createClient(body: CreateClientBody): Promise<Result<{ clientId: number }>>;
  /** The client with this externalId, if any. */
  findClientByExternalId(externalId: string): Promise<FineractClient | undefined>;
  getClient(clientId: string): Promise<FineractClient>;
  updateClient(clientId: string, body: UpdateClientBody): Promise<Result<CommandChanges>>;
  createAddress(clientId: string, body: AddressBody): Promise<Result<{ resourceId: number }>>;
  identifierTemplate(clientId: string): Promise<IdentifierTypeEntry[]>;
  listIdentifiers(clientId: string): Promise<FineractIdentifier[]>;
  createIdentifier(clientId: string, body: IdentifierBody): Promise<Result<{ resourceId: number }>>;
  uploadIdentifierDocument(clientId: string, identifierId: number, parts: readonly MultipartPart[]): Promise<Result<{ resourceId: number }>>;
  command(clientId: string, command: ClientCommand, body: Readonly<Record<string, unknown>>): Promise<Result<CommandChanges>>;
}

/** An API bound to one operation's logger and abort signal, over the adapter's shared dispatcher. */
export function clientsCommandApi(connection: ClientsCommandConnection, context: ApiCallContext): ClientsCommandApi {
  const http: HttpClient = createHttpClient({
    provider: connection.provider,
    baseUrl: connection.baseUrl,
    dispatcher: connection.dispatcher,
    timeoutMs: connection.timeoutMs,
    logger: context.logger,
    mapError: fineractErrorMapper(context.scrubber),
    providerCodes: FINERACT_CODES,
    scrubber: context.scrubber,
    headers: {
      Authorization: `Basic ${Buffer.from(`${connection.username}:${connection.password}`, 'utf8').toString('base64')}`,
      'Fineract-Platform-TenantId': connection.tenantId,
      Accept: 'application/json',
    },
  });
  const signal = context.signal;

  async function get<T>(path: string, schema: z.ZodType<T>, query?: HttpRequest['query']): Promise<T> {
    const response = await http.request({ method: 'GET', path, query, signal });
    return response.json(schema);
  }

  /** A write whose 400/403 the caller handles. `idempotent` marks writes made safe to repeat (see the callers). */
  async function write<T>(
    request: { method: 'POST' | 'PUT'; path: string; query?: HttpRequest['query']; idempotent: boolean } & (
      | { json: unknown; multipart?: undefined }
      | { multipart: readonly MultipartPart[]; json?: undefined }
    ),
    schema: z.ZodType<T>,
  ): Promise<Result<T>> {
    const common = {
      method: request.method,
      path: request.path,
      query: request.query,
      idempotent: request.idempotent,
      signal,
      expectStatus: [200, 201, 400, 403],
    } as const;
    const response =
      request.multipart !== undefined
        ? await http.request({ ...common, multipart: request.multipart })
        : await http.request({ ...common, json: request.json });
    if (response.status === 400 || response.status === 403) {
      return {
        ok: false,
        failure: {
          status: response.status,
          method: request.method,
          path: `/${request.path}`,
          envelope: parseFineractEnvelope(tryJson(response.body)),
        },
      };
    }
    return { ok: true, value: response.json(schema) };
  }

  const clientPath = (clientId: string): string => `v1/clients/${encodeURIComponent(clientId)}`;

  return {
    createClient(body) {
      // Made safe to repeat by lookup-before-recreate: a repeat answers 403
      // duplicate externalId, and the caller adopts the client it finds.
      return write({ method: 'POST', path: 'v1/clients', json: body, idempotent: true }, createClientResponseSchema());
    },

    async findClientByExternalId(externalId) {
      const page = await get('v1/clients', clientSearchSchema(), { externalId });
      // Some installations filter loosely; only an exact match counts.
      return (page.pageItems ?? []).find((client) => client.externalId === externalId);
    },

    getClient: (clientId) => get(clientPath(clientId), fineractClientSchema()),

    updateClient: (clientId, body) =>
      write({ method: 'PUT', path: clientPath(clientId), json: body, idempotent: true }, commandResponseSchema()).then((result) =>
        result.ok ? { ok: true, value: result.value.changes ?? {} } : result,
      ),

    // Not repeated within a call: a second PRIMARY address cannot be told apart (the
    // contract has no address listing). The caller sends it only when verify reports
    // the PRIMARY address missing, so a repeated submit never adds a second one.
    createAddress: (clientId, body) =>
      write({ method: 'POST', path: `${clientPath(clientId)}/addresses`, json: body, idempotent: false }, resourceSchema()),

    identifierTemplate: (clientId) =>
      get(`${clientPath(clientId)}/identifiers/template`, identifierTemplateSchema()).then((template) => template.allowedDocumentTypes),

    listIdentifiers: (clientId) => get(`${clientPath(clientId)}/identifiers`, identifierListSchema()),

    // Safe to repeat: one identifier per type, a repeat answers 403 duplicate and the caller adopts it.
    createIdentifier: (clientId, body) =>
      write({ method: 'POST', path: `${clientPath(clientId)}/identifiers`, json: body, idempotent: true }, resourceSchema()),

    // Not repeated within a call (a repeat would store the file twice).
    uploadIdentifierDocument: (clientId, identifierId, parts) =>
      write(
        { method: 'POST', path: `${clientPath(clientId)}/identifiers/${identifierId}/documents`, multipart: parts, idempotent: false },
        resourceSchema(),
      ),

    // Commands are made safe to repeat by their handlers: a repeat that finds
    // the work done answers 403 (invalid state / already active), which the
    // caller resolves by reading the client.
    command: (clientId, command, body) =>
      write({ method: 'POST', path: clientPath(clientId), query: { command }, json: body, idempotent: true }, commandResponseSchema()).then(
        (result) => (result.ok ? { ok: true, value: result.value.changes ?? {} } : result),
      ),
  };
}

function tryJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
