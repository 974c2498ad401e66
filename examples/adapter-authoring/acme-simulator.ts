/**
 * A simulator of "Acme", the fictional provider of ./acme-adapter.ts: a real
 * HTTP server on 127.0.0.1 (ephemeral port) built from @openkyc/testkit's
 * building blocks, with direct-call controls for tests.
 *
 * The Acme contract (what a provider's docs would say):
 * - every call: `Authorization: Bearer <api key>`; errors are `{"error":{"code","message"}}`;
 * - `POST /v1/applicants` `{reference, email, first_name, last_name}` → 201 applicant.
 *   With an `Idempotency-Key` header a repeat returns the first answer;
 * - `POST /v1/applicants/:id/submit` `{person, address, documents}` → 200 applicant
 *   `in_review`; allowed in `new`, `info_required` and `declined` (409 `invalid_state`
 *   otherwise); also idempotent by key;
 * - `GET /v1/applicants/:id` → the applicant
 *   `{id, reference, state, missing_documents?, decline_reason?, updated_at}`;
 * - `decline_reason` is `document_unreadable` or `document_expired` (the
 *   applicant can fix it and submit again) or `fraud` (final: never resubmit);
 * - every state change is POSTed to the webhook URL as
 *   `{"id":"evt_…","type":"applicant.state_changed","created_at","data":{applicant_id, state, previous_state, …}}`
 *   signed `Acme-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 */
import { randomBytes } from 'node:crypto';
import { signTimestampedHmac } from '@openkyc/core';
import {
  createFaultInjector,
  createHeaderMismatchLog,
  createRequestLog,
  createRouter,
  createSimulatorClock,
  createWebhookDispatcher,
  jsonResponse,
  parseJsonBody,
  route,
  startSimulatorServer,
  type ContractViolation,
  type FaultSpec,
  type HeaderMismatch,
  type InjectedFault,
  type RecordedRequest,
  type SimulatorClock,
  type SimulatorRequest,
  type SimulatorResponse,
  type WebhookDispatcher,
} from '@openkyc/testkit';

/** One applicant as the simulator holds it. */
export interface AcmeApplicantRecord {
  id: string;
  reference: string;
  state: 'new' | 'in_review' | 'info_required' | 'approved' | 'declined' | 'closed';
  missingDocuments: string[];
  declineReason: string | null;
  /** How many documents the last submission carried. */
  documents: number;
  updatedAt: string;
}

/** A running Acme simulator. */
export interface AcmeSimulator {
  readonly url: string;
  readonly apiKey: string;
  readonly webhookSecret: string;
  readonly clock: SimulatorClock;
  readonly webhooks: WebhookDispatcher;
  /** Review decisions, as Acme's back office makes them (advances the clock by a second first); a decline says why. */
  decide(id: string, outcome: 'approve' | 'decline' | 'request_info' | 'close', declineReason?: string): Promise<void>;
  applicant(id: string): AcmeApplicantRecord | undefined;
  /** Every applicant id, in creation order. */
  applicantIds(): string[];
  requests(): RecordedRequest[];
  /** Requests the Acme contract above does not document (unknown path or method). */
  contractViolations(): ContractViolation[];
  /** Requests refused because `Authorization` was not `Bearer <the api key>`. */
  headerMismatches(): HeaderMismatch[];
  /** A fault before the handler, or with `afterProcessing: true` after it (a lost or replaced answer). */
  injectFault(fault: FaultSpec): InjectedFault;
  close(): Promise<void>;
}

export async function createAcmeSimulator(): Promise<AcmeSimulator> {
  // #region sim-setup
  const apiKey = `acme_test_${randomBytes(8).toString('hex')}`; // random: a hard-coded key is refused
  const webhookSecret = 'acme_whsec_test';
  const clock = createSimulatorClock();
  const requestLog = createRequestLog({ now: clock.now });
  const faults = createFaultInjector();
  const headerMismatches = createHeaderMismatchLog(); // which required header a refused request got wrong
  const webhooks = createWebhookDispatcher({
    now: clock.now,
    sign: (rawBody, timestamp) => ({ 'Acme-Signature': signTimestampedHmac({ secret: webhookSecret, rawBody, timestamp }) }),
  });
  const applicants = new Map<string, AcmeApplicantRecord>();
  const replays = new Map<string, SimulatorResponse>(); // Idempotency-Key → first answer
  let nextId = 1;
  let nextEvent = 1;
  // #endregion sim-setup

  const error = (status: number, code: string) => jsonResponse(status, { error: { code, message: `Request refused: ${code}` } });
  const view = (a: AcmeApplicantRecord) => ({
    id: a.id,
    reference: a.reference,
    state: a.state,
    missing_documents: a.missingDocuments,
    decline_reason: a.declineReason,
    updated_at: a.updatedAt,
  });

  // #region sim-transition
  /** Moves an applicant and sends the webhook (awaited: handed to the target, or queued while held). */
  async function transition(a: AcmeApplicantRecord, state: AcmeApplicantRecord['state'], changes: Partial<AcmeApplicantRecord> = {}) {
    const previous = a.state;
    Object.assign(a, { missingDocuments: [], declineReason: null, ...changes, state, updatedAt: clock.now().toISOString() });
    await webhooks.dispatch({
      id: `evt_${nextEvent++}`,
      type: 'applicant.state_changed',
      created_at: a.updatedAt,
      data: { applicant_id: a.id, previous_state: previous, ...view(a) },
    });
  }
  // #endregion sim-transition

  /** Authenticates, then replays or records the answer under the request's Idempotency-Key. */
  const api =
    (handler: (request: SimulatorRequest) => Promise<SimulatorResponse> | SimulatorResponse) =>
    async (request: SimulatorRequest): Promise<SimulatorResponse> => {
      if (request.headers.authorization !== `Bearer ${apiKey}`) {
        headerMismatches.record(request, 'authorization', 'is not Bearer <the api key>');
        return error(401, 'unauthorized');
      }
      const key = request.headers['idempotency-key'];
      const replay = key === undefined ? undefined : replays.get(`${request.path}\u0000${key}`);
      if (replay !== undefined) return replay;
      const response = await handler(request);
      if (key !== undefined && response.status < 300) replays.set(`${request.path}\u0000${key}`, response);
      return response;
    };

  // #region sim-routes
  // The route table is the contract: any other request is recorded as a contract violation.
  const routes = [
    route(
      'POST',
      '/v1/applicants',
      api((request) => {
        const body = parseJsonBody(request.body);
        const input = body.ok ? (body.value as { reference?: unknown }) : undefined;
        if (typeof input?.reference !== 'string') return error(400, 'invalid_request');
        const applicant: AcmeApplicantRecord = {
          id: `app_${nextId++}`,
          reference: input.reference,
          state: 'new',
          missingDocuments: [],
          declineReason: null,
          documents: 0,
          updatedAt: clock.now().toISOString(),
        };
        applicants.set(applicant.id, applicant);
        return jsonResponse(201, view(applicant));
      }),
    ),
    route(
      'POST',
      '/v1/applicants/:id/submit',
      api(async (request) => {
        const applicant = applicants.get(request.params.id ?? '');
        if (applicant === undefined) return error(404, 'not_found');
        if (!['new', 'info_required', 'declined'].includes(applicant.state)) return error(409, 'invalid_state');
        const body = parseJsonBody(request.body);
        const documents = body.ok ? (body.value as { documents?: unknown }).documents : undefined;
        if (!Array.isArray(documents) || documents.length === 0) return error(400, 'invalid_request');
        await transition(applicant, 'in_review', { documents: documents.length });
        return jsonResponse(200, view(applicant));
      }),
    ),
    route(
      'GET',
      '/v1/applicants/:id',
      api((request) => {
        const applicant = applicants.get(request.params.id ?? '');
        return applicant === undefined ? error(404, 'not_found') : jsonResponse(200, view(applicant));
      }),
    ),
  ];
  const handler = createRouter(routes, () => error(404, 'not_found'));
  const server = await startSimulatorServer({ name: 'api', handler, requestLog, faults, contract: routes });
  // #endregion sim-routes

  // #region sim-controls
  return {
    url: server.url,
    apiKey,
    webhookSecret,
    clock,
    webhooks,
    async decide(id, outcome, declineReason = 'document_unreadable') {
      const applicant = applicants.get(id);
      if (applicant === undefined) throw new Error(`no applicant ${id}`);
      await clock.advance(1_000); // decisions happen after the submission, never at the same instant
      if (outcome === 'approve') await transition(applicant, 'approved');
      if (outcome === 'decline') await transition(applicant, 'declined', { declineReason });
      if (outcome === 'request_info') await transition(applicant, 'info_required', { missingDocuments: ['proof_of_address'] });
      if (outcome === 'close') await transition(applicant, 'closed');
    },
    applicant: (id) => applicants.get(id),
    applicantIds: () => [...applicants.keys()],
    requests: () => requestLog.requests(),
    contractViolations: () => requestLog.violations(),
    headerMismatches: () => headerMismatches.mismatches(),
    injectFault: (fault) => faults.injectFault(fault),
    async close() {
      webhooks.close();
      await server.close();
    },
  };
  // #endregion sim-controls
}
