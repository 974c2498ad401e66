/**
 * An openkyc adapter for "Acme", a fictional KYC provider (its contract is in
 * ./acme-simulator.ts). It is the worked example of docs/adapter-authoring.md:
 * small, but it keeps every promise of the conformance suite
 * (./acme.conformance.test.ts).
 *
 * Acme in one paragraph: create an applicant (`POST /v1/applicants`, safe to
 * repeat with an `Idempotency-Key`), submit the data and documents in one call
 * (`POST /v1/applicants/:id/submit`), read it back (`GET /v1/applicants/:id`).
 * Review is asynchronous; Acme may ask for more documents, approves (the end:
 * no activation step) or declines (the same applicant may be submitted again).
 * Every state change is also sent as a signed webhook.
 */
import {
  KYC_PROVIDER_SPEC_VERSION,
  ProviderError,
  ValidationError,
  WebhookVerificationError,
  defaultProviderTextScrubber,
  documentedProviderCode,
  parseAdapterOptions,
  parseWebhookJson,
  providerCodeVocabulary,
  providerTextScrubber,
  validateApplication,
  verifyTimestampedHmac,
  type Application,
  type CustomerStatus,
  type KycProvider,
  type ProviderCallContext,
  type ProviderCapabilities,
  type ProviderReport,
  type Rejection,
  type Requirement,
  type WebhookParseResult,
  type WebhookRequest,
} from '@openkyc/core';
import { createHttpClient, type ErrorResponse, type ProviderErrorInfo } from '@openkyc/core/http';
import { match } from 'ts-pattern';
import type { Dispatcher } from 'undici';
import { z } from 'zod';

// #region options
/**
 * The options `acme()` takes. Validated with core's `parseAdapterOptions`, so a
 * mistake fails at construction with a `ConfigurationError` that names the key
 * and never echoes the value (`apiKey` and `webhookSecret` are secrets).
 */
export const acmeOptionsSchema = z.strictObject({
  baseUrl: z.url({ protocol: /^https?$/ }),
  apiKey: z.string().min(1),
  /** One secret, or a list while rotating (a delivery signed with any of them passes). */
  webhookSecret: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  /** Per HTTP attempt; default 10 s. The conformance suite passes a short one. */
  timeoutMs: z.number().int().positive().optional(),
  /** An undici dispatcher (proxy, mTLS, tests); used as is, never closed by the adapter. */
  dispatcher: z.custom<Dispatcher>((value) => typeof (value as Dispatcher | undefined)?.dispatch === 'function').optional(),
  /** The provider id in `createKyc`, `handleWebhook` and events. */
  id: z.string().min(1).default('acme'),
});

/** What `acme()` accepts. */
export type AcmeOptions = z.input<typeof acmeOptionsSchema>;
// #endregion options

// #region capabilities
const HOUR = 60 * 60_000;

/** What Acme accepts and how it behaves; core validates applications against it before any request. */
export const acmeCapabilities: ProviderCapabilities = {
  documentTypes: ['passport', 'drivers_license', 'proof_of_address'],
  twoSidedDocuments: ['drivers_license'],
  identityDocumentTypes: ['passport', 'drivers_license'],
  requiredFields: [],
  files: { contentTypes: ['image/jpeg', 'image/png', 'application/pdf'], maxBytes: 5 * 1024 * 1024 },
  customerTypes: ['individual'],
  activation: 'none', // approval is the end: success is `verified`
  retryAfterRejection: 'resubmit', // a declined applicant is submitted again, same record
  webhooks: true,
  needsInfo: true, // Acme can ask for more documents
  reviewTime: { synchronous: false, typicalMs: HOUR, escalateAfterMs: 24 * HOUR },
};
// #endregion capabilities

// #region responses
/** Acme's applicant states. Anything else is a state this adapter does not know yet. */
const ACME_STATES = ['new', 'in_review', 'info_required', 'approved', 'declined', 'closed'] as const;
type AcmeState = (typeof ACME_STATES)[number];

/**
 * An applicant as Acme returns it. Responses are untrusted input: parsed, never
 * cast. Unknown fields are dropped (zod's default); `state` is read as a plain
 * string so a state Acme adds later is reported precisely instead of failing the parse.
 */
const applicantSchema = z.object({
  id: z.string().min(1),
  state: z.string(),
  missing_documents: z.array(z.string()).nullish(),
  decline_reason: z.string().nullish(),
  updated_at: z.iso.datetime({ offset: true }),
});
type Applicant = z.infer<typeof applicantSchema>;

/** Acme's error envelope, `{"error":{"code","message"}}`; read leniently, it may be absent. */
const errorEnvelopeSchema = z.object({ error: z.object({ code: z.string().optional() }) });

/**
 * Acme's documented error codes: the toolkit puts a code into an error only when it is one of these (and
 * carries no submitted value); anything else shows as `[unrecognized code]`.
 */
const ACME_CODES = providerCodeVocabulary(['unauthorized', 'invalid_request', 'not_found', 'invalid_state']);

/**
 * What goes into the toolkit's error messages: Acme's error code only. Its
 * free-text `message` is not used: providers echo submitted values in them.
 */
function acmeErrorInfo(response: ErrorResponse): ProviderErrorInfo | undefined {
  const envelope = errorEnvelopeSchema.safeParse(response.json);
  return envelope.success ? { providerCode: envelope.data.error.code } : undefined;
}
// #endregion responses

// #region status-map
function isAcmeState(state: string): state is AcmeState {
  return (ACME_STATES as readonly string[]).includes(state);
}

/** Acme state → normalized status; exhaustive, so a new Acme state fails to compile until it is mapped. */
function statusOf(state: AcmeState): CustomerStatus {
  return match(state)
    .returnType<CustomerStatus>()
    .with('new', () => 'created')
    .with('in_review', () => 'pending')
    .with('info_required', () => 'needs_info')
    .with('approved', () => 'verified')
    .with('declined', () => 'rejected')
    .with('closed', () => 'deactivated')
    .exhaustive();
}
// #endregion status-map

// #region rejections
/**
 * Decline reasons → a stable code and a message an end-user may see. The reason is for operators only, and
 * scrubbed: it travels in events and logs, and providers quote the data they checked.
 */
function rejectionOf(reason: string | null | undefined): Rejection {
  const base = match(reason ?? '')
    .returnType<Omit<Rejection, 'providerReason'>>()
    .with('document_unreadable', () => ({
      code: 'document_unreadable',
      message: 'We could not read your identity document. Please upload a sharp photo of the whole document.',
      retryable: true,
    }))
    .with('document_expired', () => ({
      code: 'document_expired',
      message: 'Your identity document has expired. Please upload a valid one.',
      retryable: true,
    }))
    .with('fraud', () => ({
      code: 'fraud_suspected',
      message: 'We could not verify your identity. Please contact support.',
      retryable: false,
    }))
    .otherwise(() => ({ code: 'other', message: 'We could not verify your identity. Please check your details and try again.', retryable: true }));
  return reason ? { ...base, providerReason: defaultProviderTextScrubber.scrub(reason) } : base;
}

/** Missing documents → requirements with end-user-safe messages (never Acme's own codes). */
function requirementsOf(missing: readonly string[] | null | undefined): Requirement[] {
  return (missing ?? []).map((code) =>
    match(code)
      .returnType<Requirement>()
      .with('proof_of_address', () => ({
        kind: 'document',
        name: 'proof_of_address',
        message: 'Please upload a recent utility bill or bank statement showing your address.',
        providerCode: code,
      }))
      .otherwise(() => {
        // An unknown code is kept for operators only when it is code-shaped and carries no personal value.
        const providerCode = documentedProviderCode(code, undefined);
        return {
          kind: 'document',
          name: 'identity_document',
          message: 'Please upload another photo of your identity document.',
          ...(providerCode === undefined ? {} : { providerCode }),
        };
      }),
  );
}
// #endregion rejections

// #region report
/** One applicant → the provider-neutral report core applies. */
function reportOf(provider: string, applicant: Applicant, previousState?: string | null): ProviderReport {
  if (!isAcmeState(applicant.state)) {
    throw new ProviderError(`${provider} reported an applicant state this adapter does not know; upgrade the adapter.`, {
      provider,
      providerCode: documentedProviderCode(applicant.state, undefined),
      retryable: false,
    });
  }
  const status = statusOf(applicant.state);
  return {
    providerCustomerId: applicant.id,
    status,
    rawStatus: applicant.state,
    occurredAt: applicant.updated_at,
    // The state just before, as the webhook says: core walks through it when it missed that step (e.g. the
    // approval webhook was lost before the closure). Only for the final status, see docs/adapter-authoring.md.
    ...(status === 'deactivated' && previousState && isAcmeState(previousState) ? { previousStatus: statusOf(previousState) } : {}),
    ...(status === 'needs_info' ? { requirements: requirementsOf(applicant.missing_documents) } : {}),
    ...(status === 'rejected' ? { rejection: rejectionOf(applicant.decline_reason) } : {}),
  };
}
// #endregion report

// #region webhooks
/** The signature header, `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export const ACME_SIGNATURE_HEADER = 'acme-signature';

const webhookEventSchema = z.object({
  id: z.string().min(1),
  type: z.string(),
  created_at: z.string(),
  data: z.unknown(),
});
const stateChangedSchema = z.object({
  applicant_id: z.string().min(1),
  state: z.string(),
  previous_state: z.string().nullish(),
  missing_documents: z.array(z.string()).nullish(),
  decline_reason: z.string().nullish(),
  updated_at: z.iso.datetime({ offset: true }),
});

function parseWebhook(provider: string, request: WebhookRequest): WebhookParseResult {
  // Strict UTF-8 (no replacement characters), then JSON; either failing is `malformed_body`.
  const event = webhookEventSchema.safeParse(parseWebhookJson(request.rawBody, provider));
  if (!event.success) throw new WebhookVerificationError('malformed_body', `The ${provider} webhook body is not an Acme event; answer 400.`);
  // The event id is the same on every redelivery: the dedupe key.
  const dedupeKey = event.data.id;
  if (event.data.type !== 'applicant.state_changed') {
    return { kind: 'ignored', dedupeKey, reason: 'event type does not concern the lifecycle' };
  }
  const data = stateChangedSchema.safeParse(event.data.data);
  if (!data.success) throw new WebhookVerificationError('malformed_body', `The ${provider} state_changed event has no applicant; answer 400.`);
  if (!isAcmeState(data.data.state)) {
    // A webhook can be skipped safely: the next read (refresh / reconcile) catches up.
    return { kind: 'ignored', dedupeKey, reason: 'unknown applicant state' };
  }
  const { applicant_id: id, previous_state: previous, ...rest } = data.data;
  return { kind: 'report', dedupeKey, report: reportOf(provider, { id, ...rest }, previous) };
}
// #endregion webhooks

// #region submit-body
/** The application in Acme's shape: snake_case, documents inline as base64. */
function submitBody(application: Application): unknown {
  const { person, address } = application;
  const file = (f: { content: Uint8Array; contentType: string }) => ({
    content_type: f.contentType,
    data: Buffer.from(f.content).toString('base64'),
  });
  return {
    person: {
      first_name: person.firstName,
      last_name: person.lastName,
      date_of_birth: person.dateOfBirth,
      nationality: person.nationality,
      email: person.email,
      phone: person.phone,
    },
    address: { line1: address.line1, line2: address.line2 ?? null, city: address.city, postal_code: address.postalCode, country: address.country },
    documents: application.documents.map((document) => ({
      type: document.type,
      number: document.number ?? null,
      country: document.issuingCountry ?? null,
      front: file(document.front),
      back: document.back === undefined ? null : file(document.back),
    })),
  };
}
// #endregion submit-body

// #region factory
/** The adapter factory: `acme({ baseUrl, apiKey, webhookSecret })` → a `KycProvider`. */
export function acme(options: AcmeOptions): KycProvider {
  const config = parseAdapterOptions('acme', acmeOptionsSchema, options);
  const secrets = typeof config.webhookSecret === 'string' ? [config.webhookSecret] : config.webhookSecret;

  // One toolkit client (one connection pool) per adapter instance: retries, timeouts, typed errors.
  // It closes its own Agent on close(), never an injected dispatcher.
  const http = createHttpClient({
    provider: config.id,
    baseUrl: config.baseUrl,
    dispatcher: config.dispatcher,
    timeoutMs: config.timeoutMs,
    mapError: acmeErrorInfo,
    providerCodes: ACME_CODES,
    headers: { Authorization: `Bearer ${config.apiKey}` }, // sent to the API host only
  });
  /**
   * Per request: the operation's logger (its lines reach the platform's logger, redacted), abort signal, and
   * the scrubber of what it sends (the toolkit scrubs those values out of any provider text in its errors).
   */
  const call = (context: ProviderCallContext, scrubber = defaultProviderTextScrubber) => ({
    logger: context.logger,
    signal: context.signal,
    scrubber,
  });
  const applicantPath = (id: string) => `v1/applicants/${encodeURIComponent(id)}`;

  return {
    specificationVersion: KYC_PROVIDER_SPEC_VERSION,
    id: config.id,
    capabilities: acmeCapabilities,

    async createCustomer(input, context) {
      // A POST is retried only when made safe: Acme replays the first answer for the same key.
      const response = await http.request({
        method: 'POST',
        path: 'v1/applicants',
        idempotencyKey: context.idempotencyKey,
        json: { reference: input.providerReference, email: input.email, first_name: input.firstName, last_name: input.lastName },
        ...call(context, providerTextScrubber({ customer: input })),
      });
      return { ...reportOf(config.id, response.json(applicantSchema)), providerReference: input.providerReference };
    },

    async submit(input, context) {
      // Callable without core too: refuse what core would refuse (formats, capabilities), before any request.
      const checked = validateApplication(input.application, acmeCapabilities, { now: () => context.now(), customerType: input.type });
      if (!checked.success) throw new ValidationError(checked.issues);
      const response = await http.request({
        method: 'POST',
        path: `${applicantPath(input.providerCustomerId)}/submit`,
        idempotencyKey: context.idempotencyKey, // stable per submission: a repeat is not a second one
        json: submitBody(checked.application),
        // Scrubbed with what is actually sent: the validated application (trimmed, identifiers normalized).
        ...call(context, providerTextScrubber({ application: checked.application })),
      });
      return reportOf(config.id, response.json(applicantSchema));
    },

    async fetch(input, context) {
      const response = await http.request({ method: 'GET', path: applicantPath(input.providerCustomerId), ...call(context) });
      return reportOf(config.id, response.json(applicantSchema));
    },

    webhooks: {
      verify(request) {
        verifyTimestampedHmac({
          header: request.headers[ACME_SIGNATURE_HEADER],
          rawBody: request.rawBody,
          secrets,
          toleranceSeconds: 300,
          now: request.now,
        });
      },
      parse: (request) => parseWebhook(config.id, request),
    },

    close: () => http.close(),
  };
}
// #endregion factory
