import { randomBytes } from 'node:crypto';
import type { Application } from '@openkyc/core';
import type { ConformanceDriver, ConformanceRequestStep } from '../../conformance/conformance-driver.js';
import { conformanceStepFault } from '../../conformance/step-faults.js';
import { sampleDocument } from '../../fixtures/sample-document.js';
import type { ConformanceCallFault, ConformancePrivacy } from '../../conformance/conformance-driver.js';
import type { FaultSpec } from '../shared/fault-injection.js';
import { technestErrorBody } from './technest-errors.js';
import { technestEchoFault, technestServerErrorFault } from './technest-faults.js';
import { TECHNEST_REJECTION_TABLE } from './technest-rejection-reasons.js';
import { signTechnestWebhook, TECHNEST_SIGNATURE_HEADER, TECHNEST_WEBHOOK_SHAPES, type TechnestWebhookShape } from './technest-webhooks.js';
import { createTechnestSimulator, type TechnestSimulator, type TechnestSimulatorOptions } from './technest-simulator.js';

/**
 * The conformance driver for the Technest simulator: starts one and exposes it
 * in the suite's provider-neutral terms. The OAuth client id is random, so an
 * adapter must send the configured one.
 */
export async function technestConformance(options: TechnestSimulatorOptions = {}): Promise<ConformanceDriver<TechnestSimulator>> {
  // Reviews never finish on their own: the suite decides them.
  const sim = await createTechnestSimulator({
    reviewDelayMs: Number.POSITIVE_INFINITY,
    announceReviewStart: true,
    clientId: `tn_client_${randomBytes(6).toString('hex')}`,
    ...options,
  });

  return {
    simulator: sim,
    now: () => sim.clock.now(),
    advanceClock: (ms) => sim.clock.advance(ms),
    application: technestApplication,
    async decide(providerCustomerId, outcome) {
      if (outcome === 'needs_info') throw new Error('Technest has no needs-info state: a bad document ends in rejected');
      sim.setOutcome(
        providerCustomerId,
        outcome === 'approve' ? { status: 'verified', afterMs: 500 } : { status: 'rejected', reason: 'ID document unreadable', afterMs: 500 },
      );
      await sim.clock.advance(1_000);
    },
    requests: () => sim.requests(),
    contractViolations: () => sim.contractViolations(),
    credentialLeaks: () => sim.requests().filter((request) => request.server === 'storage' && request.headers.authorization !== undefined),
    inspect(providerCustomerId) {
      const customer = sim.getCustomer(providerCustomerId);
      if (customer === undefined) return undefined;
      return { status: customer.status, documents: Object.values(customer.files).filter((file) => file !== null).length };
    },
    injectFetchFault(fault) {
      sim.injectFault({ method: 'GET', path: '/v1/customers/:id', server: 'api', ...fault });
    },
    webhooks: {
      setTarget: (url) => sim.setWebhookTarget(url),
      hold: () => sim.webhooks.hold(),
      async release(releaseOptions) {
        await sim.webhooks.release(releaseOptions);
      },
      settled: () => sim.webhooks.settled(),
      deliveries: () => sim.webhooks.deliveries().map((delivery) => ({ body: delivery.payload, headers: delivery.headers })),
      sign(body, signOptions = {}) {
        const at = signOptions.timestamp ?? sim.clock.now();
        return {
          [TECHNEST_SIGNATURE_HEADER.toLowerCase()]: signTechnestWebhook(signOptions.secret ?? sim.webhookSecrets, body, at.getTime() / 1000),
        };
      },
    },
    retries: {
      steps: TECHNEST_REQUEST_STEPS,
      inject: (step, fault) =>
        sim.injectFault(conformanceStepFault(step, fault, step.server === 'storage' ? STORAGE_UNAVAILABLE : API_UNAVAILABLE)),
      records: () => sim.listCustomers().map((customer) => customer.id),
    },
    headerMismatches: () => sim.headerMismatches(),
    credentials: {
      expire: () => sim.expireTokens(),
      issued: () => sim.requests().filter((request) => request.method === 'POST' && request.path === '/oauth/token').length,
    },
    close: () => sim.close(),

    // Rejection reasons: free text from the upstream rail, in each of the three webhook shapes.
    rejectionReasons: TECHNEST_REJECTION_TABLE,
    rejectionWebhookShapes: TECHNEST_WEBHOOK_SHAPES,
    // The contract shows the current shape's data without `rejection_reason`.
    rejectionWebhookMayOmitReason: true,
    async rejectWith(providerCustomerId, reason, rejectOptions = {}) {
      const { webhookShape, webhookRejectionReason } = sim;
      if (rejectOptions.webhookShape !== undefined) sim.webhookShape = technestShape(rejectOptions.webhookShape);
      if (rejectOptions.withoutReason === true) sim.webhookRejectionReason = 'omitted';
      try {
        sim.setOutcome(providerCustomerId, { status: 'rejected', reason, afterMs: 500 });
        await sim.clock.advance(1_000);
      } finally {
        sim.webhookShape = webhookShape;
        sim.webhookRejectionReason = webhookRejectionReason;
      }
    },
    // The "dedupe keys" and "status mapping" groups.
    // Technest's scheme has no delivery id: a retry is the same body signed with a new `t=`.
    redeliver: (delivery, at) => ({ [TECHNEST_SIGNATURE_HEADER.toLowerCase()]: signTechnestWebhook(sim.webhookSecrets, delivery.body, at.getTime() / 1000) }),
    webhookShapes: {
      names: TECHNEST_WEBHOOK_SHAPES,
      use(name) {
        if (!(TECHNEST_WEBHOOK_SHAPES as readonly string[]).includes(name)) throw new Error(`Technest has no webhook shape '${name}'`);
        sim.webhookShape = name as TechnestWebhookShape;
      },
    },
    statuses: {
      // technest.md: `created` → `pending` → `verified` | `rejected`; no needs-info, no activation.
      table: { created: 'created', pending: 'pending', verified: 'verified', rejected: 'rejected' },
      created: 'created',
      // Attaching the identity document (the submission) starts the review; the review decides.
      walks: [
        ['pending', 'verified'],
        ['pending', 'rejected'],
      ],
      async moveTo(providerCustomerId, status) {
        if (status !== 'verified' && status !== 'rejected') throw new Error(`Technest reaches '${status}' only through the API, not a review`);
        const startedAt = sim.getCustomer(providerCustomerId)?.reviewStartedAt;
        if (startedAt === null || startedAt === undefined) throw new Error(`Technest customer ${providerCustomerId} is not under review`);
        // The review ends half a second from now, whenever it started.
        const afterMs = sim.clock.nowMs() - startedAt.getTime() + 500;
        sim.setOutcome(providerCustomerId, status === 'verified' ? { status, afterMs } : { status, reason: 'ID document unreadable', afterMs });
        await sim.clock.advance(1_000);
      },
    },

    // Personal data: every call of the contract an operation makes, faultable with echoing bodies and envelopes.
    privacy: technestPrivacy(sim),
  };
}

/**
 * What `technest.md` makes of repeating each request: all of them are safe.
 * A token is just issued again; a create repeated after a lost response gets
 * 409 `customer_reference_taken` naming the record it made (which the adapter
 * adopts); PATCH merges the same values; a repeated upload intent only leaves
 * an unused one; a PUT stores the same bytes again; a repeated attach finds
 * the customer pending (409 `verification_in_progress`: done); repeating the
 * acknowledgement does not move its timestamp.
 */
const TECHNEST_REQUEST_STEPS: readonly ConformanceRequestStep[] = [
  { method: 'POST', path: '/oauth/token', server: 'api', repeat: 'safe' },
  { method: 'POST', path: '/v1/customers', server: 'api', repeat: 'safe' },
  { method: 'GET', path: '/v1/customers', server: 'api', repeat: 'safe' },
  { method: 'GET', path: '/v1/customers/:id', server: 'api', repeat: 'safe' },
  { method: 'PATCH', path: '/v1/customers/:id', server: 'api', repeat: 'safe' },
  { method: 'POST', path: '/v1/customers/:id/files', server: 'api', repeat: 'safe' },
  { method: 'POST', path: '/v1/customers/:id/files/attach', server: 'api', repeat: 'safe' },
  { method: 'POST', path: '/v1/customers/:id/kyc', server: 'api', repeat: 'safe' },
  { method: 'PUT', path: '/uploads/:fileId', server: 'storage', repeat: 'safe' },
];

const API_UNAVAILABLE = { status: 503, body: technestErrorBody('upstream_unavailable', 'The upstream banking partner is unavailable') };
const STORAGE_UNAVAILABLE = {
  status: 503,
  headers: { 'content-type': 'application/xml' },
  body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
};


/** Technest's calls by operation (a retry after a rejection creates a new customer, then submits). */
function technestPrivacy(sim: TechnestSimulator): ConformancePrivacy {
  const submitCalls = [
    { method: 'PATCH', path: '/v1/customers/:id' },
    { method: 'POST', path: '/v1/customers/:id/files' },
    { method: 'POST', path: '/v1/customers/:id/files/attach' },
    { method: 'POST', path: '/v1/customers/:id/kyc' },
  ];
  return {
    calls: [
      { operation: 'createCustomer', method: 'POST', path: '/v1/customers' },
      ...submitCalls.map((call) => ({ operation: 'submit' as const, ...call })),
      { operation: 'refresh', method: 'GET', path: '/v1/customers/:id' },
      { operation: 'retry', method: 'POST', path: '/v1/customers' },
      { operation: 'retry', method: 'PATCH', path: '/v1/customers/:id' },
    ],
    inject: (call, fault) => sim.injectFault(technestFault({ method: call.method, path: call.path, times: fault.times ?? Number.POSITIVE_INFINITY }, fault)),
  };
}

function technestFault(target: { method: string; path: string; times: number }, fault: ConformanceCallFault): FaultSpec {
  switch (fault.kind) {
    case 'echo':
      return technestEchoFault({ ...target, status: fault.status });
    case 'envelope':
      return fault.status >= 500
        ? technestServerErrorFault({ ...target, code: fault.status === 503 ? 'upstream_unavailable' : 'internal_error' })
        : { server: 'api', ...target, status: fault.status, body: technestErrorBody('validation_failed', 'The request is invalid') };
    case 'reset':
      return { server: 'api', ...target, reset: true };
    case 'latency':
      return { server: 'api', ...target, latencyMs: fault.ms };
  }
}

function technestShape(shape: string): TechnestWebhookShape {
  const known = TECHNEST_WEBHOOK_SHAPES.find((candidate) => candidate === shape);
  if (known === undefined) throw new Error(`Technest has no webhook shape '${shape}' (${TECHNEST_WEBHOOK_SHAPES.join(', ')})`);
  return known;
}

/** A complete individual application with every Technest slot filled. */
export function technestApplication(): Application {
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
      {
        type: 'passport',
        number: '533380006',
        issuingCountry: 'GB',
        expiresOn: '2033-04-30',
        front: sampleDocument('passport', 'image/jpeg'),
      },
      { type: 'proof_of_address', front: sampleDocument('proof_of_address', 'application/pdf') },
      { type: 'selfie', front: sampleDocument('selfie', 'image/png') },
    ],
  };
}
