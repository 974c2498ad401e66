import { VERIFIED_SUB_STATUS } from './clients-command-code-values.js';
import {
  CLIENTS_COMMAND_STATUSES,
  type ClientsCommandClientRecord,
  type ClientsCommandIdentifierRecord,
} from './clients-command-state.js';
import type { ClientsCommandDate } from './clients-command-dates.js';

/**
 * Response shapes. Dates are `[y, m, d]` arrays; the contract's fields come
 * first, in its order, followed by Fineract fields the contract does not list
 * (adapters must tolerate unknown fields).
 */

export const OFFICE_NAME = 'Head Office';

const LEGAL_FORMS: Readonly<Record<number, { readonly code: string; readonly value: string }>> = {
  1: { code: 'legalFormType.person', value: 'PERSON' },
  2: { code: 'legalFormType.entity', value: 'ENTITY' },
};

/** `GET /v1/clients/{id}` and each `pageItems` entry. */
export function clientToJson(client: ClientsCommandClientRecord): Record<string, unknown> {
  const status = CLIENTS_COMMAND_STATUSES[client.status];
  const legalForm = client.legalFormId === null ? undefined : LEGAL_FORMS[client.legalFormId];
  return {
    id: client.id,
    accountNo: client.accountNo,
    externalId: client.externalId,
    active: client.status === 'Active',
    status: { id: status.id, code: status.code, value: client.status },
    subStatus: client.subStatus === 'Verified' ? { ...VERIFIED_SUB_STATUS } : null,
    kycVerificationType: client.kycVerificationType,
    firstname: client.firstname,
    lastname: client.lastname,
    emailAddress: client.emailAddress,
    mobileNo: client.mobileNo,
    emailVerified: client.attestation.emailVerified,
    mobileNoVerified: client.attestation.mobileNoVerified,
    timeline: {
      submittedOnDate: dateJson(client.timeline.submittedOnDate),
      activatedOnDate: dateJson(client.timeline.activatedOnDate),
      rejectedOnDate: dateJson(client.timeline.rejectedOnDate),
      closedOnDate: dateJson(client.timeline.closedOnDate),
      withdrawnOnDate: dateJson(client.timeline.withdrawnOnDate),
      reopenedDate: dateJson(client.timeline.reopenedDate),
    },
    rejectionReason: client.rejectionReason && { ...client.rejectionReason },
    // Fineract fields beyond the contract:
    middlename: client.middlename,
    fullname: client.fullname,
    displayName: displayName(client),
    dateOfBirth: dateJson(client.dateOfBirth),
    officeId: client.officeId,
    officeName: OFFICE_NAME,
    legalForm: legalForm === undefined ? null : { id: client.legalFormId, ...legalForm },
    closureReason: client.closureReason && { ...client.closureReason },
    withdrawalReason: client.withdrawalReason && { ...client.withdrawalReason },
  };
}

/** An entry of `GET /v1/clients/{id}/identifiers`; status as Fineract's code. */
export function identifierToJson(identifier: ClientsCommandIdentifierRecord): Record<string, unknown> {
  return {
    id: identifier.id,
    clientId: identifier.clientId,
    documentType: { ...identifier.documentType },
    documentKey: identifier.documentKey,
    description: identifier.description,
    status: identifier.status === 'Active' ? 'clientIdentifierStatusType.active' : 'clientIdentifierStatusType.inactive',
  };
}

function dateJson(date: ClientsCommandDate | null): number[] | null {
  return date === null ? null : [...date];
}

function displayName(client: ClientsCommandClientRecord): string {
  if (client.fullname !== null) return client.fullname;
  return [client.firstname, client.middlename, client.lastname].filter((part): part is string => part !== null).join(' ');
}
