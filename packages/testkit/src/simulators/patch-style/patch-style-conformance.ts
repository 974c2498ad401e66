import type { Application } from '@openkyc/core';
import type { ConformanceDriver } from '../../conformance/conformance-driver.js';
import { createDocumentHost, type DocumentHost } from '../../fixtures/document-host.js';
import { sampleDocument } from '../../fixtures/sample-document.js';
import { createPatchStyleSimulator, type CreatePatchStyleSimulatorOptions, type PatchStyleSimulator } from './patch-style-simulator.js';
import type { ConformanceCallFault, ConformancePrivacy } from '../../conformance/conformance-driver.js';
import type { FaultSpec } from '../shared/fault-injection.js';
import { patchStyleErrorBody } from './patch-style-errors.js';
import { patchStyleEchoFault } from './patch-style-faults.js';
import { PATCH_STYLE_REJECTION_TABLE } from './patch-style-rejection-reasons.js';
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

    // Personal data: every call of the contract an operation makes, faultable with echoing bodies and envelopes.
    privacy: patchStylePrivacy(sim),
  };
}

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
