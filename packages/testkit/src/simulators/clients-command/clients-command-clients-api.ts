import { jsonResponse, type SimulatorRequest, type SimulatorResponse } from '../shared/simulator-server.js';
import { formatClientsCommandDate } from './clients-command-dates.js';
import { dataIntegrityViolation, domainRuleViolation, validationFailed } from './clients-command-errors.js';
import { clientToJson } from './clients-command-json.js';
import { lookupClient, type ClientsCommandContext } from './clients-command-context.js';
import { accountNumberFor, type ClientsCommandClientRecord } from './clients-command-state.js';
import { DATE_CONTEXT_PARAMETERS, EMAIL_PATTERN, ParameterValidator, readJsonObject } from './clients-command-validation.js';

/** `/v1/clients` and `/v1/clients/{id}`: create, read, search by externalId, contact attestation. */

const CREATE_PARAMETERS = [
  'officeId',
  'legalFormId',
  'firstname',
  'middlename',
  'lastname',
  'fullname',
  'externalId',
  'emailAddress',
  'mobileNo',
  'dateOfBirth',
  'submittedOnDate',
  'active',
  'activationDate',
  'genderId',
  'clientTypeId',
  'clientClassificationId',
  'isStaff',
  ...DATE_CONTEXT_PARAMETERS,
];

const UPDATE_PARAMETERS = ['emailAddress', 'mobileNo', 'emailVerified', 'mobileNoVerified', 'firstname', 'middlename', 'lastname', 'dateOfBirth', ...DATE_CONTEXT_PARAMETERS];

const MOBILE_PATTERN = /^\+?[0-9][0-9 ()-]{3,}$/;
const NAME_MAX = 50;

/** `POST /v1/clients` */
export function createClient(context: ClientsCommandContext, request: SimulatorRequest): SimulatorResponse {
  const read = readJsonObject(request);
  if (!read.ok) return read.response;
  const today = context.today();
  const v = new ParameterValidator(read.body);
  v.rejectUnsupported(CREATE_PARAMETERS);

  const officeId = v.id('officeId', true);
  const legalFormId = v.has('legalFormId') && read.body.legalFormId !== null ? legalForm(v) : null;
  const isEntity = legalFormId === 2;
  const fullname = v.string('fullname', { required: isEntity, maxLength: 100 });
  const firstname = v.string('firstname', { required: !isEntity, maxLength: NAME_MAX });
  const middlename = v.string('middlename', { maxLength: NAME_MAX });
  const lastname = v.string('lastname', { required: !isEntity, maxLength: NAME_MAX });
  const externalId = v.string('externalId', { maxLength: 100 });
  const emailAddress = v.string('emailAddress', { maxLength: 150, pattern: EMAIL_PATTERN, patternMessage: 'The parameter `emailAddress` is not a valid e-mail address.' });
  const mobileNo = v.string('mobileNo', { maxLength: 50, pattern: MOBILE_PATTERN, patternMessage: 'The parameter `mobileNo` is not a valid phone number.' });
  const dateOfBirth = v.date('dateOfBirth', { notAfter: today });
  const submittedOnDate = v.date('submittedOnDate', { notAfter: today });
  const active = v.boolean('active', true);
  if (active === true) v.date('activationDate', { required: true, notAfter: today });
  else v.date('activationDate', { notAfter: today });
  for (const name of ['genderId', 'clientTypeId', 'clientClassificationId']) v.id(name);
  v.boolean('isStaff');
  if (!v.ok) return validationFailed(v.violations);

  if (externalId && context.state.clientIdsByExternalId.has(externalId)) {
    return dataIntegrityViolation({
      code: 'error.msg.client.duplicate.externalId',
      parameterName: 'externalId',
      message: `Client with externalId \`${externalId}\` already exists`,
      value: externalId,
    });
  }
  if (active === true) {
    // Activation is gated by verification, which cannot have happened before the client exists.
    return domainRuleViolation([
      { code: 'error.msg.client.activate.not.verified', parameterName: 'active', message: 'Client must be verified before activation; create it with active=false.', value: true },
    ]);
  }

  const id = context.state.nextId('client');
  const client: ClientsCommandClientRecord = {
    id,
    accountNo: accountNumberFor(id),
    officeId: officeId ?? 1,
    legalFormId,
    externalId: externalId ?? null,
    firstname: isEntity ? null : (firstname ?? null),
    middlename: isEntity ? null : (middlename ?? null),
    lastname: isEntity ? null : (lastname ?? null),
    fullname: fullname ?? null,
    emailAddress: emailAddress ?? null,
    mobileNo: mobileNo ?? null,
    dateOfBirth: dateOfBirth ?? null,
    status: 'Pending',
    subStatus: null,
    kycVerificationType: null,
    timeline: {
      submittedOnDate: submittedOnDate ?? today,
      activatedOnDate: null,
      rejectedOnDate: null,
      closedOnDate: null,
      withdrawnOnDate: null,
      reopenedDate: null,
      verifiedOnDate: null,
    },
    rejectionReason: null,
    closureReason: null,
    withdrawalReason: null,
    attestation: { emailVerified: false, mobileNoVerified: false, emailVerifiedAt: null, mobileNoVerifiedAt: null },
    identifiers: [],
    addresses: [],
    createdAt: context.clock.now(),
  };
  context.state.clients.set(id, client);
  if (client.externalId !== null) context.state.clientIdsByExternalId.set(client.externalId, id);

  return jsonResponse(200, {
    officeId: client.officeId,
    clientId: id,
    resourceId: id,
    ...(client.externalId === null ? {} : { resourceExternalId: client.externalId }),
  });
}

/** `GET /v1/clients/{id}` */
export function getClient(context: ClientsCommandContext, request: SimulatorRequest): SimulatorResponse {
  const found = lookupClient(context, request.params.clientId);
  return found.ok ? jsonResponse(200, clientToJson(found.client)) : found.response;
}

/** `GET /v1/clients?externalId=…&offset=…&limit=…` → `{totalFilteredRecords, pageItems}`. */
export function listClients(context: ClientsCommandContext, request: SimulatorRequest): SimulatorResponse {
  const v = new ParameterValidator({});
  const offset = pagingNumber(v, 'offset', request.query.offset, 0);
  const limit = pagingNumber(v, 'limit', request.query.limit, 200);
  if (!v.ok || offset === undefined || limit === undefined) return validationFailed(v.violations);

  const externalId = request.query.externalId;
  const matching = [...context.state.clients.values()].filter((client) => externalId === undefined || client.externalId === externalId);
  return jsonResponse(200, {
    totalFilteredRecords: matching.length,
    pageItems: matching.slice(offset, limit === 0 ? undefined : offset + limit).map(clientToJson),
  });
}

/**
 * `PUT /v1/clients/{id}` — the platform attests the contact details it checked
 * itself. Changing `emailAddress` / `mobileNo` without re-attesting in the
 * same request drops the matching verified flag. `changes` lists only values
 * that actually changed.
 */
export function updateClient(context: ClientsCommandContext, request: SimulatorRequest): SimulatorResponse {
  const found = lookupClient(context, request.params.clientId);
  if (!found.ok) return found.response;
  const client = found.client;
  const read = readJsonObject(request);
  if (!read.ok) return read.response;
  const body = read.body;
  const v = new ParameterValidator(body);
  v.rejectUnsupported(UPDATE_PARAMETERS);

  const emailAddress = v.has('emailAddress')
    ? v.string('emailAddress', { maxLength: 150, pattern: EMAIL_PATTERN, patternMessage: 'The parameter `emailAddress` is not a valid e-mail address.' })
    : client.emailAddress;
  const mobileNo = v.has('mobileNo')
    ? v.string('mobileNo', { maxLength: 50, pattern: MOBILE_PATTERN, patternMessage: 'The parameter `mobileNo` is not a valid phone number.' })
    : client.mobileNo;
  const emailVerified = v.boolean('emailVerified');
  const mobileNoVerified = v.boolean('mobileNoVerified');
  const firstname = v.has('firstname') ? v.string('firstname', { required: true, maxLength: NAME_MAX }) : client.firstname;
  const middlename = v.has('middlename') ? v.string('middlename', { maxLength: NAME_MAX }) : client.middlename;
  const lastname = v.has('lastname') ? v.string('lastname', { required: true, maxLength: NAME_MAX }) : client.lastname;
  const dateOfBirth = v.has('dateOfBirth') ? v.date('dateOfBirth', { notAfter: context.today() }) : client.dateOfBirth;
  if (emailVerified === true && emailAddress === null) {
    v.fail('emailVerified', 'requires.emailAddress', 'The e-mail address cannot be attested as verified: the client has none.', true);
  }
  if (mobileNoVerified === true && mobileNo === null) {
    v.fail('mobileNoVerified', 'requires.mobileNo', 'The mobile number cannot be attested as verified: the client has none.', true);
  }
  if (!v.ok || emailAddress === undefined || mobileNo === undefined || firstname === undefined || middlename === undefined || lastname === undefined || dateOfBirth === undefined) {
    return validationFailed(v.violations);
  }

  const changes: Record<string, unknown> = {};
  const now = context.clock.now();
  const emailChanged = emailAddress !== client.emailAddress;
  const mobileChanged = mobileNo !== client.mobileNo;
  if (emailChanged) changes.emailAddress = client.emailAddress = emailAddress;
  if (mobileChanged) changes.mobileNo = client.mobileNo = mobileNo;
  if (firstname !== client.firstname) changes.firstname = client.firstname = firstname;
  if (middlename !== client.middlename) changes.middlename = client.middlename = middlename;
  if (lastname !== client.lastname) changes.lastname = client.lastname = lastname;
  if (String(dateOfBirth) !== String(client.dateOfBirth)) {
    client.dateOfBirth = dateOfBirth;
    changes.dateOfBirth = dateOfBirth === null ? null : formatClientsCommandDate(dateOfBirth);
  }

  const nextEmailVerified = emailVerified ?? (emailChanged ? false : client.attestation.emailVerified);
  if (nextEmailVerified !== client.attestation.emailVerified) {
    changes.emailVerified = client.attestation.emailVerified = nextEmailVerified;
    client.attestation.emailVerifiedAt = nextEmailVerified ? now : null;
  }
  const nextMobileVerified = mobileNoVerified ?? (mobileChanged ? false : client.attestation.mobileNoVerified);
  if (nextMobileVerified !== client.attestation.mobileNoVerified) {
    changes.mobileNoVerified = client.attestation.mobileNoVerified = nextMobileVerified;
    client.attestation.mobileNoVerifiedAt = nextMobileVerified ? now : null;
  }
  return jsonResponse(200, { clientId: client.id, resourceId: client.id, changes });
}

function legalForm(v: ParameterValidator): number | null {
  const id = v.id('legalFormId');
  if (id === null || id === undefined) return null;
  if (id !== 1 && id !== 2) {
    v.fail('legalFormId', 'is.not.one.of.expected.enumerations', 'The parameter `legalFormId` must be 1 (person) or 2 (entity).', id);
    return null;
  }
  return id;
}

function pagingNumber(v: ParameterValidator, name: string, raw: string | undefined, fallback: number): number | undefined {
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/.test(raw)) return v.fail(name, 'must.be.a.non.negative.integer', `The query parameter \`${name}\` must be a non-negative integer.`, raw);
  return Number(raw);
}
