/**
 * The conformance driver for the Acme simulator: what the shared suite needs
 * from a provider, in provider-neutral terms (see `ConformanceDriver` in
 * @openkyc/testkit). Optional members are capabilities: Acme's credentials
 * never expire, so `credentials` is left out and that scenario is skipped.
 * `rejectionReasons` is data taken from Acme's contract: the suite drives
 * each reason through the simulator and checks the adapter's classification.
 * Acme has one webhook shape and no delivery id, so `webhookShapes` and
 * `redeliver` are left out too (the suite re-signs with `webhooks.sign`).
 * `retries` is the contract's rule for repeating each request: the suite
 * faults every one of them (5xx, reset, lost response).
 */
import type { Application } from '@openkyc/core';
import {
  asCodeSegment,
  conformanceStepFault,
  echoedValues,
  echoSentence,
  sampleDocument,
  type ConformanceCallFault,
  type ConformanceDriver,
  type ConformanceProviderCall,
  type FaultSpec,
} from '@openkyc/testkit';
import { signTimestampedHmac } from '@openkyc/core';
import { createAcmeSimulator, type AcmeSimulator } from './acme-simulator.js';

// #region driver
export async function acmeConformance(): Promise<ConformanceDriver<AcmeSimulator>> {
  const sim = await createAcmeSimulator();
  return {
    simulator: sim,
    now: () => sim.clock.now(),
    advanceClock: (ms) => sim.clock.advance(ms),
    application: acmeApplication,
    async decide(id, outcome) {
      await sim.decide(id, outcome === 'approve' ? 'approve' : outcome === 'reject' ? 'decline' : 'request_info');
    },
    deactivate: (id) => sim.decide(id, 'close'),
    requests: () => sim.requests(),
    contractViolations: () => sim.contractViolations(),
    credentialLeaks: () => [], // Acme has no second host (no pre-signed storage) to leak credentials to
    inspect(id) {
      const applicant = sim.applicant(id);
      return applicant && { status: applicant.state, documents: applicant.documents };
    },
    injectFetchFault: (fault) => sim.injectFault({ method: 'GET', path: '/v1/applicants/:id', ...fault }),
    // What Acme's contract makes of repeating each request: creates and submits carry an Idempotency-Key.
    retries: {
      steps: [
        { method: 'POST', path: '/v1/applicants', repeat: 'safe', idempotencyKeyHeader: 'Idempotency-Key' },
        { method: 'POST', path: '/v1/applicants/:id/submit', repeat: 'safe', idempotencyKeyHeader: 'Idempotency-Key' },
        { method: 'GET', path: '/v1/applicants/:id', repeat: 'safe' },
      ],
      inject: (step, fault) =>
        sim.injectFault(conformanceStepFault(step, fault, { status: 503, body: { error: { code: 'unavailable', message: 'Try again' } } })),
      records: () => sim.applicantIds(),
    },
    headerMismatches: () => sim.headerMismatches(),
    webhooks: {
      setTarget: (url) => sim.webhooks.setWebhookTarget(url),
      hold: () => sim.webhooks.hold(),
      release: async (options) => void (await sim.webhooks.release(options)),
      settled: () => sim.webhooks.settled(),
      deliveries: () => sim.webhooks.deliveries().map((delivery) => ({ body: delivery.payload, headers: delivery.headers })),
      sign: (body, options = {}) => ({
        'acme-signature': signTimestampedHmac({
          secret: options.secret ?? sim.webhookSecret,
          rawBody: body,
          timestamp: Math.floor((options.timestamp ?? sim.clock.now()).getTime() / 1000),
        }),
      }),
    },
    close: () => sim.close(),
    // Every decline reason of Acme's contract, with whether a new submission can succeed.
    rejectionReasons: [
      { providerReason: 'document_unreadable', retryable: true, code: 'document_unreadable' },
      { providerReason: 'document_expired', retryable: true, code: 'document_expired' },
      { providerReason: 'fraud', retryable: false, code: 'fraud_suspected' },
    ],
    rejectWith: (id, reason) => sim.decide(id, 'decline', reason),
    // Every state Acme documents, what it means for openkyc, and how the back office reaches it.
    statuses: {
      table: { new: 'created', in_review: 'pending', info_required: 'needs_info', approved: 'verified', declined: 'rejected', closed: 'deactivated' },
      created: 'new',
      walks: [
        ['in_review', 'info_required'],
        ['in_review', 'approved', 'closed'],
        ['in_review', 'declined'],
      ],
      async moveTo(id, state) {
        const outcomes = { approved: 'approve', declined: 'decline', info_required: 'request_info', closed: 'close' } as const;
        if (!(state in outcomes)) throw new Error(`Acme reaches '${state}' only through the API`);
        await sim.decide(id, outcomes[state as keyof typeof outcomes]);
      },
    },
    // Every call of Acme's contract by operation, so the privacy group can fault each while canary data goes through.
    privacy: {
      calls: [
        { operation: 'createCustomer', method: 'POST', path: '/v1/applicants' },
        { operation: 'submit', method: 'POST', path: '/v1/applicants/:id/submit' },
        { operation: 'refresh', method: 'GET', path: '/v1/applicants/:id' },
        { operation: 'retry', method: 'POST', path: '/v1/applicants/:id/submit' },
      ],
      inject: (call, fault) => sim.injectFault(acmeFault(call, fault)),
    },
  };
}

/** A complete application Acme accepts. The suite swaps in its own canary values for the sensitive fields. */
export function acmeApplication(): Application {
  return {
    person: {
      firstName: 'Jane',
      lastName: 'Smith',
      dateOfBirth: '1990-05-15',
      nationality: 'GB',
      email: 'jane@example.com',
      phone: '+447911123456',
    },
    address: { line1: '1 High St', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
    documents: [
      { type: 'passport', number: '533380006', issuingCountry: 'GB', expiresOn: '2033-04-30', front: sampleDocument('passport', 'image/jpeg') },
      { type: 'proof_of_address', front: sampleDocument('proof_of_address', 'application/pdf') },
    ],
  };
}
// #endregion driver

/**
 * A fault on one Acme call, in Acme's error envelope `{"error":{"code","message"}}`:
 * `echo` is a careless provider's answer, every sent value in the code and the message.
 */
function acmeFault(call: ConformanceProviderCall, fault: ConformanceCallFault): FaultSpec {
  const target = { server: 'api', method: call.method, path: call.path, times: fault.times ?? Number.POSITIVE_INFINITY };
  switch (fault.kind) {
    case 'echo':
      return {
        ...target,
        status: fault.status,
        body: (request) => {
          const values = echoedValues(request);
          return { error: { code: asCodeSegment(values.join(' ')), message: `Refused ${echoSentence(values)}` } };
        },
      };
    case 'envelope':
      return { ...target, status: fault.status, body: { error: { code: fault.status >= 500 ? 'internal_error' : 'invalid_request', message: 'Request refused' } } };
    case 'reset':
      return { ...target, reset: true };
    case 'latency':
      return { ...target, latencyMs: fault.ms };
  }
}
