import { compareDates, formatClientsCommandDate, type ClientsCommandDate } from './clients-command-dates.js';
import type { ClientsCommandViolation } from './clients-command-errors.js';
import { ID_DOCUMENT_TYPE_NAMES, sameName, TAX_IDENTIFIER_TYPE_NAMES, type ClientsCommandCodeValue } from './clients-command-code-values.js';
import type { ClientsCommandClientRecord, ClientsCommandIdentifierRecord, ClientsCommandVerificationType } from './clients-command-state.js';

/**
 * The client state machine and its domain rules. Each command has a
 * `…Violations` function that checks EVERY rule and returns all failures (empty
 * when the command may run) and an `apply…` function that mutates the record
 * and returns Fineract's `changes`. Handlers and control methods share these,
 * so the HTTP API and the back-office controls cannot drift apart.
 */

export type Changes = Record<string, unknown>;

/** The verify rule table of the contract, in its order. */
export const CLIENTS_COMMAND_VERIFY_RULE_CODES = {
  /** No active PRIMARY address. */
  primaryAddress: 'error.msg.client.verify.primary.address.missing',
  /** No identifier at all. */
  identifier: 'error.msg.client.verify.identifier.missing',
  /** FULL only: no SSN/ITIN, and no ID-type identifier with a document. */
  fullIdentityDocument: 'error.msg.client.verify.full.identity.document.missing',
  /** The e-mail address was not attested. */
  emailVerified: 'error.msg.client.verify.email.unverified',
  /** The mobile number was not attested. */
  mobileVerified: 'error.msg.client.verify.mobile.unverified',
  /** The client is not Pending and unverified. */
  state: 'error.msg.client.verify.invalid.state',
} as const;

export function verifyViolations(client: ClientsCommandClientRecord, type: ClientsCommandVerificationType): ClientsCommandViolation[] {
  const violations: ClientsCommandViolation[] = [];
  const activeIdentifiers = client.identifiers.filter((identifier) => identifier.status === 'Active');

  if (!client.addresses.some((address) => address.addressType === 'PRIMARY' && address.isActive)) {
    violations.push(rule(CLIENTS_COMMAND_VERIFY_RULE_CODES.primaryAddress, 'address', 'Client requires a primary address.'));
  }
  if (activeIdentifiers.length === 0) {
    violations.push(rule(CLIENTS_COMMAND_VERIFY_RULE_CODES.identifier, 'identifiers', 'Client requires at least one identifier.'));
  }
  if (type === 'FULL' && !activeIdentifiers.some(provesFullIdentity)) {
    violations.push(
      rule(
        CLIENTS_COMMAND_VERIFY_RULE_CODES.fullIdentityDocument,
        'documents',
        'FULL verification requires an SSN or ITIN identifier, or a Passport, Drivers License, National ID or Residence Permit identifier with a document uploaded.',
      ),
    );
  }
  if (!client.attestation.emailVerified) {
    violations.push(rule(CLIENTS_COMMAND_VERIFY_RULE_CODES.emailVerified, 'emailVerified', 'Client email address is not verified.'));
  }
  if (!client.attestation.mobileNoVerified) {
    violations.push(rule(CLIENTS_COMMAND_VERIFY_RULE_CODES.mobileVerified, 'mobileNoVerified', 'Client mobile number is not verified.'));
  }
  if (client.status !== 'Pending' || client.subStatus === 'Verified') {
    const current = client.subStatus === 'Verified' ? `${client.status} and already verified` : client.status;
    violations.push(rule(CLIENTS_COMMAND_VERIFY_RULE_CODES.state, 'status', `Only a Pending client that is not yet verified can be verified; client is ${current}.`, current));
  }
  return violations;
}

export function applyVerify(client: ClientsCommandClientRecord, type: ClientsCommandVerificationType, today: ClientsCommandDate): Changes {
  client.subStatus = 'Verified';
  client.kycVerificationType = type;
  client.timeline.verifiedOnDate = today;
  return { subStatus: 'Verified', kycVerificationType: type };
}

export function activateViolations(client: ClientsCommandClientRecord, activationDate: ClientsCommandDate): ClientsCommandViolation[] {
  const violations: ClientsCommandViolation[] = [];
  if (client.status === 'Active') {
    violations.push(rule('error.msg.client.already.active', 'status', 'Client is already active.', client.status));
  } else if (client.status !== 'Pending') {
    violations.push(rule('error.msg.client.activate.invalid.state', 'status', `Only a Pending client can be activated; client is ${client.status}.`, client.status));
  }
  if (client.status !== 'Active' && client.subStatus !== 'Verified') {
    violations.push(rule('error.msg.client.activate.not.verified', 'subStatus', 'Client must be verified before activation.'));
  }
  violations.push(...notBefore('activationDate', activationDate, 'submittedOnDate', client.timeline.submittedOnDate));
  return violations;
}

export function applyActivate(client: ClientsCommandClientRecord, activationDate: ClientsCommandDate): Changes {
  client.status = 'Active';
  client.timeline.activatedOnDate = activationDate;
  return { status: 'Active' };
}

export function rejectViolations(client: ClientsCommandClientRecord, rejectionDate: ClientsCommandDate): ClientsCommandViolation[] {
  return [
    ...requireStatus(client, 'Pending', 'error.msg.client.reject.invalid.state', 'rejected'),
    ...notBefore('rejectionDate', rejectionDate, 'submittedOnDate', client.timeline.submittedOnDate),
  ];
}

/** Rejection keeps the sub-status and verification type; `undoRejection` clears them. */
export function applyReject(client: ClientsCommandClientRecord, reason: ClientsCommandCodeValue, rejectionDate: ClientsCommandDate): Changes {
  client.status = 'Rejected';
  client.rejectionReason = { ...reason };
  client.timeline.rejectedOnDate = rejectionDate;
  return { status: 'Rejected', rejectionReasonId: reason.id };
}

export function closeViolations(client: ClientsCommandClientRecord, closureDate: ClientsCommandDate): ClientsCommandViolation[] {
  const activated = client.timeline.activatedOnDate;
  return [
    ...requireStatus(client, 'Active', 'error.msg.client.close.invalid.state', 'closed'),
    ...(activated === null ? [] : notBefore('closureDate', closureDate, 'activationDate', activated)),
  ];
}

export function applyClose(client: ClientsCommandClientRecord, reason: ClientsCommandCodeValue, closureDate: ClientsCommandDate): Changes {
  client.status = 'Closed';
  client.closureReason = { ...reason };
  client.timeline.closedOnDate = closureDate;
  return { status: 'Closed', closureReasonId: reason.id };
}

export function withdrawViolations(client: ClientsCommandClientRecord, withdrawalDate: ClientsCommandDate): ClientsCommandViolation[] {
  return [
    ...requireStatus(client, 'Pending', 'error.msg.client.withdraw.invalid.state', 'withdrawn'),
    ...notBefore('withdrawalDate', withdrawalDate, 'submittedOnDate', client.timeline.submittedOnDate),
  ];
}

export function applyWithdraw(client: ClientsCommandClientRecord, reason: ClientsCommandCodeValue, withdrawalDate: ClientsCommandDate): Changes {
  client.status = 'Withdrawn';
  client.withdrawalReason = { ...reason };
  client.timeline.withdrawnOnDate = withdrawalDate;
  return { status: 'Withdrawn', withdrawalReasonId: reason.id };
}

export function undoRejectionViolations(client: ClientsCommandClientRecord, reopenedDate: ClientsCommandDate): ClientsCommandViolation[] {
  const rejected = client.timeline.rejectedOnDate;
  return [
    ...requireStatus(client, 'Rejected', 'error.msg.client.undoRejection.invalid.state', 'reopened'),
    ...(rejected === null ? [] : notBefore('reopenedDate', reopenedDate, 'rejectedOnDate', rejected)),
  ];
}

/**
 * Rejected → Pending: sub-status, verification type, rejection reason and
 * rejection date are cleared; identifiers, documents, addresses and the contact
 * attestation are KEPT (Fineract never deletes them), so a re-verify succeeds
 * as soon as whatever was missing has been added.
 */
export function applyUndoRejection(client: ClientsCommandClientRecord, reopenedDate: ClientsCommandDate): Changes {
  client.status = 'Pending';
  client.subStatus = null;
  client.kycVerificationType = null;
  client.rejectionReason = null;
  client.timeline.rejectedOnDate = null;
  client.timeline.verifiedOnDate = null;
  client.timeline.reopenedDate = reopenedDate;
  return { status: 'Pending', subStatus: null, kycVerificationType: null };
}

function provesFullIdentity(identifier: ClientsCommandIdentifierRecord): boolean {
  const name = identifier.documentType.name;
  if (TAX_IDENTIFIER_TYPE_NAMES.some((candidate) => sameName(candidate, name))) return true;
  return ID_DOCUMENT_TYPE_NAMES.some((candidate) => sameName(candidate, name)) && identifier.documents.length > 0;
}

function requireStatus(
  client: ClientsCommandClientRecord,
  required: ClientsCommandClientRecord['status'],
  code: string,
  verb: string,
): ClientsCommandViolation[] {
  if (client.status === required) return [];
  return [rule(code, 'status', `Only a ${required} client can be ${verb}; client is ${client.status}.`, client.status)];
}

function notBefore(name: string, date: ClientsCommandDate, otherName: string, other: ClientsCommandDate): ClientsCommandViolation[] {
  if (compareDates(date, other) >= 0) return [];
  return [
    rule(
      `error.msg.client.${name}.before.${otherName}`,
      name,
      `The ${name} ${formatClientsCommandDate(date)} cannot be before the ${otherName} ${formatClientsCommandDate(other)}.`,
      formatClientsCommandDate(date),
    ),
  ];
}

function rule(code: string, parameterName: string, message: string, value: unknown = null): ClientsCommandViolation {
  return { code, parameterName, message, value };
}
