import type { ClientsCommandDate } from './clients-command-dates.js';
import {
  createCodeTable,
  DEFAULT_CLIENTS_COMMAND_CLOSURE_REASONS,
  DEFAULT_CLIENTS_COMMAND_WITHDRAWAL_REASONS,
  type ClientsCommandCodeValue,
  type CodeTable,
} from './clients-command-code-values.js';

/**
 * In-memory model of one Fineract tenant: clients with their identifiers,
 * documents and addresses. HTTP handlers and the simulator's control methods
 * both work on this; nothing here does I/O.
 */

export type ClientsCommandStatus = 'Pending' | 'Active' | 'Closed' | 'Rejected' | 'Withdrawn';
export type ClientsCommandVerificationType = 'PARTIAL' | 'FULL';
export type ClientsCommandIdentifierStatus = 'Active' | 'Inactive';
export type ClientsCommandDocumentContentType = 'image/jpeg' | 'image/png' | 'application/pdf';

/** Fineract's client statuses: id and code of each. */
export const CLIENTS_COMMAND_STATUSES: Readonly<
  Record<
    ClientsCommandStatus,
    {
      /** The status id (100, 300, 600, 700, 800). */
      readonly id: number;
      /** The status code, e.g. `clientStatusType.pending`. */
      readonly code: string;
    }
  >
> = {
  Pending: { id: 100, code: 'clientStatusType.pending' },
  Active: { id: 300, code: 'clientStatusType.active' },
  Closed: { id: 600, code: 'clientStatusType.closed' },
  Rejected: { id: 700, code: 'clientStatusType.rejected' },
  Withdrawn: { id: 800, code: 'clientStatusType.withdrawn' },
};

export const CLIENTS_COMMAND_VERIFICATION_TYPES: readonly ClientsCommandVerificationType[] = ['PARTIAL', 'FULL'];
export const CLIENTS_COMMAND_DOCUMENT_CONTENT_TYPES: readonly ClientsCommandDocumentContentType[] = ['image/jpeg', 'image/png', 'application/pdf'];
export const CLIENTS_COMMAND_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
export const CLIENTS_COMMAND_ADDRESS_TYPES = ['PRIMARY', 'HOME', 'WORK', 'MAILING'] as const;
export type ClientsCommandAddressType = (typeof CLIENTS_COMMAND_ADDRESS_TYPES)[number];

export interface ClientsCommandDocumentRecord {
  id: number;
  identifierId: number;
  name: string;
  description: string | null;
  /** The file part's own filename. */
  filename: string;
  contentType: ClientsCommandDocumentContentType;
  size: number;
  bytes: Buffer;
  uploadedAt: Date;
}

export interface ClientsCommandIdentifierRecord {
  id: number;
  clientId: number;
  /** Snapshot of the code value at creation (rules match on its name). */
  documentType: ClientsCommandCodeValue;
  documentKey: string;
  description: string | null;
  status: ClientsCommandIdentifierStatus;
  createdAt: Date;
  documents: ClientsCommandDocumentRecord[];
}

export interface ClientsCommandAddressRecord {
  id: number;
  clientId: number;
  addressType: ClientsCommandAddressType;
  addressLine1: string;
  addressLine2: string | null;
  addressLine3: string | null;
  city: string;
  stateProvince: string | null;
  postalCode: string | null;
  countryCode: string;
  isActive: boolean;
  createdAt: Date;
}

/** What the platform attested about the contact details (`PUT /v1/clients/{id}`). */
export interface ClientsCommandAttestation {
  emailVerified: boolean;
  mobileNoVerified: boolean;
  /** Simulator time of the attestation that set the flag; null while false. */
  emailVerifiedAt: Date | null;
  mobileNoVerifiedAt: Date | null;
}

export interface ClientsCommandTimeline {
  submittedOnDate: ClientsCommandDate;
  activatedOnDate: ClientsCommandDate | null;
  rejectedOnDate: ClientsCommandDate | null;
  closedOnDate: ClientsCommandDate | null;
  withdrawnOnDate: ClientsCommandDate | null;
  /** Set by `undoRejection`. */
  reopenedDate: ClientsCommandDate | null;
  /** Not in Fineract's timeline: when the last successful verify happened (internal only). */
  verifiedOnDate: ClientsCommandDate | null;
}

/** Internal view of a client; `clientToJson` gives the API shape. */
export interface ClientsCommandClientRecord {
  /** The client id (`clientId`). */
  id: number;
  /** The account number Fineract shows, e.g. `000000042`. */
  accountNo: string;
  /** The office the client was opened in. */
  officeId: number;
  /** 1 = person. */
  legalFormId: number | null;
  /** The platform's reference (unique). */
  externalId: string | null;
  /** First name. */
  firstname: string | null;
  /** Middle name. */
  middlename: string | null;
  /** Last name. */
  lastname: string | null;
  /** Full name, when set instead of the parts. */
  fullname: string | null;
  /** E-mail address. */
  emailAddress: string | null;
  /** Mobile number. */
  mobileNo: string | null;
  /** Date of birth. */
  dateOfBirth: ClientsCommandDate | null;
  /** Pending, Active, Closed, Rejected or Withdrawn. */
  status: ClientsCommandStatus;
  /** `Verified` after a successful verify. */
  subStatus: 'Verified' | null;
  /** The level verify granted. */
  kycVerificationType: ClientsCommandVerificationType | null;
  /** Submitted, activation, rejection and closure dates. */
  timeline: ClientsCommandTimeline;
  /** Why the back office rejected the client. */
  rejectionReason: ClientsCommandCodeValue | null;
  /** Why the back office closed the client. */
  closureReason: ClientsCommandCodeValue | null;
  /** Why the client was withdrawn. */
  withdrawalReason: ClientsCommandCodeValue | null;
  /** Whether the platform attested e-mail and phone (`emailVerified` / `mobileNoVerified`). */
  attestation: ClientsCommandAttestation;
  /** Identifiers, with their uploaded documents. */
  identifiers: ClientsCommandIdentifierRecord[];
  /** Addresses. */
  addresses: ClientsCommandAddressRecord[];
  /** When the simulator created it (simulator clock). */
  createdAt: Date;
}

export interface ClientsCommandState {
  readonly clients: Map<number, ClientsCommandClientRecord>;
  readonly clientIdsByExternalId: Map<string, number>;
  readonly identifierTypes: readonly ClientsCommandCodeValue[];
  readonly rejectionReasons: CodeTable;
  readonly closureReasons: CodeTable;
  readonly withdrawalReasons: CodeTable;
  nextId(kind: IdKind): number;
  identifierTypeById(id: number): ClientsCommandCodeValue | undefined;
  findIdentifier(client: ClientsCommandClientRecord, identifierId: number): ClientsCommandIdentifierRecord | undefined;
  /** Forgets every client and restarts the id sequences (code tables are kept). */
  reset(): void;
}

export type IdKind = 'client' | 'address' | 'identifier' | 'document';

/**
 * Each kind of resource has its own sequence, starting in a different range,
 * so an adapter that sends an identifier id where a client id belongs gets a
 * 404 instead of silently hitting another record.
 */
const FIRST_IDS: Readonly<Record<IdKind, number>> = { client: 101, address: 201, identifier: 301, document: 401 };

export interface CreateClientsCommandStateOptions {
  readonly identifierTypes: readonly ClientsCommandCodeValue[];
  readonly rejectionReasons: readonly ClientsCommandCodeValue[];
}

export function createClientsCommandState(options: CreateClientsCommandStateOptions): ClientsCommandState {
  const clients = new Map<number, ClientsCommandClientRecord>();
  const clientIdsByExternalId = new Map<string, number>();
  let next: Record<IdKind, number> = { ...FIRST_IDS };
  const identifierTypes = options.identifierTypes.map((type) => ({ id: type.id, name: type.name }));

  return {
    clients,
    clientIdsByExternalId,
    identifierTypes,
    rejectionReasons: createCodeTable('rejectionReasons', options.rejectionReasons),
    closureReasons: createCodeTable('closureReasons', DEFAULT_CLIENTS_COMMAND_CLOSURE_REASONS),
    withdrawalReasons: createCodeTable('withdrawalReasons', DEFAULT_CLIENTS_COMMAND_WITHDRAWAL_REASONS),
    nextId(kind) {
      const id = next[kind];
      next[kind] = id + 1;
      return id;
    },
    identifierTypeById: (id) => identifierTypes.find((type) => type.id === id),
    findIdentifier: (client, identifierId) => client.identifiers.find((identifier) => identifier.id === identifierId),
    reset() {
      clients.clear();
      clientIdsByExternalId.clear();
      next = { ...FIRST_IDS };
    },
  };
}

/** A deep copy safe to hand to tests (documents keep their bytes as a fresh Buffer). */
export function cloneClient(client: ClientsCommandClientRecord): ClientsCommandClientRecord {
  return {
    ...client,
    timeline: { ...client.timeline },
    rejectionReason: client.rejectionReason && { ...client.rejectionReason },
    closureReason: client.closureReason && { ...client.closureReason },
    withdrawalReason: client.withdrawalReason && { ...client.withdrawalReason },
    attestation: {
      ...client.attestation,
      emailVerifiedAt: copyDate(client.attestation.emailVerifiedAt),
      mobileNoVerifiedAt: copyDate(client.attestation.mobileNoVerifiedAt),
    },
    identifiers: client.identifiers.map((identifier) => ({
      ...identifier,
      documentType: { ...identifier.documentType },
      createdAt: new Date(identifier.createdAt),
      documents: identifier.documents.map((document) => ({ ...document, bytes: Buffer.from(document.bytes), uploadedAt: new Date(document.uploadedAt) })),
    })),
    addresses: client.addresses.map((address) => ({ ...address, createdAt: new Date(address.createdAt) })),
    createdAt: new Date(client.createdAt),
  };
}

function copyDate(date: Date | null): Date | null {
  return date === null ? null : new Date(date);
}

/** `000000101` — Fineract's default account number format (id left-padded to nine digits). */
export function accountNumberFor(clientId: number): string {
  return String(clientId).padStart(9, '0');
}
