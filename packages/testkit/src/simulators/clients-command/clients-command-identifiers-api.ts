import { jsonResponse, type SimulatorRequest, type SimulatorResponse } from '../shared/simulator-server.js';
import { lookupClient, parseId, type ClientsCommandContext } from './clients-command-context.js';
import { dataIntegrityViolation, resourceNotFound, unsupportedMediaType, validationFailed } from './clients-command-errors.js';
import { identifierToJson } from './clients-command-json.js';
import { MultipartParseError, multipartBoundary, parseMultipart, type MultipartPart } from './clients-command-multipart.js';
import {
  CLIENTS_COMMAND_DOCUMENT_CONTENT_TYPES,
  CLIENTS_COMMAND_MAX_DOCUMENT_BYTES,
  type ClientsCommandClientRecord,
  type ClientsCommandDocumentContentType,
  type ClientsCommandIdentifierRecord,
  type ClientsCommandIdentifierStatus,
} from './clients-command-state.js';
import { mediaType, ParameterValidator, readJsonObject } from './clients-command-validation.js';

/** `/v1/clients/{id}/identifiers…`: the type template, identifiers and their documents. */

/** `GET /v1/clients/{id}/identifiers/template` — this instance's type ids. */
export function identifierTemplate(context: ClientsCommandContext, request: SimulatorRequest): SimulatorResponse {
  const found = lookupClient(context, request.params.clientId);
  if (!found.ok) return found.response;
  return jsonResponse(200, {
    allowedDocumentTypes: context.state.identifierTypes.map((type, index) => ({
      id: type.id,
      name: type.name,
      position: index + 1,
      active: true,
      mandatory: false,
    })),
  });
}

/** `GET /v1/clients/{id}/identifiers` */
export function listIdentifiers(context: ClientsCommandContext, request: SimulatorRequest): SimulatorResponse {
  const found = lookupClient(context, request.params.clientId);
  if (!found.ok) return found.response;
  return jsonResponse(200, found.client.identifiers.map(identifierToJson));
}

/**
 * `POST /v1/clients/{id}/identifiers` — one identifier per type and client; a
 * second of the same type (whatever its key or status) → 403
 * `error.msg.clientIdentifier.type.duplicate`.
 */
export function createIdentifier(context: ClientsCommandContext, request: SimulatorRequest): SimulatorResponse {
  const found = lookupClient(context, request.params.clientId);
  if (!found.ok) return found.response;
  const client = found.client;
  const read = readJsonObject(request);
  if (!read.ok) return read.response;

  const v = new ParameterValidator(read.body);
  v.rejectUnsupported(['documentTypeId', 'documentKey', 'status', 'description']);
  const documentTypeId = v.id('documentTypeId', true);
  const documentType = typeof documentTypeId === 'number' ? context.state.identifierTypeById(documentTypeId) : undefined;
  if (typeof documentTypeId === 'number' && documentType === undefined) {
    const known = context.state.identifierTypes.map((type) => `${type.id} (${type.name})`).join(', ');
    v.fail('documentTypeId', 'is.not.one.of.expected.enumerations', `Unknown documentTypeId ${documentTypeId}; this tenant has ${known}.`, documentTypeId);
  }
  const documentKey = v.string('documentKey', { required: true, maxLength: 50 });
  const status = v.oneOf<ClientsCommandIdentifierStatus>('status', ['Active', 'Inactive'], { required: true, ignoreCase: true });
  const description = v.string('description', { maxLength: 500 });
  if (!v.ok || !documentType || !documentKey || !status || description === undefined) return validationFailed(v.violations);

  if (client.identifiers.some((identifier) => identifier.documentType.id === documentType.id)) {
    return dataIntegrityViolation({
      code: 'error.msg.clientIdentifier.type.duplicate',
      parameterName: 'documentTypeId',
      message: `Client ${client.id} already has an identifier of type ${documentType.name}.`,
      value: documentType.id,
    });
  }

  const identifier: ClientsCommandIdentifierRecord = {
    id: context.state.nextId('identifier'),
    clientId: client.id,
    documentType: { ...documentType },
    documentKey,
    description,
    status,
    createdAt: context.clock.now(),
    documents: [],
  };
  client.identifiers.push(identifier);
  return jsonResponse(200, { clientId: client.id, resourceId: identifier.id });
}

/**
 * `POST /v1/clients/{id}/identifiers/{identifierId}/documents`, multipart with
 * text fields `name` (required) and `description`, and the file part `file`
 * (own filename; `image/jpeg`, `image/png` or `application/pdf`; 1 byte to
 * 10 MiB). Other parts are ignored, as Fineract's form binding does.
 */
export function uploadDocument(context: ClientsCommandContext, request: SimulatorRequest): SimulatorResponse {
  const found = lookupIdentifier(context, request);
  if (!found.ok) return found.response;
  const contentType = request.headers['content-type'];
  const boundary = multipartBoundary(contentType);
  if (mediaType(contentType) !== 'multipart/form-data') return unsupportedMediaType('multipart/form-data', contentType);

  let parts: MultipartPart[];
  try {
    if (boundary === undefined) throw new MultipartParseError('no boundary parameter in Content-Type');
    parts = parseMultipart(request.body, boundary);
  } catch (error) {
    if (!(error instanceof MultipartParseError)) throw error;
    return validationFailed([
      { code: 'validation.msg.client.file.multipart.malformed', parameterName: 'file', message: `The multipart body could not be parsed: ${error.message}.` },
    ]);
  }

  const textField = (name: string): string | undefined => {
    const part = parts.find((candidate) => candidate.name === name && candidate.filename === undefined);
    return part?.data.toString('utf8');
  };
  const fields: Record<string, unknown> = {};
  for (const name of ['name', 'description']) {
    const value = textField(name);
    if (value !== undefined) fields[name] = value;
  }
  const v = new ParameterValidator(fields);
  const name = v.string('name', { required: true, maxLength: 250 });
  const description = v.string('description', { maxLength: 1000 });
  const file = checkFilePart(v, parts.find((part) => part.name === 'file'));
  if (!v.ok || !name || description === undefined || !file) return validationFailed(v.violations);

  const document = {
    id: context.state.nextId('document'),
    identifierId: found.identifier.id,
    name,
    description,
    filename: file.filename,
    contentType: file.contentType,
    size: file.data.length,
    bytes: file.data,
    uploadedAt: context.clock.now(),
  };
  found.identifier.documents.push(document);
  return jsonResponse(200, { resourceId: document.id });
}

function checkFilePart(
  v: ParameterValidator,
  part: MultipartPart | undefined,
): { filename: string; contentType: ClientsCommandDocumentContentType; data: Buffer } | undefined {
  if (part === undefined) return v.fail('file', 'cannot.be.blank', 'The file part `file` is mandatory.');
  if (part.filename === undefined || part.filename.trim() === '') {
    return v.fail('file', 'filename.cannot.be.blank', 'The file part `file` must carry its own filename.');
  }
  const type = mediaType(part.contentType);
  const contentType = CLIENTS_COMMAND_DOCUMENT_CONTENT_TYPES.find((candidate) => candidate === type);
  if (contentType === undefined) {
    return v.fail(
      'file',
      'content.type.not.allowed',
      `The file Content-Type ${part.contentType ?? '(none)'} is not allowed; use ${CLIENTS_COMMAND_DOCUMENT_CONTENT_TYPES.join(', ')}.`,
      part.contentType ?? null,
    );
  }
  if (part.data.length === 0) return v.fail('file', 'is.empty', 'The file is empty.', part.filename);
  if (part.data.length > CLIENTS_COMMAND_MAX_DOCUMENT_BYTES) {
    return v.fail('file', 'exceeds.max.size', `The file is ${part.data.length} bytes; at most ${CLIENTS_COMMAND_MAX_DOCUMENT_BYTES} bytes (10 MB) are allowed.`, part.data.length);
  }
  return { filename: part.filename, contentType, data: part.data };
}

type IdentifierLookup =
  | { readonly ok: true; readonly client: ClientsCommandClientRecord; readonly identifier: ClientsCommandIdentifierRecord }
  | { readonly ok: false; readonly response: SimulatorResponse };

function lookupIdentifier(context: ClientsCommandContext, request: SimulatorRequest): IdentifierLookup {
  const found = lookupClient(context, request.params.clientId);
  if (!found.ok) return found;
  const rawId = request.params.identifierId;
  const id = parseId(rawId);
  const identifier = id === undefined ? undefined : context.state.findIdentifier(found.client, id);
  if (!identifier) {
    return {
      ok: false,
      response: resourceNotFound(
        'error.msg.clientIdentifier.id.invalid',
        'identifierId',
        `Client identifier with id ${rawId ?? ''} does not exist for client ${found.client.id}`,
        rawId ?? null,
      ),
    };
  }
  return { ok: true, client: found.client, identifier };
}
