import type { Application } from '@openkyc/core';
import { randomBytes } from 'node:crypto';
import type { ConformanceDriver, ConformanceRequestStep } from '../../conformance/conformance-driver.js';
import { conformanceStepFault } from '../../conformance/step-faults.js';
import { createDocumentHost, type DocumentHost } from '../../fixtures/document-host.js';
import { sampleDocument } from '../../fixtures/sample-document.js';
import { createPatchStyleSimulator, type CreatePatchStyleSimulatorOptions, type PatchStyleSimulator } from './patch-style-simulator.js';
import type { ConformanceCallFault, ConformancePrivacy } from '../../conformance/conformance-driver.js';
import type { FaultSpec } from '../shared/fault-injection.js';
import { patchStyleErrorBody } from './patch-style-errors.js';
import { patchStyleEchoFault } from './patch-style-faults.js';
import { PATCH_STYLE_REJECTION_TABLE } from './patch-style-rejection-reasons.js';
import { PATCH_STYLE_CUSTOMER_STATUSES, type PatchStyleCustomerStatus } from './patch-style-state.js';
import { signPatchStyleWebhook } from './patch-style-webhooks.js';

/** The patch-style simulator plus the document host its reviews fetch from. */
export interface PatchStyleConformanceSimulator {
  /** The patch-style simulator. */
  readonly sim: PatchStyleSimulator;
  /** The document host its `hostDocument` stores into, and the provider fetches from. */
  readonly documentHost: DocumentHost;
}

/** The conformance driver for the patch-style simulator. */
export async function patchStyleConformance(
  options: CreatePatchStyleSimulatorOptions = {},
): Promise<ConformanceDriver<PatchStyleConformanceSimulator>> {
  const sim = await createPatchStyleSimulator(options);
  const documentHost = await createDocumentHost({ now: () => sim.clock.now() });

  return {
    simulator: { sim, documentHost },
    now: () => sim.clock.now(),
    advanceClock: (ms) => sim.clock.advance(ms),
    application: patchStyleApplication,
    async decide(providerCustomerId, outcome) {
      // Reviews finish a little after the submission, as real ones do: two status changes
      // stamped with the same instant would leave their order undecidable.
      sim.setOutcome(
        providerCustomerId,
        outcome === 'approve'
          ? { status: 'ACTIVE', afterMs: 500 }
          : outcome === 'reject'
            ? { status: 'REJECTED', rejectionReason: 'DOCUMENT_EXPIRED', afterMs: 500 }
            : { status: 'NEEDS_ADDITIONAL_INFORMATION', requiredDocuments: ['PROOF_OF_ADDRESS'], afterMs: 500 },
      );
      await sim.clock.advance(1_000);
      await sim.settled();
    },
    async deactivate(providerCustomerId) {
      await sim.deactivate(providerCustomerId);
      await sim.settled();
    },
    requests: () => sim.requests(),
    contractViolations: () => sim.contractViolations(),
    // Documents are hosted by the platform and fetched by the provider: no credentials go anywhere else.
    credentialLeaks: () => documentHost.requests().filter((request) => request.headers.authorization !== undefined),
    inspect(providerCustomerId) {
      const customer = sim.customer(providerCustomerId);
      if (customer === undefined) return undefined;
      const documents = (customer.kycData as { documents?: unknown[] }).documents;
      return { status: customer.status, documents: Array.isArray(documents) ? documents.length : 0 };
    },
    injectFetchFault(fault) {
      sim.injectFault({ method: 'GET', path: '/api/v1/customers/:id', ...fault });
    },
    retries: {
      steps: PATCH_STYLE_REQUEST_STEPS,
      inject: (step, fault) => sim.injectFault(conformanceStepFault(step, fault, INTERNAL_ERROR)),
      records: () => sim.customers().map((customer) => customer.id),
    },
    headerMismatches: () => sim.headerMismatches(),
    webhooks: {
      setTarget: (url) => sim.setWebhookTarget(url),
      hold: () => sim.webhooks.hold(),
      async release(releaseOptions) {
        await sim.webhooks.release(releaseOptions);
      },
      settled: () => sim.webhooks.settled(),
      deliveries: () => sim.webhooks.deliveries().map((delivery) => ({ body: delivery.payload, headers: delivery.headers })),
      sign(body, signOptions = {}) {
        const id = webhookEventId(body) ?? 'evt_conformance';
        return signPatchStyleWebhook({
          id,
          timestamp: signOptions.timestamp ?? sim.clock.now(),
          body,
          secret: signOptions.secret ?? sim.webhookSecrets(),
        });
      },
    },
    async close() {
      await sim.close();
      await documentHost.close();
    },

    // Rejection reasons: the contract's `rejectionReason` codes (one webhook shape; its `reason` is optional).
    rejectionReasons: PATCH_STYLE_REJECTION_TABLE,
    rejectionWebhookMayOmitReason: true,
    async rejectWith(providerCustomerId, reason, rejectOptions = {}) {
      const announced = sim.webhookRejectionReason;
      if (rejectOptions.withoutReason === true) sim.webhookRejectionReason = 'omitted';
      try {
        sim.setOutcome(providerCustomerId, { status: 'REJECTED', rejectionReason: reason, afterMs: 500 });
        await sim.clock.advance(1_000);
        await sim.settled();
      } finally {
        sim.webhookRejectionReason = announced;
      }
    },
    // The "dedupe keys" and "status mapping" groups.
    // Standard Webhooks: `webhook-id` names the message (the delivery); the body's `id` names the event.
    // The same event sent again as a new message carries a new `webhook-id`.
    redeliver: (delivery, at) =>
      signPatchStyleWebhook({ id: `msg_${randomBytes(12).toString('hex')}`, timestamp: at, body: delivery.body, secret: sim.webhookSecrets() }),
    statuses: {
      // patch-style.md "Statuses", mapped as in DESIGN.md's table.
      table: {
        CREATED: 'created',
        UNDER_REVIEW: 'pending',
        NEEDS_ADDITIONAL_INFORMATION: 'needs_info',
        ACTIVE: 'active',
        REJECTED: 'rejected',
        DEACTIVATED: 'deactivated',
      },
      created: 'CREATED',
      // A complete PATCH starts the review. The provider moves a record back to UNDER_REVIEW when the
      // end-user answers (or tries again after a rejection) at its verification link, asks again after
      // approval (re-verification) and may reject after approval (fraud found later).
      walks: [
        ['UNDER_REVIEW', 'NEEDS_ADDITIONAL_INFORMATION', 'UNDER_REVIEW', 'ACTIVE', 'DEACTIVATED'],
        ['UNDER_REVIEW', 'REJECTED', 'UNDER_REVIEW', 'ACTIVE'],
        ['UNDER_REVIEW', 'ACTIVE', 'NEEDS_ADDITIONAL_INFORMATION', 'UNDER_REVIEW', 'ACTIVE', 'REJECTED'],
      ],
      async moveTo(providerCustomerId, status) {
        if (!(PATCH_STYLE_CUSTOMER_STATUSES as readonly string[]).includes(status)) throw new Error(`patch-style has no status '${status}'`);
        const next = status as PatchStyleCustomerStatus;
        if (next === 'DEACTIVATED') await sim.deactivate(providerCustomerId);
        else
          await sim.forceStatus(providerCustomerId, {
            status: next,
            ...(next === 'NEEDS_ADDITIONAL_INFORMATION' ? { requiredDocuments: ['PROOF_OF_ADDRESS'] } : {}),
            ...(next === 'REJECTED' ? { rejectionReason: 'DOCUMENT_EXPIRED' } : {}),
          });
        await sim.settled();
      },
    },

    // Personal data: every call of the contract an operation makes, faultable with echoing bodies and envelopes.
    privacy: patchStylePrivacy(sim),
  };
}

/**
 * What `patch-style.md` makes of repeating each request. A create is safe
 * only with an `Idempotency-Key` (a repeat within 24 h returns the first
 * customer; without a key it makes a second one, which the simulator records
 * in `keylessCreates()`). A PATCH merges, so sending the same data again
 * changes nothing — but a PATCH that completed the data moved the customer to
 * UNDER_REVIEW, where a repeat is refused: the adapter looks before repeating.
 */
const PATCH_STYLE_REQUEST_STEPS: readonly ConformanceRequestStep[] = [
  { method: 'POST', path: '/api/v1/customers', repeat: 'safe', idempotencyKeyHeader: 'Idempotency-Key' },
  { method: 'GET', path: '/api/v1/customers/:id', repeat: 'safe' },
  { method: 'PATCH', path: '/api/v1/customers/:id', repeat: 'safe' },
];

const INTERNAL_ERROR = { status: 503, body: { ...patchStyleErrorBody('INTERNAL_ERROR', 'Service temporarily unavailable; please retry', { statusCode: 503 }) } };


/** The event id the signature covers; also from a body that is not JSON (the suite signs broken bodies too). */
function webhookEventId(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { id?: string }).id;
  } catch {
    return /"id"\s*:\s*"([^"]*)"/.exec(body)?.[1];
  }
}

/** Patch-style's calls by operation: submit and a resubmission after a rejection are one PATCH of `kycData`. */
function patchStylePrivacy(sim: PatchStyleSimulator): ConformancePrivacy {
  return {
    calls: [
      { operation: 'createCustomer', method: 'POST', path: '/api/v1/customers' },
      { operation: 'submit', method: 'PATCH', path: '/api/v1/customers/:id' },
      { operation: 'refresh', method: 'GET', path: '/api/v1/customers/:id' },
      { operation: 'retry', method: 'PATCH', path: '/api/v1/customers/:id' },
    ],
    inject: (call, fault) => sim.injectFault(patchStyleFault({ method: call.method, path: call.path, times: fault.times ?? Number.POSITIVE_INFINITY }, fault)),
  };
}

function patchStyleFault(target: { method: string; path: string; times: number }, fault: ConformanceCallFault): FaultSpec {
  switch (fault.kind) {
    case 'echo':
      return patchStyleEchoFault({ ...target, status: fault.status });
    case 'envelope':
      return {
        server: 'api',
        ...target,
        status: fault.status,
        body: {
          ...(fault.status >= 500
            ? patchStyleErrorBody('INTERNAL_ERROR', 'Internal server error', { statusCode: fault.status })
            : patchStyleErrorBody('BAD_REQUEST', 'Validation failed: request is invalid', { statusCode: fault.status })),
        },
      };
    case 'reset':
      return { server: 'api', ...target, reset: true };
    case 'latency':
      return { server: 'api', ...target, latencyMs: fault.ms };
  }
}

/** A complete application: profile, identifier, US address with state code, a passport and a proof of address. */
export function patchStyleApplication(): Application {
  return {
    person: {
      firstName: 'Jane',
      lastName: 'Smith',
      dateOfBirth: '1990-05-15',
      nationality: 'US',
      email: 'jane@example.com',
      phone: '+14155551234',
    },
    address: { line1: '1 Main Street', city: 'San Francisco', state: 'California', stateCode: 'CA', postalCode: '94105', country: 'US' },
    identifiers: [{ type: 'ssn', value: '123-45-6789', issuingCountry: 'US' }],
    documents: [
      { type: 'passport', number: '533380006', issuingCountry: 'US', expiresOn: '2033-04-30', front: sampleDocument('passport', 'image/jpeg') },
      { type: 'proof_of_address', front: sampleDocument('proof_of_address', 'application/pdf') },
    ],
    profile: {
      employmentStatus: 'employed',
      occupation: 'Engineer',
      sourceOfFunds: 'employment',
      accountPurpose: 'personal_use',
      expectedMonthlyVolumeUsd: 'under_10k',
      isIntermediary: false,
    },
  };
}
