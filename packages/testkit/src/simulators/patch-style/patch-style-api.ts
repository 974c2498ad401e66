import { randomBytes } from 'node:crypto';
import type { HeaderMismatchLog } from '../shared/header-mismatches.js';
import type { SimulatorClock } from '../shared/simulator-clock.js';
import {
  createRouter,
  jsonResponse,
  parseJsonBody,
  route,
  type Route,
  type SimulatorHandler,
  type SimulatorRequest,
  type SimulatorResponse,
} from '../shared/simulator-server.js';
import type { PatchStyleApiKeyStore } from './patch-style-auth.js';
import { patchStyleError, UNAUTHORIZED_MESSAGE, validationFailed } from './patch-style-errors.js';
import type { IdempotencyStore } from './patch-style-idempotency.js';
import {
  isAddressProofType,
  isPlainObject,
  mergeKycData,
  missingKycFields,
  PATCH_STYLE_PROOF_OF_ADDRESS,
  validateKycDataPatch,
} from './patch-style-kyc-data.js';
import {
  createdCustomerJson,
  customerToJson,
  PATCH_STYLE_PATCHABLE_STATUSES,
  type PatchStyleCustomerRecord,
  type PatchStyleState,
  type PatchStyleStatusChange,
} from './patch-style-state.js';

/**
 * The `/api/v1` HTTP surface: bearer auth on every call, then
 * `POST /customers` (with `Idempotency-Key`), `GET /customers/:id` and
 * `PATCH /customers/:id` (`{kycData}` merge, validation, status rules).
 */
export interface PatchStyleApiContext {
  readonly state: PatchStyleState;
  readonly clock: SimulatorClock;
  readonly apiKeys: PatchStyleApiKeyStore;
  readonly idempotency: IdempotencyStore;
  /** Where refusals over the `Authorization` header are recorded (not an expired key: that is the refresh flow). */
  readonly headerMismatches: HeaderMismatchLog;
  /**
   * Called for each customer created without an `Idempotency-Key`: the
   * contract allows it, but such a create cannot be repeated safely (a repeat
   * makes a second customer), so the simulator keeps a record of them.
   */
  onKeylessCreate(customerId: string): void;
  /** `verificationLink` = `<base>/<token>`. */
  readonly verificationLinkBaseUrl: string;
  /** A status changed because of an API call (webhook it). */
  onStatusChange(change: PatchStyleStatusChange): void;
  /** A PATCH put a customer UNDER_REVIEW (a review scripted with `afterMs: 0` is due right away). */
  onReviewStarted(): void;
}

/** The API handler and the route table it serves, which is the contract's (see `patch-style.md`). */
export interface PatchStyleApiHandler {
  /** Bearer auth first (every path, known or not), then the routes. */
  readonly handler: SimulatorHandler;
  /** Exactly the contract's routes: anything else answers 404 and is recorded as a contract violation. */
  readonly routes: readonly Route[];
}

export function createPatchStyleApiHandler(context: PatchStyleApiContext): PatchStyleApiHandler {
  const routes = [
    route('POST', '/api/v1/customers', (request) => createCustomer(context, request)),
    route('GET', '/api/v1/customers/:id', (request) => getCustomer(context, request)),
    route('PATCH', '/api/v1/customers/:id', (request) => patchCustomer(context, request)),
  ];
  const router = createRouter(routes, (request) => patchStyleError('NOT_FOUND', `No route for ${request.method} ${request.path}`));

  return {
    handler: (request) => {
      if (!context.apiKeys.authorizes(request.headers.authorization)) {
        if (!context.apiKeys.expired) context.headerMismatches.record(request, 'authorization', 'is not Bearer <the configured API key>');
        return patchStyleError('UNAUTHORIZED', UNAUTHORIZED_MESSAGE);
      }
      return router(request);
    },
    routes,
  };
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function createCustomer(context: PatchStyleApiContext, request: SimulatorRequest): SimulatorResponse {
  const nowMs = context.clock.nowMs();
  const idempotencyKey = request.headers['idempotency-key']?.trim() || undefined;
  if (idempotencyKey !== undefined) {
    const replay = context.idempotency.lookup(idempotencyKey, request.body, nowMs);
    if (replay) return { ...replay.response, headers: { ...replay.response.headers, 'idempotent-replayed': 'true' } };
  }

  const parsed = parseJsonBody(request.body);
  if (!parsed.ok) return validationFailed(['body must be valid JSON']);
  if (!isPlainObject(parsed.value)) return validationFailed(['body must be a JSON object']);
  const body = parsed.value;
  const problems: string[] = [];
  if (body.type !== 'INDIVIDUAL') problems.push('type must be INDIVIDUAL');
  if (typeof body.email !== 'string' || !EMAIL_PATTERN.test(body.email.trim())) problems.push('email must be a valid e-mail address');
  for (const field of ['firstName', 'lastName'] as const) {
    const value = body[field];
    if (typeof value !== 'string' || value.trim() === '') problems.push(`${field} must be a non-empty string`);
  }
  if (problems.length > 0) return validationFailed(problems);

  const now = context.clock.now();
  const customer: PatchStyleCustomerRecord = {
    id: context.state.newId('customer'),
    type: 'INDIVIDUAL',
    status: 'CREATED',
    email: (body.email as string).trim(),
    firstName: body.firstName as string,
    lastName: body.lastName as string,
    verificationLink: `${context.verificationLinkBaseUrl}/${randomBytes(16).toString('hex')}`,
    createdAt: now,
    updatedAt: now,
    kycData: {},
    requiredDocuments: [],
    requiredFields: [],
    rejectionReason: null,
    reviewStartedAt: null,
    reviewsCompleted: 0,
    patches: 0,
  };
  context.state.customers.set(customer.id, customer);
  const response = jsonResponse(201, createdCustomerJson(customer));
  if (idempotencyKey !== undefined) context.idempotency.remember(idempotencyKey, request.body, response, nowMs);
  else context.onKeylessCreate(customer.id);
  return response;
}

function getCustomer(context: PatchStyleApiContext, request: SimulatorRequest): SimulatorResponse {
  const customer = context.state.customers.get(request.params.id ?? '');
  if (!customer) return customerNotFound(request);
  return jsonResponse(200, customerToJson(customer));
}

function patchCustomer(context: PatchStyleApiContext, request: SimulatorRequest): SimulatorResponse {
  const customer = context.state.customers.get(request.params.id ?? '');
  if (!customer) return customerNotFound(request);
  if (!PATCH_STYLE_PATCHABLE_STATUSES.includes(customer.status)) {
    const message =
      customer.status === 'UNDER_REVIEW'
        ? 'Cannot update KYC data: verification is currently in progress'
        : `Cannot update KYC data: customer is ${customer.status}`;
    return patchStyleError('PATCH_NOT_ALLOWED', message, { customerStatus: customer.status });
  }

  const parsed = parseJsonBody(request.body);
  if (!parsed.ok) return validationFailed(['body must be valid JSON']);
  if (!isPlainObject(parsed.value)) return validationFailed(['body must be a JSON object']);
  const now = context.clock.now();
  const patch = parsed.value.kycData;
  const problems = validateKycDataPatch(patch, now);
  if (problems.length > 0) return validationFailed(problems);
  const kycPatch = patch as Record<string, unknown>;

  // Documents asked for by an earlier review stay listed while the customer remains NEEDS_ADDITIONAL_INFORMATION
  // for missing fields, until a document of that kind arrives. They do not block a complete submission: the next
  // review fetches every document again (and the sandbox RFI customer passes its second review).
  const stillRequested =
    customer.status === 'NEEDS_ADDITIONAL_INFORMATION' ? customer.requiredDocuments.filter((type) => !patchProvides(kycPatch, type)) : [];
  customer.kycData = mergeKycData(customer.kycData, kycPatch);
  customer.patches += 1;

  const missing = missingKycFields(customer.kycData);
  const change =
    missing.length > 0
      ? context.state.applyStatus(customer, 'NEEDS_ADDITIONAL_INFORMATION', now, { requiredFields: missing, requiredDocuments: stillRequested })
      : context.state.applyStatus(customer, 'UNDER_REVIEW', now);
  if (change.oldStatus !== change.newStatus) context.onStatusChange(change);
  if (change.newStatus === 'UNDER_REVIEW') context.onReviewStarted();
  return jsonResponse(200, customerToJson(customer));
}

function patchProvides(kycPatch: Record<string, unknown>, requestedType: string): boolean {
  const documents = Array.isArray(kycPatch.documents) ? (kycPatch.documents as Record<string, unknown>[]) : [];
  return documents.some(
    (document) => document.type === requestedType || (requestedType === PATCH_STYLE_PROOF_OF_ADDRESS && isAddressProofType(document.type)),
  );
}

function customerNotFound(request: SimulatorRequest): SimulatorResponse {
  return patchStyleError('NOT_FOUND', `Customer ${request.params.id ?? ''} not found`);
}
