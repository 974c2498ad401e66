import { randomBytes } from 'node:crypto';
import type { Application } from '@openkyc/core';
import type { ConformanceDriver, ConformanceRequestStep } from '../../conformance/conformance-driver.js';
import { conformanceStepFault } from '../../conformance/step-faults.js';
import { sampleDocument } from '../../fixtures/sample-document.js';
import type { ConformanceCallFault, ConformancePrivacy } from '../../conformance/conformance-driver.js';
import type { FaultSpec } from '../shared/fault-injection.js';
import { clientsCommandEchoFault } from './clients-command-faults.js';
import { CLIENTS_COMMAND_REJECTION_TABLE, clientsCommandRejectionCodeValues } from './clients-command-rejection-reasons.js';
import { createClientsCommandSimulator, type ClientsCommandSimulator, type ClientsCommandSimulatorOptions } from './clients-command-simulator.js';

/**
 * The conformance driver for the clients-command simulator. Verification is
 * synchronous (approval happens inside submit), there are no webhooks, and
 * `reject` / `deactivate` are back-office actions seen only by polling. The
 * tenant, user and password are random for each simulator, so an adapter must
 * send the configured ones (never Fineract's demo `default` / `mifos`).
 */
export async function clientsCommandConformance(
  options: ClientsCommandSimulatorOptions = {},
): Promise<ConformanceDriver<ClientsCommandSimulator>> {
  // The tenant's rejection reasons are the documented table (code values are configured per tenant).
  const sim = await createClientsCommandSimulator({
    rejectionReasons: clientsCommandRejectionCodeValues(),
    tenantId: `tenant-${randomBytes(4).toString('hex')}`,
    username: `user-${randomBytes(4).toString('hex')}`,
    password: randomBytes(12).toString('base64url'),
    ...options,
  });

  return {
    simulator: sim,
    now: () => sim.clock.now(),
    advanceClock: (ms) => sim.clock.advance(ms),
    application: clientsCommandApplication,
    incompleteApplication: () => {
      // The platform has not confirmed e-mail and phone: verify answers with those rule violations.
      const { contactVerified: _omitted, ...rest } = clientsCommandApplication();
      return rest;
    },
    async decide(providerCustomerId, outcome) {
      if (outcome === 'needs_info') throw new Error('clients-command decides needs_info from the data: use incompleteApplication()');
      if (outcome === 'reject') sim.reject(Number(providerCustomerId), 'Identity could not be verified');
      // Approval already happened inside submit (synchronous verify).
    },
    async deactivate(providerCustomerId) {
      sim.closeClient(Number(providerCustomerId));
    },
    requests: () => sim.requests(),
    contractViolations: () => sim.contractViolations(),
    credentialLeaks: () => [],
    inspect(providerCustomerId) {
      const client = sim.getClient(Number(providerCustomerId));
      if (client === undefined) return undefined;
      return { status: client.status, documents: client.identifiers.reduce((sum, identifier) => sum + identifier.documents.length, 0) };
    },
    injectFetchFault(fault) {
      sim.injectFault({ method: 'GET', path: '/v1/clients/:id', ...fault });
    },
    retries: {
      steps: CLIENTS_COMMAND_REQUEST_STEPS,
      // A 5xx without a body gets Fineract's envelope from the simulator.
      inject: (step, fault) => sim.injectFault(conformanceStepFault(step, fault, { status: 503 })),
      records: () => sim.listClients().map((client) => String(client.id)),
    },
    headerMismatches: () => sim.headerMismatches(),
    close: () => sim.close(),

    // Rejection reasons: the back office's configured names; no webhooks, so openkyc sees them by polling.
    rejectionReasons: CLIENTS_COMMAND_REJECTION_TABLE,
    async rejectWith(providerCustomerId, reason) {
      sim.reject(Number(providerCustomerId), reason);
    },
    // The "status mapping" group (no webhooks: every change is read by polling).
    statuses: {
      // clients-command.md status ids with DESIGN.md's mapping: verify is synchronous (no `pending`).
      table: {
        '100 Pending': 'created',
        '100 Pending + Verified': 'verified',
        '300 Active': 'active',
        '600 Closed': 'deactivated',
        '700 Rejected': 'rejected',
        '800 Withdrawn': 'deactivated',
      },
      created: '100 Pending',
      // A submission verifies the client. The back office may reject or withdraw a Pending client at any
      // time, activate a verified one (as the platform's activate command does) and close an Active one.
      walks: [
        ['100 Pending', '700 Rejected'],
        ['100 Pending', '800 Withdrawn'],
        ['100 Pending + Verified', '300 Active', '600 Closed'],
        ['100 Pending + Verified', '700 Rejected'],
        ['100 Pending + Verified', '800 Withdrawn'],
      ],
      async moveTo(providerCustomerId, status) {
        const clientId = Number(providerCustomerId);
        if (status === '300 Active') sim.activate(clientId);
        else if (status === '600 Closed') sim.closeClient(clientId);
        else if (status === '700 Rejected') sim.reject(clientId, 'Identity could not be verified');
        else if (status === '800 Withdrawn') sim.withdraw(clientId);
        else throw new Error(`clients-command reaches '${status}' only through the API`);
      },
    },

    // Personal data: every call of the contract an operation makes, faultable with echoing bodies and envelopes.
    privacy: clientsCommandPrivacy(sim),
  };
}

/**
 * What `clients-command.md` makes of repeating each request. Reads and the
 * contact attestation (`PUT`) are idempotent. A create repeated after a lost
 * answer gets 403 `error.msg.client.duplicate.externalId` and the client is
 * found by `GET /v1/clients?externalId=…`; a second identifier of a type gets
 * 403 `…type.duplicate` and is found in the listing; a repeated command finds
 * the work done (403) and the client is read. Two requests have no such
 * answer and no listing: a document upload and an address create would
 * simply be stored twice, so they are never repeated blindly.
 */
const CLIENTS_COMMAND_REQUEST_STEPS: readonly ConformanceRequestStep[] = [
  { method: 'POST', path: '/v1/clients', repeat: 'safe' },
  { method: 'GET', path: '/v1/clients', repeat: 'safe' },
  { method: 'GET', path: '/v1/clients/:clientId', repeat: 'safe' },
  { method: 'PUT', path: '/v1/clients/:clientId', repeat: 'safe' },
  { method: 'POST', path: '/v1/clients/:clientId', query: { command: 'verify' }, repeat: 'safe' },
  { method: 'POST', path: '/v1/clients/:clientId', query: { command: 'activate' }, repeat: 'safe' },
  { method: 'POST', path: '/v1/clients/:clientId', query: { command: 'undoRejection' }, repeat: 'safe' },
  { method: 'GET', path: '/v1/clients/:clientId/identifiers/template', repeat: 'safe' },
  { method: 'GET', path: '/v1/clients/:clientId/identifiers', repeat: 'safe' },
  { method: 'POST', path: '/v1/clients/:clientId/identifiers', repeat: 'safe' },
  { method: 'POST', path: '/v1/clients/:clientId/identifiers/:identifierId/documents', repeat: 'never' },
  { method: 'POST', path: '/v1/clients/:clientId/addresses', repeat: 'never' },
];

/**
 * The clients-command calls by operation. Submit writes the details, the
 * identifier and its document, then verifies (a command on `POST /v1/clients/:id`);
 * the address goes in after that verify names it missing, as it does for a
 * fresh client. Activation and the retry (`undoRejection`) are commands too.
 */
function clientsCommandPrivacy(sim: ClientsCommandSimulator): ConformancePrivacy {
  return {
    calls: [
      { operation: 'createCustomer', method: 'POST', path: '/v1/clients' },
      { operation: 'submit', method: 'PUT', path: '/v1/clients/:id' },
      { operation: 'submit', method: 'POST', path: '/v1/clients/:id/identifiers' },
      { operation: 'submit', method: 'POST', path: '/v1/clients/:id/identifiers/:identifierId/documents' },
      { operation: 'submit', method: 'POST', path: '/v1/clients/:id' },
      { operation: 'submit', method: 'POST', path: '/v1/clients/:id/addresses' },
      { operation: 'refresh', method: 'GET', path: '/v1/clients/:id' },
      { operation: 'activate', method: 'POST', path: '/v1/clients/:id' },
      { operation: 'retry', method: 'POST', path: '/v1/clients/:id' },
    ],
    inject: (call, fault) => sim.injectFault(clientsCommandFault({ method: call.method, path: call.path, times: fault.times ?? Number.POSITIVE_INFINITY }, fault)),
  };
}

/** Status faults without a body get the Fineract envelope for their status from the simulator. */
function clientsCommandFault(target: { method: string; path: string; times: number }, fault: ConformanceCallFault): FaultSpec {
  switch (fault.kind) {
    case 'echo':
      return clientsCommandEchoFault({ ...target, status: fault.status });
    case 'envelope':
      return { server: 'api', ...target, status: fault.status };
    case 'reset':
      return { server: 'api', ...target, reset: true };
    case 'latency':
      return { server: 'api', ...target, latencyMs: fault.ms };
  }
}

/** A complete application for FULL verification: SSN, passport with a document, verified contacts. */
export function clientsCommandApplication(): Application {
  return {
    person: {
      firstName: 'Jane',
      lastName: 'Smith',
      dateOfBirth: '1990-05-15',
      nationality: 'US',
      email: 'jane@example.com',
      phone: '+14155551234',
    },
    address: { line1: '1 Main Street', city: 'San Francisco', state: 'CA', postalCode: '94105', country: 'US' },
    identifiers: [{ type: 'ssn', value: '123-45-6789', issuingCountry: 'US' }],
    documents: [
      { type: 'passport', number: '533380006', issuingCountry: 'US', expiresOn: '2033-04-30', front: sampleDocument('passport', 'image/jpeg') },
    ],
    contactVerified: { email: true, phone: true },
  };
}
