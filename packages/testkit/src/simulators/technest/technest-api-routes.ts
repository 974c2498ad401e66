import { randomBytes } from 'node:crypto';
import type { HeaderMismatchLog } from '../shared/header-mismatches.js';
import type { SimulatorClock } from '../shared/simulator-clock.js';
import {
  createRouter,
  jsonResponse,
  parseJsonBody,
  route,
  type Route,
  type RouteHandler,
  type SimulatorHandler,
  type SimulatorRequest,
  type SimulatorResponse,
} from '../shared/simulator-server.js';
import { technestError } from './technest-errors.js';
import {
  TECHNEST_CONTENT_TYPES,
  TECHNEST_FIELDS_REQUIRED_FOR_VERIFICATION,
  TECHNEST_FILE_CATEGORIES,
  TECHNEST_FILE_SLOTS,
  customerToJson,
  isoSeconds,
  type TechnestContentType,
  type TechnestCustomerRecord,
  type TechnestFileCategory,
  type TechnestFileRecord,
  type TechnestFileSlot,
  type TechnestState,
  type TechnestStatusChange,
} from './technest-state.js';
import type { UploadUrlSigner } from './technest-storage.js';

export interface TechnestApiContext {
  readonly state: TechnestState;
  readonly clock: SimulatorClock;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokenTtlSeconds: number;
  readonly uploadUrlTtlMs: number;
  readonly storageUrl: string;
  readonly signer: UploadUrlSigner;
  /** Where refusals over a required header (token content type, bearer token) are recorded. */
  readonly headerMismatches: HeaderMismatchLog;
  /** Whether `POST /v1/customers/{id}/kyc` is enabled (see `TechnestSimulatorOptions.kycAcknowledgement`). */
  kycAcknowledgement(): TechnestKycAcknowledgement;
  /**
   * Applies reviews that are due by the clock. Called before every request: the
   * contract says status is "refreshed from the banking partner on read", so a
   * GET is current even when nobody advanced the clock through the simulator.
   */
  refreshReviews(): void;
  /** A customer entered `pending` (id_file attached): the provider announces it like any status change. */
  reviewStarted(change: TechnestStatusChange): void;
}

/**
 * The `/kyc` acknowledgement is optional in the contract, and a deployment may
 * have it switched off: `'disabled'` answers 404 like an unknown route,
 * `'method-not-allowed'` 405 as a gateway would. Either way the call is
 * documented, so it is no contract violation.
 */
export type TechnestKycAcknowledgement = 'enabled' | 'disabled' | 'method-not-allowed';

/** Known OAuth scopes. `customer:write` implies read access. */
const KNOWN_SCOPES = ['customer:write', 'customer:read'] as const;
type Scope = (typeof KNOWN_SCOPES)[number];

/** The API host's handler and the route table it serves, which is the contract's (see `technest.md`). */
export interface TechnestApiHandler {
  /** Refreshes due reviews, then routes. */
  readonly handler: SimulatorHandler;
  /** Exactly the contract's routes: anything else answers 404 and is recorded as a contract violation. */
  readonly routes: readonly Route[];
}

/** The API host: OAuth token endpoint plus the `/v1` customer and file endpoints, exactly as the contract lists them. */
export function createTechnestApiHandler(context: TechnestApiContext): TechnestApiHandler {
  const write = (handler: CustomerRouteHandler): RouteHandler => authenticated(context, 'customer:write', withCustomer(context, handler));
  const read = (handler: CustomerRouteHandler): RouteHandler => authenticated(context, 'customer:read', withCustomer(context, handler));

  const acknowledge = write((customer) => acknowledgeKyc(context, customer));
  const routes = [
    route('POST', '/oauth/token', (request) => issueToken(context, request)),
    route('POST', '/v1/customers', authenticated(context, 'customer:write', (request) => createCustomer(context, request))),
    route('GET', '/v1/customers', authenticated(context, 'customer:read', (request) => listCustomers(context, request))),
    route('GET', '/v1/customers/:id', read((customer) => jsonResponse(200, customerToJson(customer)))),
    route('PATCH', '/v1/customers/:id', write((customer, request) => updateCustomer(customer, request))),
    route('POST', '/v1/customers/:id/files', write((customer, request) => createUploadIntent(context, customer, request))),
    route('POST', '/v1/customers/:id/files/attach', write((customer, request) => attachFiles(context, customer, request))),
    route('POST', '/v1/customers/:id/kyc', (request) => {
      switch (context.kycAcknowledgement()) {
        case 'enabled':
          return acknowledge(request);
        case 'disabled':
          return routeNotFound(request);
        case 'method-not-allowed':
          return jsonResponse(405, { message: 'Method Not Allowed' }, { allow: '' });
      }
    }),
  ];
  const router = createRouter(routes, routeNotFound);

  return {
    handler: (request) => {
      context.refreshReviews();
      return router(request);
    },
    routes,
  };
}

function routeNotFound(request: SimulatorRequest): SimulatorResponse {
  return technestError('route_not_found', `No route for ${request.method} ${request.path}`);
}

// ---------------------------------------------------------------------------
// OAuth

function issueToken(context: TechnestApiContext, request: SimulatorRequest): SimulatorResponse {
  if (!(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    context.headerMismatches.record(request, 'content-type', 'is not application/x-www-form-urlencoded, as the contract requires for the token request');
    return oauthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams(request.body.toString('utf8'));
  if (form.get('grant_type') !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported');
  }
  if (form.get('client_id') !== context.clientId || form.get('client_secret') !== context.clientSecret) {
    return oauthError(401, 'invalid_client', 'Client authentication failed');
  }
  const requested = (form.get('scope') ?? 'customer:write').split(/\s+/).filter((scope) => scope !== '');
  const unknown = requested.find((scope) => !(KNOWN_SCOPES as readonly string[]).includes(scope));
  if (unknown !== undefined || requested.length === 0) {
    return oauthError(400, 'invalid_scope', `Unknown scope ${unknown ?? '(empty)'}`);
  }

  const issuedAt = context.clock.now();
  const token = `tn_at_${randomBytes(24).toString('hex')}`;
  context.state.tokens.set(token, {
    token,
    scopes: requested,
    issuedAt,
    expiresAt: new Date(issuedAt.getTime() + context.tokenTtlSeconds * 1000),
    revoked: false,
  });
  return jsonResponse(200, { access_token: token, token_type: 'Bearer', expires_in: context.tokenTtlSeconds, scope: requested.join(' ') });
}

function oauthError(status: number, error: string, description: string): SimulatorResponse {
  return jsonResponse(status, { error, error_description: description });
}

function authenticated(context: TechnestApiContext, scope: Scope, handler: RouteHandler): RouteHandler {
  return (request) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    const record = match?.[1] === undefined ? undefined : context.state.tokens.get(match[1]);
    if (!record) {
      context.headerMismatches.record(request, 'authorization', 'is not Bearer <an access token this provider issued>');
      return technestError('invalid_token', 'Missing or unknown bearer token');
    }
    if (record.revoked || context.clock.nowMs() >= record.expiresAt.getTime()) {
      return technestError('token_expired', 'The access token has expired; request a new one');
    }
    const allowed = record.scopes.includes('customer:write') || record.scopes.includes(scope);
    if (!allowed) return technestError('insufficient_scope', `This call needs the ${scope} scope`);
    return handler(request);
  };
}

// ---------------------------------------------------------------------------
// Customers

type CustomerRouteHandler = (customer: TechnestCustomerRecord, request: SimulatorRequest) => SimulatorResponse;

function withCustomer(context: TechnestApiContext, handler: CustomerRouteHandler): RouteHandler {
  return (request) => {
    const customer = context.state.customers.get(request.params.id ?? '');
    if (!customer) return technestError('customer_not_found', `No customer ${request.params.id ?? ''}`, { param: 'id' });
    return handler(customer, request);
  };
}

function createCustomer(context: TechnestApiContext, request: SimulatorRequest): SimulatorResponse {
  const body = readJsonObject(request);
  if (!body.ok) return body.response;
  const input = body.value;

  if (input.type !== 'individual' && input.type !== 'business') {
    return validationFailed('type', 'type must be "individual" or "business"');
  }
  if (!isNonEmptyString(input.customer_reference)) return validationFailed('customer_reference', 'customer_reference is required');
  const personal = parsePersonalFields(input, 'create');
  if (!personal.ok) return personal.response;

  // Unique per platform, rejected records included; the 409 also tells a client that timed out which record it made.
  const existingId = context.state.customerIdsByReference.get(input.customer_reference);
  if (existingId !== undefined) {
    return technestError('customer_reference_taken', 'A customer with this customer_reference already exists', {
      param: 'customer_reference',
      existing_customer_id: existingId,
    });
  }

  const customer: TechnestCustomerRecord = {
    id: context.state.newId('ckcust'),
    type: input.type,
    customerReference: input.customer_reference,
    status: 'created',
    email: '',
    firstName: '',
    lastName: '',
    dateOfBirth: null,
    phone: null,
    country: null,
    address: null,
    ...personal.value,
    createdAt: context.clock.now(),
    kycSubmittedAt: null,
    verifiedAt: null,
    rejectedAt: null,
    rejectionReason: null,
    files: { id_file: null, id_file_back: null, proof_of_address_file: null, liveness_check_file: null },
    reviewStartedAt: null,
  };
  context.state.customers.set(customer.id, customer);
  context.state.customerIdsByReference.set(customer.customerReference, customer.id);
  return jsonResponse(201, customerToJson(customer));
}

function listCustomers(context: TechnestApiContext, request: SimulatorRequest): SimulatorResponse {
  const reference = request.query.customer_reference;
  const customers = [...context.state.customers.values()].filter(
    (customer) => reference === undefined || customer.customerReference === reference,
  );
  return jsonResponse(200, { object: 'list', data: customers.map(customerToJson) });
}

function updateCustomer(customer: TechnestCustomerRecord, request: SimulatorRequest): SimulatorResponse {
  const locked = lockedAfterSubmission(customer);
  if (locked) return locked;
  const body = readJsonObject(request);
  if (!body.ok) return body.response;

  // type and customer_reference are fixed at create; resending the same value is tolerated.
  if (body.value.type !== undefined && body.value.type !== customer.type) return validationFailed('type', 'type cannot be changed');
  if (body.value.customer_reference !== undefined && body.value.customer_reference !== customer.customerReference) {
    return validationFailed('customer_reference', 'customer_reference cannot be changed');
  }
  const personal = parsePersonalFields(body.value, 'patch');
  if (!personal.ok) return personal.response;
  Object.assign(customer, personal.value);
  return jsonResponse(200, customerToJson(customer));
}

/** PATCH and attach are only allowed while `created`. */
function lockedAfterSubmission(customer: TechnestCustomerRecord): SimulatorResponse | undefined {
  if (customer.status === 'rejected') {
    return technestError('customer_rejected', 'The customer was rejected; create a new customer with a new customer_reference');
  }
  if (customer.status !== 'created') {
    return technestError('verification_in_progress', `The customer is ${customer.status}; its details and files are locked`);
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Files

function createUploadIntent(context: TechnestApiContext, customer: TechnestCustomerRecord, request: SimulatorRequest): SimulatorResponse {
  if (customer.type === 'business') return kybRequired();
  const body = readJsonObject(request);
  if (!body.ok) return body.response;
  const { file_category: category, filename, content_type: contentType } = body.value;

  if (!TECHNEST_FILE_CATEGORIES.includes(category as TechnestFileCategory)) {
    return validationFailed('file_category', `file_category must be one of ${TECHNEST_FILE_CATEGORIES.join(', ')}`);
  }
  if (!isNonEmptyString(filename)) return validationFailed('filename', 'filename is required');
  if (!isNonEmptyString(contentType)) return validationFailed('content_type', 'content_type is required');
  if (!TECHNEST_CONTENT_TYPES.includes(contentType as TechnestContentType)) {
    return technestError('unsupported_document', `content_type must be one of ${TECHNEST_CONTENT_TYPES.join(', ')}`, { param: 'content_type' });
  }

  const createdAt = context.clock.now();
  const file: TechnestFileRecord = {
    id: context.state.newId('file'),
    customerId: customer.id,
    category: category as TechnestFileCategory,
    filename,
    contentType: contentType as TechnestContentType,
    createdAt,
    expiresAt: new Date(createdAt.getTime() + context.uploadUrlTtlMs),
    uploadUrl: '',
  };
  file.uploadUrl = context.signer.urlFor(context.storageUrl, file);
  context.state.files.set(file.id, file);

  return jsonResponse(201, {
    object: 'file_upload_intent',
    file_id: file.id,
    upload_url: file.uploadUrl,
    expires_at: isoSeconds(file.expiresAt),
    required_headers: { 'Content-Type': file.contentType },
  });
}

function attachFiles(context: TechnestApiContext, customer: TechnestCustomerRecord, request: SimulatorRequest): SimulatorResponse {
  if (customer.type === 'business') return kybRequired();
  const locked = lockedAfterSubmission(customer);
  if (locked) return locked;
  const body = readJsonObject(request);
  if (!body.ok) return body.response;

  // Validate everything first: a failing attach must leave every slot untouched.
  const updates: Partial<Record<TechnestFileSlot, string>> = {};
  for (const slot of TECHNEST_FILE_SLOTS) {
    const fileId = body.value[slot];
    if (fileId === undefined || fileId === null) continue;
    if (!isNonEmptyString(fileId)) return validationFailed(slot, `${slot} must be a file_id string`);
    const file = context.state.files.get(fileId);
    if (!file || file.customerId !== customer.id) {
      return technestError('file_not_found', `No file ${fileId} for this customer`, { param: slot });
    }
    if (!file.upload) return technestError('file_not_uploaded', `The bytes of ${fileId} were never uploaded`, { param: slot });
    updates[slot] = fileId;
  }
  if (updates.id_file !== undefined) {
    const missing = TECHNEST_FIELDS_REQUIRED_FOR_VERIFICATION.find((field) => personalFieldValue(customer, field) === null);
    if (missing !== undefined) {
      return validationFailed(missing, `${missing} is required before verification can start (set it with PATCH /v1/customers/{id})`);
    }
  }

  Object.assign(customer.files, updates);
  // Attaching id_file means "upload complete": verification starts at once.
  if (updates.id_file !== undefined) {
    const at = context.clock.now();
    context.state.startReview(customer, at);
    context.reviewStarted({ customer: { ...customer }, previousStatus: 'created', at });
  }
  return jsonResponse(200, { object: 'customer_files', customer_id: customer.id, files: { ...customer.files } });
}

function acknowledgeKyc(context: TechnestApiContext, customer: TechnestCustomerRecord): SimulatorResponse {
  if (customer.type === 'business') return kybRequired();
  if (customer.files.id_file === null) {
    return technestError('missing_required_files', 'Attach id_file before submitting KYC', { param: 'id_file' });
  }
  // The first acknowledgement is the audit timestamp; repeats do not move it.
  customer.kycSubmittedAt ??= context.clock.now();
  return jsonResponse(200, customerToJson(customer));
}

function kybRequired(): SimulatorResponse {
  return technestError('kyb_required', 'Business customers verify through KYB onboarding; file endpoints are for individuals only');
}

// ---------------------------------------------------------------------------
// Body validation

type PersonalFields = Partial<
  Pick<TechnestCustomerRecord, 'email' | 'firstName' | 'lastName' | 'dateOfBirth' | 'phone' | 'country' | 'address'>
>;

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly response: SimulatorResponse };

/**
 * Reads the personal fields shared by create and PATCH. Unknown fields are
 * ignored (tolerated). On create, email / first_name / last_name are required.
 */
function parsePersonalFields(input: Record<string, unknown>, mode: 'create' | 'patch'): Parsed<PersonalFields> {
  const fields: PersonalFields = {};
  const requiredStrings = [
    ['email', 'email'],
    ['first_name', 'firstName'],
    ['last_name', 'lastName'],
  ] as const;
  for (const [param, key] of requiredStrings) {
    const value = input[param];
    if (value === undefined && mode === 'patch') continue;
    if (!isNonEmptyString(value)) return { ok: false, response: validationFailed(param, `${param} is required`) };
    fields[key] = value;
  }
  if (fields.email !== undefined && !/^[^@\s]+@[^@\s]+$/.test(fields.email)) {
    return { ok: false, response: validationFailed('email', 'email is not a valid e-mail address') };
  }

  const optionalStrings = [
    ['date_of_birth', 'dateOfBirth'],
    ['phone', 'phone'],
    ['country', 'country'],
  ] as const;
  for (const [param, key] of optionalStrings) {
    const value = input[param];
    if (value === undefined) continue;
    if (value !== null && !isNonEmptyString(value)) {
      return { ok: false, response: validationFailed(param, `${param} must be a string or null`) };
    }
    fields[key] = value;
  }
  if (fields.dateOfBirth && !isIsoDate(fields.dateOfBirth)) {
    return { ok: false, response: validationFailed('date_of_birth', 'date_of_birth must be YYYY-MM-DD') };
  }

  if (input.address !== undefined) {
    if (input.address !== null && !isPlainObject(input.address)) {
      return { ok: false, response: validationFailed('address', 'address must be an object or null') };
    }
    fields.address = input.address === null ? null : { ...input.address };
  }
  return { ok: true, value: fields };
}

function personalFieldValue(customer: TechnestCustomerRecord, field: (typeof TECHNEST_FIELDS_REQUIRED_FOR_VERIFICATION)[number]): unknown {
  switch (field) {
    case 'date_of_birth':
      return customer.dateOfBirth;
    case 'phone':
      return customer.phone;
    case 'country':
      return customer.country;
    case 'address':
      return customer.address;
  }
}

function readJsonObject(request: SimulatorRequest): Parsed<Record<string, unknown>> {
  const parsed = parseJsonBody(request.body);
  if (!parsed.ok) return { ok: false, response: technestError('validation_failed', 'Request body must be valid JSON') };
  if (parsed.value === undefined) return { ok: true, value: {} };
  if (!isPlainObject(parsed.value)) return { ok: false, response: technestError('validation_failed', 'Request body must be a JSON object') };
  return { ok: true, value: parsed.value };
}

function validationFailed(param: string, message: string): SimulatorResponse {
  return technestError('validation_failed', message, { param });
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}
