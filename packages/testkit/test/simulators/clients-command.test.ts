import { randomBytes } from 'node:crypto';
import { FormData, request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  clientsCommandAuthorization,
  ClientsCommandControlError,
  createClientsCommandSimulator,
  DEFAULT_CLIENTS_COMMAND_IDENTIFIER_TYPES,
  type ClientsCommandSimulator,
} from '../../src/simulators/clients-command/index.js';

// ---------------------------------------------------------------------------
// Helpers

const START = '2026-11-22T10:00:00Z'; // "today" = 22 November 2026 (UTC)
const CONTRACT_401 = {
  developerMessage: 'Invalid authentication details were passed in api request.',
  httpStatusCode: '401',
  defaultUserMessage: 'Unauthenticated. Please login.',
  userMessageGlobalisationCode: 'error.msg.not.authenticated',
  errors: [],
};
const DATES = { dateFormat: 'dd MMMM yyyy', locale: 'en' } as const;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (untyped on purpose: tests index into it freely). */
  json: any;
}

interface ErrorEntry {
  userMessageGlobalisationCode: string;
  parameterName: string;
}

/** A tiny Fineract client speaking to one simulator with its credentials. */
function api(sim: ClientsCommandSimulator, credentials = sim.credentials) {
  const authHeaders = {
    authorization: clientsCommandAuthorization(credentials.username, credentials.password),
    'fineract-platform-tenantid': credentials.tenantId,
  };

  async function send(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; raw?: string | Buffer | FormData } = {}): Promise<Reply> {
    const json = options.body !== undefined;
    const response = await request(`${sim.url}${path}`, {
      method: method as 'GET',
      headers: { ...authHeaders, ...(json ? { 'content-type': 'application/json' } : {}), ...options.headers },
      body: json ? JSON.stringify(options.body) : options.raw,
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
  }

  return {
    send,
    get: (path: string) => send('GET', path),
    post: (path: string, body: unknown) => send('POST', path, { body }),
    put: (path: string, body: unknown) => send('PUT', path, { body }),
    command: (clientId: number, command: string, body: unknown = {}) => send('POST', `/v1/clients/${clientId}?command=${command}`, { body }),

    async createClient(overrides: Record<string, unknown> = {}): Promise<number> {
      const reply = await send('POST', '/v1/clients', { body: newClientBody(overrides) });
      expect(reply.status, JSON.stringify(reply.json)).toBe(200);
      return reply.json.clientId as number;
    },
    async typeId(name: string, clientId: number): Promise<number> {
      const template = await send('GET', `/v1/clients/${clientId}/identifiers/template`);
      const type = (template.json.allowedDocumentTypes as { id: number; name: string }[]).find((candidate) => candidate.name === name);
      if (!type) throw new Error(`no identifier type ${name}`);
      return type.id;
    },
    async addIdentifier(clientId: number, typeName: string, documentKey = `${typeName}-KEY-1`): Promise<Reply> {
      const documentTypeId = await this.typeId(typeName, clientId);
      return send('POST', `/v1/clients/${clientId}/identifiers`, { body: { documentTypeId, documentKey, status: 'Active', description: null } });
    },
    addAddress: (clientId: number, overrides: Record<string, unknown> = {}) =>
      send('POST', `/v1/clients/${clientId}/addresses`, {
        body: {
          addressType: 'PRIMARY',
          addressLine1: '1 Market St',
          addressLine2: null,
          city: 'San Francisco',
          stateProvince: 'CA',
          postalCode: '94105',
          countryCode: 'US',
          isActive: true,
          ...overrides,
        },
      }),
    attest: (clientId: number, body: Record<string, unknown> = { emailVerified: true, mobileNoVerified: true }) =>
      send('PUT', `/v1/clients/${clientId}`, { body }),
    upload(clientId: number, identifierId: number, file: { bytes: Buffer; filename: string; contentType: string }, fields: Record<string, string> = { name: 'Front', description: 'Front side' }) {
      const form = new FormData();
      for (const [key, value] of Object.entries(fields)) form.set(key, value);
      form.set('file', new Blob([file.bytes], { type: file.contentType }), file.filename);
      return send('POST', `/v1/clients/${clientId}/identifiers/${identifierId}/documents`, { raw: form });
    },
  };
}

function newClientBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    officeId: 1,
    legalFormId: 1,
    firstname: 'Jane',
    middlename: null,
    lastname: 'Smith',
    externalId: `pouch-user-${randomBytes(4).toString('hex')}`,
    emailAddress: 'jane@example.com',
    mobileNo: '+14155551234',
    dateOfBirth: '15 May 1990',
    submittedOnDate: '22 November 2026',
    active: false,
    ...DATES,
    ...overrides,
  };
}

function codes(reply: Reply): string[] {
  return (reply.json.errors as ErrorEntry[]).map((entry) => entry.userMessageGlobalisationCode);
}

function params(reply: Reply): string[] {
  return (reply.json.errors as ErrorEntry[]).map((entry) => entry.parameterName);
}

const JPEG = (size = 2048): Buffer => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 6), Buffer.from([0xff, 0xd9])]);

// ---------------------------------------------------------------------------

let sim: ClientsCommandSimulator;
let fineract: ReturnType<typeof api>;

beforeEach(async () => {
  sim = await createClientsCommandSimulator({ now: START });
  fineract = api(sim);
});

afterEach(async () => {
  await sim.close();
});

/** Address + SSN + attested contacts: everything FULL needs. */
async function completeKyc(clientId: number): Promise<void> {
  expect((await fineract.addAddress(clientId)).status).toBe(200);
  expect((await fineract.addIdentifier(clientId, 'SSN', '123-45-6789')).status).toBe(200);
  expect((await fineract.attest(clientId)).status).toBe(200);
}

describe('authentication and tenancy', () => {
  it('answers the contract 401 body without credentials', async () => {
    const reply = await request(`${sim.url}/v1/clients/101`, { headers: { 'fineract-platform-tenantid': 'default' } });
    expect(reply.statusCode).toBe(401);
    expect(await reply.body.json()).toEqual(CONTRACT_401);
  });

  it.each([
    ['wrong password', { username: 'mifos', password: 'nope', tenantId: 'default' }],
    ['wrong user', { username: 'admin', password: 'password', tenantId: 'default' }],
    ['wrong tenant', { username: 'mifos', password: 'password', tenantId: 'other' }],
    ['empty tenant', { username: 'mifos', password: 'password', tenantId: '' }],
  ])('answers 401 for a %s', async (_label, credentials) => {
    const reply = await api(sim, credentials).get('/v1/clients');
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual(CONTRACT_401);
  });

  it('answers 401 without the tenant header, and for malformed Basic headers', async () => {
    const noTenant = await request(`${sim.url}/v1/clients`, { headers: { authorization: clientsCommandAuthorization('mifos', 'password') } });
    expect(noTenant.statusCode).toBe(401);
    expect(await noTenant.body.json()).toEqual(CONTRACT_401);
    for (const authorization of ['Bearer abc', 'Basic !!!', `Basic ${Buffer.from('no-colon').toString('base64')}`]) {
      const reply = await fineract.send('GET', '/v1/clients', { headers: { authorization } });
      expect(reply.status).toBe(401);
    }
    // The tenant travels in the header only, not as Fineract's tenantIdentifier query parameter.
    const viaQuery = await request(`${sim.url}/v1/clients?tenantIdentifier=default`, { headers: { authorization: clientsCommandAuthorization('mifos', 'password') } });
    expect(viaQuery.statusCode).toBe(401);
    await viaQuery.body.dump();
  });

  it('checks authentication before routing and before reading the body', async () => {
    const reply = await api(sim, { ...sim.credentials, password: 'x' }).send('POST', '/v1/nowhere', { raw: 'not json' });
    expect(reply.status).toBe(401);
    expect(sim.listClients()).toEqual([]);
  });

  it('records which required header each refused request got wrong, never its value', async () => {
    await api(sim, { ...sim.credentials, tenantId: 'default-tenant-guess' }).get('/v1/clients');
    await request(`${sim.url}/v1/clients`, { headers: { authorization: clientsCommandAuthorization('mifos', 'password') } }).then((r) => r.body.dump());
    await api(sim, { ...sim.credentials, password: 'guess' }).get('/v1/clients');
    await fineract.send('GET', '/v1/clients', { headers: { authorization: 'Bearer abc' } });
    await fineract.send('POST', '/v1/clients', { raw: JSON.stringify(newClientBody()), headers: { 'content-type': 'text/plain' } });
    expect((await fineract.get('/v1/clients')).status).toBe(200);

    expect(sim.headerMismatches()).toEqual([
      { server: 'api', method: 'GET', path: '/v1/clients', header: 'fineract-platform-tenantid', reason: 'does not match the configured tenant' },
      { server: 'api', method: 'GET', path: '/v1/clients', header: 'fineract-platform-tenantid', reason: 'is missing' },
      { server: 'api', method: 'GET', path: '/v1/clients', header: 'authorization', reason: 'does not carry the configured user and password' },
      { server: 'api', method: 'GET', path: '/v1/clients', header: 'authorization', reason: 'is not HTTP Basic' },
      { server: 'api', method: 'POST', path: '/v1/clients', header: 'content-type', reason: 'is not the media type the contract requires here' },
    ]);
    expect(JSON.stringify(sim.headerMismatches())).not.toMatch(/default-tenant-guess|guess|abc/);
    sim.reset();
    expect(sim.headerMismatches()).toEqual([]);
  });

  it('uses the configured credentials (password with a colon)', async () => {
    const custom = await createClientsCommandSimulator({ username: 'platform', password: 's3cret:with:colons', tenantId: 'acme' });
    try {
      expect((await api(custom).get('/v1/clients')).status).toBe(200);
      expect((await api(custom, { username: 'mifos', password: 'password', tenantId: 'default' }).get('/v1/clients')).status).toBe(401);
    } finally {
      await custom.close();
    }
  });
});

describe('clients', () => {
  it('creates a client and reads it back in the contract shape', async () => {
    const reply = await fineract.post('/v1/clients', newClientBody({ externalId: 'pouch-user-12345' }));
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ officeId: 1, clientId: 101, resourceId: 101, resourceExternalId: 'pouch-user-12345' });

    const client = await fineract.get('/v1/clients/101');
    expect(client.status).toBe(200);
    expect(client.json).toMatchObject({
      id: 101,
      accountNo: '000000101',
      externalId: 'pouch-user-12345',
      active: false,
      status: { id: 100, code: 'clientStatusType.pending', value: 'Pending' },
      subStatus: null,
      kycVerificationType: null,
      firstname: 'Jane',
      lastname: 'Smith',
      emailAddress: 'jane@example.com',
      mobileNo: '+14155551234',
      emailVerified: false,
      mobileNoVerified: false,
      timeline: { submittedOnDate: [2026, 11, 22], activatedOnDate: null, rejectedOnDate: null, closedOnDate: null },
      rejectionReason: null,
      dateOfBirth: [1990, 5, 15],
    });
  });

  it('defaults submittedOnDate to today by the simulator clock', async () => {
    await sim.clock.advance(3 * 24 * 60 * 60 * 1000);
    const id = await fineract.createClient({ submittedOnDate: undefined });
    expect((await fineract.get(`/v1/clients/${id}`)).json.timeline.submittedOnDate).toEqual([2026, 11, 25]);
    expect(sim.today()).toEqual([2026, 11, 25]);
  });

  it('takes a past submittedOnDate and returns every date as [y, m, d]', async () => {
    const id = await fineract.createClient({ submittedOnDate: '01 February 2024', dateOfBirth: '29 February 2000' });
    const client = (await fineract.get(`/v1/clients/${id}`)).json;
    expect(client.timeline.submittedOnDate).toEqual([2024, 2, 1]);
    expect(client.dateOfBirth).toEqual([2000, 2, 29]);
    expect(sim.getClient(id)?.dateOfBirth).toEqual([2000, 2, 29]);
  });

  it('refuses a repeated externalId with 403 error.msg.client.duplicate.externalId and creates nothing', async () => {
    await fineract.createClient({ externalId: 'pouch-user-1' });
    const reply = await fineract.post('/v1/clients', newClientBody({ externalId: 'pouch-user-1', firstname: 'Other' }));
    expect(reply.status).toBe(403);
    expect(reply.json.httpStatusCode).toBe('403');
    expect(reply.json.userMessageGlobalisationCode).toBe('error.msg.client.duplicate.externalId');
    expect(reply.json.errors).toEqual([expect.objectContaining({ userMessageGlobalisationCode: 'error.msg.client.duplicate.externalId', parameterName: 'externalId' })]);
    expect(sim.listClients()).toHaveLength(1);
  });

  it('finds a client by externalId (the lookup after a timed-out create)', async () => {
    const id = await fineract.createClient({ externalId: 'pouch-user-12345' });
    await fineract.createClient({ externalId: 'someone-else' });
    const found = await fineract.get('/v1/clients?externalId=pouch-user-12345');
    expect(found.status).toBe(200);
    expect(found.json.totalFilteredRecords).toBe(1);
    expect(found.json.pageItems).toHaveLength(1);
    expect(found.json.pageItems[0]).toMatchObject({ id, externalId: 'pouch-user-12345', status: { id: 100 } });

    const missing = await fineract.get(`/v1/clients?externalId=${encodeURIComponent('nobody here')}`);
    expect(missing.json).toEqual({ totalFilteredRecords: 0, pageItems: [] });
    expect((await fineract.get('/v1/clients')).json.totalFilteredRecords).toBe(2);
    expect(sim.findClientByExternalId('pouch-user-12345')?.id).toBe(id);
  });

  it('answers 404 error.msg.client.id.invalid for unknown or malformed ids, on every sub-resource', async () => {
    for (const path of ['/v1/clients/999', '/v1/clients/abc', '/v1/clients/999/identifiers', '/v1/clients/999/identifiers/template']) {
      const reply = await fineract.get(path);
      expect(reply.status, path).toBe(404);
      expect(reply.json).toMatchObject({ httpStatusCode: '404', userMessageGlobalisationCode: 'error.msg.client.id.invalid' });
      expect(codes(reply)).toEqual(['error.msg.client.id.invalid']);
    }
    expect((await fineract.command(999, 'verify', { kycVerificationType: 'FULL' })).status).toBe(404);
    expect((await fineract.put('/v1/clients/999', { emailVerified: true })).status).toBe(404);
  });

  it('lists one 400 entry per bad parameter, all at once', async () => {
    const reply = await fineract.post('/v1/clients', {
      officeId: 0,
      lastname: 'Smith',
      firstName: 'Jane', // wrong case: Fineract's parameter is `firstname`
      emailAddress: 'not-an-email',
      dateOfBirth: '5 May 1990',
      ...DATES,
    });
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ httpStatusCode: '400', userMessageGlobalisationCode: 'validation.msg.validation.errors.exist' });
    expect(Object.fromEntries((reply.json.errors as ErrorEntry[]).map((entry) => [entry.parameterName, entry.userMessageGlobalisationCode]))).toEqual({
      firstName: 'validation.msg.client.firstName.is.not.supported',
      officeId: 'validation.msg.client.officeId.not.greater.than.zero',
      firstname: 'validation.msg.client.firstname.cannot.be.blank',
      emailAddress: 'validation.msg.client.emailAddress.invalid.format',
      dateOfBirth: 'validation.msg.client.dateOfBirth.invalid.date.format',
      active: 'validation.msg.client.active.cannot.be.blank',
    });
    for (const entry of reply.json.errors as Record<string, unknown>[]) {
      expect(Object.keys(entry).sort()).toEqual(['args', 'defaultUserMessage', 'developerMessage', 'parameterName', 'userMessageGlobalisationCode', 'value']);
    }
    expect(sim.listClients()).toEqual([]);
  });

  it.each([
    ['15 may 1990', 'invalid.date.format'],
    ['1990-05-15', 'invalid.date.format'],
    ['31 April 1990', 'invalid.date.format'],
    ['23 November 2026', 'cannot.be.a.future.date'],
  ])('refuses dateOfBirth %j with 400 naming the parameter', async (dateOfBirth, reason) => {
    const reply = await fineract.post('/v1/clients', newClientBody({ dateOfBirth }));
    expect(reply.status).toBe(400);
    expect(reply.json.errors).toEqual([expect.objectContaining({ parameterName: 'dateOfBirth', userMessageGlobalisationCode: `validation.msg.client.dateOfBirth.${reason}` })]);
  });

  it('requires dateFormat and locale with dates, and only dd MMMM yyyy / English', async () => {
    const missing = await fineract.post('/v1/clients', newClientBody({ dateFormat: undefined, locale: undefined }));
    expect(missing.status).toBe(400);
    expect(codes(missing)).toEqual(['validation.msg.client.dateFormat.cannot.be.blank', 'validation.msg.client.locale.cannot.be.blank']);

    const other = await fineract.post('/v1/clients', newClientBody({ dateFormat: 'yyyy-MM-dd', locale: 'fr', dateOfBirth: '1990-05-15' }));
    expect(other.status).toBe(400);
    expect(params(other)).toEqual(['dateFormat', 'locale']);

    // Without any date parameter, dateFormat / locale are not needed.
    const noDates = await fineract.post('/v1/clients', newClientBody({ dateOfBirth: undefined, submittedOnDate: undefined, dateFormat: undefined, locale: undefined }));
    expect(noDates.status).toBe(200);
  });

  it('wants JSON: 415 without the content type, 400 for malformed bodies', async () => {
    const noType = await fineract.send('POST', '/v1/clients', { raw: JSON.stringify(newClientBody()) });
    expect(noType.status).toBe(415);
    expect(noType.json.httpStatusCode).toBe('415');
    const malformed = await fineract.send('POST', '/v1/clients', { raw: '{"officeId":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(codes(malformed)).toEqual(['validation.msg.client.json.invalid']);
    const notObject = await fineract.send('POST', '/v1/clients', { raw: '[1]', headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(notObject.status).toBe(400);
  });

  it('refuses active=true at creation: activation needs a verified client', async () => {
    const reply = await fineract.post('/v1/clients', newClientBody({ active: true, activationDate: '22 November 2026' }));
    expect(reply.status).toBe(403);
    expect(codes(reply)).toEqual(['error.msg.client.activate.not.verified']);
  });

  it('answers 404 in the envelope for paths that do not exist', async () => {
    const reply = await fineract.get('/v1/loans');
    expect(reply.status).toBe(404);
    expect(reply.json.httpStatusCode).toBe('404');
  });
});

describe('contact attestation (PUT /v1/clients/{id})', () => {
  it('records verified e-mail and mobile and reports only real changes', async () => {
    const id = await fineract.createClient();
    const first = await fineract.attest(id, { emailAddress: 'jane@example.com', mobileNo: '+14155551234', emailVerified: true, mobileNoVerified: true });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ clientId: id, resourceId: id, changes: { emailVerified: true, mobileNoVerified: true } });
    expect((await fineract.get(`/v1/clients/${id}`)).json).toMatchObject({ emailVerified: true, mobileNoVerified: true });
    expect(sim.getClient(id)?.attestation).toMatchObject({ emailVerified: true, mobileNoVerified: true, emailVerifiedAt: new Date(START) });

    const again = await fineract.attest(id, { emailVerified: true, mobileNoVerified: true });
    expect(again.json.changes).toEqual({});
  });

  it('drops a verified flag when the value changes without a new attestation', async () => {
    const id = await fineract.createClient();
    await fineract.attest(id);
    const reply = await fineract.attest(id, { emailAddress: 'new@example.com' });
    expect(reply.json.changes).toEqual({ emailAddress: 'new@example.com', emailVerified: false });
    expect(sim.getClient(id)?.attestation).toMatchObject({ emailVerified: false, mobileNoVerified: true, emailVerifiedAt: null });
    // Re-attested in the same request: stays verified.
    const both = await fineract.attest(id, { mobileNo: '+14155550000', mobileNoVerified: true });
    expect(both.json.changes).toEqual({ mobileNo: '+14155550000' });
  });

  it('refuses to attest a contact the client does not have, and bad types', async () => {
    const id = await fineract.createClient({ emailAddress: null, mobileNo: undefined });
    const reply = await fineract.attest(id, { emailVerified: true, mobileNoVerified: 'yes' });
    expect(reply.status).toBe(400);
    expect(codes(reply)).toEqual(['validation.msg.client.mobileNoVerified.must.be.true.or.false', 'validation.msg.client.emailVerified.requires.emailAddress']);
    expect(sim.getClient(id)?.attestation.emailVerified).toBe(false);
  });
});

describe('identifiers', () => {
  it('serves this instance\'s type ids, which differ from the contract example', async () => {
    const id = await fineract.createClient();
    const template = await fineract.get(`/v1/clients/${id}/identifiers/template`);
    expect(template.status).toBe(200);
    const types = template.json.allowedDocumentTypes as { id: number; name: string }[];
    expect(types.map((type) => type.name).sort()).toEqual(['Drivers License', 'ITIN', 'National ID', 'Passport', 'Residence Permit', 'SSN']);
    const contractIds: Record<string, number> = { Passport: 1, SSN: 2, ITIN: 3, 'Drivers License': 4, 'National ID': 5, 'Residence Permit': 6 };
    for (const type of types) {
      expect(type.id).toBeGreaterThanOrEqual(11);
      expect(type.id).not.toBe(contractIds[type.name]);
    }
    expect(types.map((type) => ({ id: type.id, name: type.name }))).toEqual(DEFAULT_CLIENTS_COMMAND_IDENTIFIER_TYPES);
  });

  it('configures identifier type ids per instance', async () => {
    const other = await createClientsCommandSimulator({
      now: START,
      identifierTypes: [
        { id: 201, name: 'SSN' },
        { id: 202, name: 'Passport' },
      ],
    });
    try {
      const otherApi = api(other);
      const mine = await fineract.createClient();
      const theirs = await otherApi.createClient();
      expect(await fineract.typeId('SSN', mine)).toBe(11);
      expect(await otherApi.typeId('SSN', theirs)).toBe(201);

      // An id that is valid elsewhere is refused here.
      const wrong = await otherApi.post(`/v1/clients/${theirs}/identifiers`, { documentTypeId: 11, documentKey: '123-45-6789', status: 'Active' });
      expect(wrong.status).toBe(400);
      expect(codes(wrong)).toEqual(['validation.msg.client.documentTypeId.is.not.one.of.expected.enumerations']);
      expect((await otherApi.addIdentifier(theirs, 'SSN')).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('refuses invalid identifierTypes options', async () => {
    await expect(createClientsCommandSimulator({ identifierTypes: [] })).rejects.toThrow(RangeError);
    await expect(createClientsCommandSimulator({ identifierTypes: [{ id: 1, name: 'SSN' }, { id: 1, name: 'ITIN' }] })).rejects.toThrow(/duplicate id/);
    await expect(createClientsCommandSimulator({ identifierTypes: [{ id: 1, name: 'SSN' }, { id: 2, name: 'ssn' }] })).rejects.toThrow(/duplicate name/);
  });

  it('creates and lists identifiers; a second of the same type is a 403 duplicate', async () => {
    const id = await fineract.createClient();
    const created = await fineract.addIdentifier(id, 'Passport', 'P12345678');
    expect(created.status).toBe(200);
    expect(created.json).toEqual({ clientId: id, resourceId: 301 });

    const duplicate = await fineract.addIdentifier(id, 'Passport', 'P99999999');
    expect(duplicate.status).toBe(403);
    expect(duplicate.json.userMessageGlobalisationCode).toBe('error.msg.clientIdentifier.type.duplicate');
    expect(codes(duplicate)).toEqual(['error.msg.clientIdentifier.type.duplicate']);

    const list = await fineract.get(`/v1/clients/${id}/identifiers`);
    expect(list.json).toEqual([
      {
        id: 301,
        clientId: id,
        documentType: { id: 16, name: 'Passport' },
        documentKey: 'P12345678',
        description: null,
        status: 'clientIdentifierStatusType.active',
      },
    ]);
  });

  it('validates identifier parameters all at once', async () => {
    const id = await fineract.createClient();
    const reply = await fineract.post(`/v1/clients/${id}/identifiers`, { documentTypeId: 'SSN', documentKey: '', status: 'Pending', number: 'x' });
    expect(reply.status).toBe(400);
    expect(params(reply).sort()).toEqual(['documentKey', 'documentTypeId', 'number', 'status']);
  });
});

describe('identifier documents (multipart)', () => {
  it('stores the uploaded file byte for byte', async () => {
    const id = await fineract.createClient();
    const identifierId = (await fineract.addIdentifier(id, 'Passport')).json.resourceId as number;
    // Binary content that contains CRLF and dashes, like real images do.
    const bytes = Buffer.concat([JPEG(4096), Buffer.from('\r\n--\r\n\r\n'), randomBytes(1000)]);
    const reply = await fineract.upload(id, identifierId, { bytes, filename: 'passport-front.jpg', contentType: 'image/jpeg' }, { name: 'Passport front', description: 'Page 2' });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ resourceId: 401 });

    const [document] = sim.getClient(id)?.identifiers[0]?.documents ?? [];
    expect(document).toMatchObject({ id: 401, name: 'Passport front', description: 'Page 2', filename: 'passport-front.jpg', contentType: 'image/jpeg', size: bytes.length });
    expect(document?.bytes.equals(bytes)).toBe(true);
  });

  it('accepts PNG and PDF, and exactly 10 MB', async () => {
    const id = await fineract.createClient();
    const identifierId = (await fineract.addIdentifier(id, 'National ID')).json.resourceId as number;
    expect((await fineract.upload(id, identifierId, { bytes: randomBytes(100), filename: 'id.png', contentType: 'image/png' })).status).toBe(200);
    expect((await fineract.upload(id, identifierId, { bytes: Buffer.alloc(10 * 1024 * 1024, 1), filename: 'id.pdf', contentType: 'application/pdf' })).status).toBe(200);
    expect(sim.getClient(id)?.identifiers[0]?.documents.map((document) => [document.contentType, document.size])).toEqual([
      ['image/png', 100],
      ['application/pdf', 10 * 1024 * 1024],
    ]);
  });

  it('refuses a wrong content type or a file over 10 MB with 400 on `file`', async () => {
    const id = await fineract.createClient();
    const identifierId = (await fineract.addIdentifier(id, 'Passport')).json.resourceId as number;
    const gif = await fineract.upload(id, identifierId, { bytes: randomBytes(100), filename: 'x.gif', contentType: 'image/gif' });
    expect(gif.status).toBe(400);
    expect(gif.json.errors).toEqual([expect.objectContaining({ parameterName: 'file', userMessageGlobalisationCode: 'validation.msg.client.file.content.type.not.allowed' })]);

    const big = await fineract.upload(id, identifierId, { bytes: Buffer.alloc(10 * 1024 * 1024 + 1), filename: 'x.pdf', contentType: 'application/pdf' });
    expect(big.status).toBe(400);
    expect(codes(big)).toEqual(['validation.msg.client.file.exceeds.max.size']);

    const empty = await fineract.upload(id, identifierId, { bytes: Buffer.alloc(0), filename: 'x.pdf', contentType: 'application/pdf' });
    expect(codes(empty)).toEqual(['validation.msg.client.file.is.empty']);
    expect(sim.getClient(id)?.identifiers[0]?.documents).toEqual([]);
  });

  it('requires the name field, the file part and its filename', async () => {
    const id = await fineract.createClient();
    const identifierId = (await fineract.addIdentifier(id, 'Passport')).json.resourceId as number;
    const form = new FormData();
    form.set('description', 'no name, no file');
    form.set('document', new Blob([JPEG()], { type: 'image/jpeg' }), 'misnamed.jpg');
    const reply = await fineract.send('POST', `/v1/clients/${id}/identifiers/${identifierId}/documents`, { raw: form });
    expect(reply.status).toBe(400);
    expect(codes(reply)).toEqual(['validation.msg.client.name.cannot.be.blank', 'validation.msg.client.file.cannot.be.blank']);

    const boundary = 'b0undary';
    const noFilename = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nFront\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\r\n--${boundary}--\r\n`,
      'latin1',
    );
    const reply2 = await fineract.send('POST', `/v1/clients/${id}/identifiers/${identifierId}/documents`, {
      raw: noFilename,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(codes(reply2)).toEqual(['validation.msg.client.file.filename.cannot.be.blank']);
  });

  it('refuses non-multipart and malformed multipart bodies', async () => {
    const id = await fineract.createClient();
    const identifierId = (await fineract.addIdentifier(id, 'Passport')).json.resourceId as number;
    const path = `/v1/clients/${id}/identifiers/${identifierId}/documents`;
    expect((await fineract.send('POST', path, { raw: JPEG(), headers: { 'content-type': 'image/jpeg' } })).status).toBe(415);
    const malformed = await fineract.send('POST', path, { raw: 'garbage', headers: { 'content-type': 'multipart/form-data; boundary=xyz' } });
    expect(malformed.status).toBe(400);
    expect(codes(malformed)).toEqual(['validation.msg.client.file.multipart.malformed']);
  });

  it('answers 404 for an identifier of another client', async () => {
    const a = await fineract.createClient();
    const b = await fineract.createClient();
    const identifierOfA = (await fineract.addIdentifier(a, 'Passport')).json.resourceId as number;
    const reply = await fineract.upload(b, identifierOfA, { bytes: JPEG(), filename: 'x.jpg', contentType: 'image/jpeg' });
    expect(reply.status).toBe(404);
    expect(reply.json.userMessageGlobalisationCode).toBe('error.msg.clientIdentifier.id.invalid');
  });
});

describe('addresses', () => {
  it('creates a primary address', async () => {
    const id = await fineract.createClient();
    const reply = await fineract.addAddress(id);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ resourceId: 201 });
    expect(sim.getClient(id)?.addresses).toEqual([expect.objectContaining({ id: 201, addressType: 'PRIMARY', city: 'San Francisco', countryCode: 'US', isActive: true })]);
  });

  it('stores a second PRIMARY address like any other, so a test can catch an adapter that sends one', async () => {
    const id = await fineract.createClient();
    expect((await fineract.addAddress(id)).status).toBe(200);
    expect((await fineract.addAddress(id)).status).toBe(200);
    expect(sim.getClient(id)?.addresses.filter((address) => address.addressType === 'PRIMARY')).toHaveLength(2);
  });

  it('validates address parameters', async () => {
    const id = await fineract.createClient();
    const reply = await fineract.addAddress(id, { addressType: 'SUMMER', city: '', countryCode: 'USA', isActive: 'true' });
    expect(reply.status).toBe(400);
    expect(params(reply)).toEqual(['addressType', 'city', 'countryCode', 'isActive']);
  });
});

describe('command=verify', () => {
  it('lists every failing rule at once and changes nothing', async () => {
    const id = await fineract.createClient();
    const reply = await fineract.command(id, 'verify', { kycVerificationType: 'FULL' });
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({
      developerMessage: 'Request was understood but caused a domain rule violation.',
      httpStatusCode: '403',
      defaultUserMessage: 'Errors contain reason for domain rule violation.',
      userMessageGlobalisationCode: 'validation.msg.domain.rule.violation',
    });
    expect(reply.json.errors).toEqual([
      {
        developerMessage: 'Client requires a primary address.',
        defaultUserMessage: 'Client requires a primary address.',
        userMessageGlobalisationCode: 'error.msg.client.verify.primary.address.missing',
        parameterName: 'address',
        value: null,
        args: [],
      },
      expect.objectContaining({ userMessageGlobalisationCode: 'error.msg.client.verify.identifier.missing', parameterName: 'identifiers' }),
      expect.objectContaining({ userMessageGlobalisationCode: 'error.msg.client.verify.full.identity.document.missing', parameterName: 'documents' }),
      expect.objectContaining({ userMessageGlobalisationCode: 'error.msg.client.verify.email.unverified', parameterName: 'emailVerified' }),
      expect.objectContaining({ userMessageGlobalisationCode: 'error.msg.client.verify.mobile.unverified', parameterName: 'mobileNoVerified' }),
    ]);
    const client = (await fineract.get(`/v1/clients/${id}`)).json;
    expect(client).toMatchObject({ status: { id: 100 }, subStatus: null, kycVerificationType: null });
  });

  it('PARTIAL does not need the full identity document', async () => {
    const id = await fineract.createClient();
    await fineract.attest(id, { emailVerified: true });
    const reply = await fineract.command(id, 'verify', { kycVerificationType: 'PARTIAL' });
    expect(codes(reply)).toEqual([
      'error.msg.client.verify.primary.address.missing',
      'error.msg.client.verify.identifier.missing',
      'error.msg.client.verify.mobile.unverified',
    ]);
  });

  it('PARTIAL passes with an ID-type identifier without documents; FULL needs its document', async () => {
    const partial = await fineract.createClient();
    const full = await fineract.createClient();
    for (const id of [partial, full]) {
      await fineract.addAddress(id);
      await fineract.addIdentifier(id, 'Drivers License', 'D1234567');
      await fineract.attest(id);
    }

    const ok = await fineract.command(partial, 'verify', { kycVerificationType: 'PARTIAL' });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ clientId: partial, resourceId: partial, changes: { subStatus: 'Verified', kycVerificationType: 'PARTIAL' } });

    const missing = await fineract.command(full, 'verify', { kycVerificationType: 'FULL' });
    expect(missing.status).toBe(403);
    expect(codes(missing)).toEqual(['error.msg.client.verify.full.identity.document.missing']);

    // Send the missing part, then verify succeeds.
    const identifierId = sim.getClient(full)?.identifiers[0]?.id ?? 0;
    expect((await fineract.upload(full, identifierId, { bytes: JPEG(), filename: 'dl.jpg', contentType: 'image/jpeg' })).status).toBe(200);
    const verified = await fineract.command(full, 'verify', { kycVerificationType: 'FULL' });
    expect(verified.status).toBe(200);
    expect(verified.json.changes).toEqual({ subStatus: 'Verified', kycVerificationType: 'FULL' });
    const client = (await fineract.get(`/v1/clients/${full}`)).json;
    expect(client.subStatus).toEqual({ id: expect.any(Number), name: 'Verified' });
    expect(client.kycVerificationType).toBe('FULL');
    expect(client.status).toEqual({ id: 100, code: 'clientStatusType.pending', value: 'Pending' });
  });

  it.each(['SSN', 'ITIN'])('FULL passes with a %s identifier alone', async (typeName) => {
    const id = await fineract.createClient();
    await fineract.addAddress(id);
    await fineract.addIdentifier(id, typeName);
    await fineract.attest(id);
    expect((await fineract.command(id, 'verify', { kycVerificationType: 'FULL' })).status).toBe(200);
  });

  it('counts only an active PRIMARY address and active identifiers', async () => {
    const id = await fineract.createClient();
    await fineract.addAddress(id, { isActive: false });
    await fineract.addAddress(id, { addressType: 'MAILING' });
    await fineract.addAddress(id, { isActive: undefined }); // isActive defaults to false
    const ssn = await fineract.typeId('SSN', id);
    await fineract.post(`/v1/clients/${id}/identifiers`, { documentTypeId: ssn, documentKey: '123-45-6789', status: 'Inactive' });
    await fineract.attest(id);
    const reply = await fineract.command(id, 'verify', { kycVerificationType: 'FULL' });
    expect(codes(reply)).toEqual([
      'error.msg.client.verify.primary.address.missing',
      'error.msg.client.verify.identifier.missing',
      'error.msg.client.verify.full.identity.document.missing',
    ]);
  });

  it('refuses a second verify with invalid.state only', async () => {
    const id = await fineract.createClient();
    await completeKyc(id);
    expect((await fineract.command(id, 'verify', { kycVerificationType: 'PARTIAL' })).status).toBe(200);
    const again = await fineract.command(id, 'verify', { kycVerificationType: 'FULL' });
    expect(again.status).toBe(403);
    expect(codes(again)).toEqual(['error.msg.client.verify.invalid.state']);
    expect(sim.getClient(id)?.kycVerificationType).toBe('PARTIAL');
  });

  it('validates kycVerificationType and the command name', async () => {
    const id = await fineract.createClient();
    for (const body of [{}, { kycVerificationType: 'full' }, { kycVerificationType: 'BASIC' }]) {
      const reply = await fineract.command(id, 'verify', body);
      expect(reply.status).toBe(400);
      expect(params(reply)).toEqual(['kycVerificationType']);
    }
    const unknown = await fineract.command(id, 'approve');
    expect(unknown.status).toBe(400);
    expect(codes(unknown)).toEqual(['validation.msg.client.command.is.not.supported']);
    const none = await fineract.send('POST', `/v1/clients/${id}`, { body: {} });
    expect(codes(none)).toEqual(['validation.msg.client.command.cannot.be.blank']);
  });
});

describe('command=activate', () => {
  const activation = { activationDate: '22 November 2026', ...DATES };

  it('refuses an unverified client, then activates a verified one', async () => {
    const id = await fineract.createClient();
    const refused = await fineract.command(id, 'activate', activation);
    expect(refused.status).toBe(403);
    expect(codes(refused)).toEqual(['error.msg.client.activate.not.verified']);

    await completeKyc(id);
    await fineract.command(id, 'verify', { kycVerificationType: 'FULL' });
    const reply = await fineract.command(id, 'activate', activation);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ clientId: id, resourceId: id, changes: { status: 'Active' } });
    const client = (await fineract.get(`/v1/clients/${id}`)).json;
    expect(client).toMatchObject({ active: true, status: { id: 300, code: 'clientStatusType.active', value: 'Active' }, subStatus: { name: 'Verified' } });
    expect(client.timeline.activatedOnDate).toEqual([2026, 11, 22]);

    const again = await fineract.command(id, 'activate', activation);
    expect(again.status).toBe(403);
    expect(codes(again)).toEqual(['error.msg.client.already.active']);
  });

  it('validates activationDate: mandatory, not in the future, not before submission', async () => {
    const id = await fineract.createClient({ submittedOnDate: '20 November 2026' });
    const missing = await fineract.command(id, 'activate', DATES);
    expect(codes(missing)).toEqual(['validation.msg.client.activationDate.cannot.be.blank']);
    const future = await fineract.command(id, 'activate', { ...activation, activationDate: '23 November 2026' });
    expect(codes(future)).toEqual(['validation.msg.client.activationDate.cannot.be.a.future.date']);
    const badFormat = await fineract.command(id, 'activate', { activationDate: '2026-11-22', ...DATES });
    expect(codes(badFormat)).toEqual(['validation.msg.client.activationDate.invalid.date.format']);

    // Both domain rules at once: not verified AND before submittedOnDate.
    const early = await fineract.command(id, 'activate', { ...activation, activationDate: '19 November 2026' });
    expect(early.status).toBe(403);
    expect(codes(early)).toEqual(['error.msg.client.activate.not.verified', 'error.msg.client.activationDate.before.submittedOnDate']);
  });
});

describe('back office: reject, close, withdraw, activate (no webhooks — seen on GET)', () => {
  it('reject() makes a Pending client Rejected with a reason, visible on GET', async () => {
    const id = await fineract.createClient();
    const record = sim.reject(id, 'Document unreadable');
    expect(record.status).toBe('Rejected');
    const client = (await fineract.get(`/v1/clients/${id}`)).json;
    expect(client.status).toEqual({ id: 700, code: 'clientStatusType.rejected', value: 'Rejected' });
    expect(client.rejectionReason).toEqual({ id: 72, name: 'Document unreadable' });
    expect(client.timeline.rejectedOnDate).toEqual([2026, 11, 22]);

    // Verify on a rejected client fails with invalid.state along with what is missing.
    const verify = await fineract.command(id, 'verify', { kycVerificationType: 'PARTIAL' });
    expect(codes(verify)).toContain('error.msg.client.verify.invalid.state');
    expect(() => sim.reject(id)).toThrow(ClientsCommandControlError);
  });

  it('reject() may also hit a verified client and adds unknown reasons to the table', async () => {
    const id = await fineract.createClient();
    await completeKyc(id);
    await fineract.command(id, 'verify', { kycVerificationType: 'FULL' });
    sim.reject(id, 'Sanctions list match');
    const client = (await fineract.get(`/v1/clients/${id}`)).json;
    expect(client.status.id).toBe(700);
    expect(client.rejectionReason).toEqual({ id: 75, name: 'Sanctions list match' });
    expect(sim.rejectionReasons()).toContainEqual({ id: 75, name: 'Sanctions list match' });
  });

  it('?command=reject and close exist over HTTP too (back office only); withdraw does not', async () => {
    const rejected = await fineract.createClient();
    const reply = await fineract.command(rejected, 'reject', { rejectionDate: '22 November 2026', rejectionReasonId: 73, ...DATES });
    expect(reply.status).toBe(200);
    expect((await fineract.get(`/v1/clients/${rejected}`)).json.rejectionReason).toEqual({ id: 73, name: 'Suspected fraud' });
    const badReason = await fineract.command(await fineract.createClient(), 'reject', { rejectionDate: '22 November 2026', rejectionReasonId: 1, ...DATES });
    expect(codes(badReason)).toEqual(['validation.msg.client.rejectionReasonId.is.not.one.of.expected.enumerations']);

    const withdrawn = await fineract.createClient();
    const withdraw = await fineract.command(withdrawn, 'withdraw', { withdrawalDate: '22 November 2026', withdrawalReasonId: 91, ...DATES });
    expect(withdraw.status).toBe(400);
    expect(codes(withdraw)).toEqual(['validation.msg.client.command.is.not.supported']);
    expect((await fineract.get(`/v1/clients/${withdrawn}`)).json.status.id).toBe(100);

    const pending = await fineract.createClient();
    const closePending = await fineract.command(pending, 'close', { closureDate: '22 November 2026', closureReasonId: 81, ...DATES });
    expect(closePending.status).toBe(403);
    expect(codes(closePending)).toEqual(['error.msg.client.close.invalid.state']);
  });

  it('close(clientId) closes an Active client; close() without id stops the server', async () => {
    const id = await fineract.createClient();
    await completeKyc(id);
    await fineract.command(id, 'verify', { kycVerificationType: 'FULL' });
    await fineract.command(id, 'activate', { activationDate: '22 November 2026', ...DATES });
    await sim.clock.advance(24 * 60 * 60 * 1000);
    expect(sim.close(id).status).toBe('Closed');
    const client = (await fineract.get(`/v1/clients/${id}`)).json;
    expect(client).toMatchObject({ active: false, status: { id: 600, code: 'clientStatusType.closed', value: 'Closed' } });
    expect(client.timeline.closedOnDate).toEqual([2026, 11, 23]);
    expect(() => sim.closeClient(id)).toThrow(ClientsCommandControlError);

    const pending = await fineract.createClient();
    expect(() => sim.close(pending)).toThrow(/close\.invalid\.state/);
  });

  it('activate(clientId) activates a verified client by the command\'s rules (activated elsewhere, seen on GET)', async () => {
    const id = await fineract.createClient();
    expect(() => sim.activate(id)).toThrow(/activate\.not\.verified/);
    await completeKyc(id);
    await fineract.command(id, 'verify', { kycVerificationType: 'FULL' });
    expect(sim.activate(id).status).toBe('Active');
    const client = (await fineract.get(`/v1/clients/${id}`)).json;
    expect(client).toMatchObject({ active: true, status: { id: 300, value: 'Active' }, subStatus: { name: 'Verified' } });
    expect(client.timeline.activatedOnDate).toEqual([2026, 11, 22]);
    expect(() => sim.activate(id)).toThrow(/already\.active/);
    expect(() => sim.activate(999)).toThrow(/no client/);
  });

  it('withdraw(clientId) makes a Pending client Withdrawn', async () => {
    const id = await fineract.createClient();
    sim.withdraw(id);
    const client = (await fineract.get(`/v1/clients/${id}`)).json;
    expect(client.status).toEqual({ id: 800, code: 'clientStatusType.withdrawn', value: 'Withdrawn' });
    expect(client.timeline.withdrawnOnDate).toEqual([2026, 11, 22]);
    expect(() => sim.withdraw(999)).toThrow(/no client/);
  });
});

describe('command=undoRejection', () => {
  const reopen = { reopenedDate: '22 November 2026', ...DATES };

  it('reopens a Rejected client, keeps what was sent, and lets it verify after adding what is missing', async () => {
    const id = await fineract.createClient();
    await fineract.addAddress(id);
    const passport = (await fineract.addIdentifier(id, 'Passport', 'P1')).json.resourceId as number;
    await fineract.attest(id);
    expect(codes(await fineract.command(id, 'verify', { kycVerificationType: 'FULL' }))).toEqual(['error.msg.client.verify.full.identity.document.missing']);
    sim.reject(id, 'Document unreadable');

    const reply = await fineract.command(id, 'undoRejection', reopen);
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ clientId: id, resourceId: id, changes: { status: 'Pending' } });
    const client = (await fineract.get(`/v1/clients/${id}`)).json;
    expect(client).toMatchObject({ status: { id: 100 }, subStatus: null, kycVerificationType: null, rejectionReason: null });
    expect(client.timeline).toMatchObject({ rejectedOnDate: null, reopenedDate: [2026, 11, 22] });
    // Kept: identifiers (a re-submission gets the duplicate 403), address and attestation.
    expect(sim.getClient(id)).toMatchObject({ addresses: [expect.anything()], identifiers: [expect.objectContaining({ id: passport })], attestation: { emailVerified: true } });
    expect((await fineract.addIdentifier(id, 'Passport', 'P1')).json.userMessageGlobalisationCode).toBe('error.msg.clientIdentifier.type.duplicate');

    await fineract.upload(id, passport, { bytes: JPEG(), filename: 'p.jpg', contentType: 'image/jpeg' });
    const verified = await fineract.command(id, 'verify', { kycVerificationType: 'FULL' });
    expect(verified.status).toBe(200);
    expect((await fineract.command(id, 'activate', { activationDate: '22 November 2026', ...DATES })).status).toBe(200);
  });

  it('clears the sub-status and verification type of a client rejected after verification', async () => {
    const id = await fineract.createClient();
    await completeKyc(id);
    await fineract.command(id, 'verify', { kycVerificationType: 'PARTIAL' });
    sim.reject(id);
    expect((await fineract.get(`/v1/clients/${id}`)).json.status.id).toBe(700);
    await fineract.command(id, 'undoRejection', reopen);
    expect(sim.getClient(id)).toMatchObject({ status: 'Pending', subStatus: null, kycVerificationType: null });
    expect((await fineract.command(id, 'activate', { activationDate: '22 November 2026', ...DATES })).status).toBe(403);
    expect((await fineract.command(id, 'verify', { kycVerificationType: 'FULL' })).status).toBe(200);
  });

  it('lets the back office remove an identifier so the retry must send a new one', async () => {
    const id = await fineract.createClient();
    await completeKyc(id);
    sim.reject(id, 'Identity could not be verified');
    sim.removeIdentifier(id, sim.getClient(id)?.identifiers[0]?.id ?? 0);
    await fineract.command(id, 'undoRejection', reopen);
    expect(codes(await fineract.command(id, 'verify', { kycVerificationType: 'FULL' }))).toEqual([
      'error.msg.client.verify.identifier.missing',
      'error.msg.client.verify.full.identity.document.missing',
    ]);
    await fineract.addIdentifier(id, 'ITIN', '912-70-1234');
    expect((await fineract.command(id, 'verify', { kycVerificationType: 'FULL' })).status).toBe(200);
  });

  it('refuses to reopen a client that is not Rejected, or before the rejection date', async () => {
    const id = await fineract.createClient();
    const pending = await fineract.command(id, 'undoRejection', reopen);
    expect(pending.status).toBe(403);
    expect(codes(pending)).toEqual(['error.msg.client.undoRejection.invalid.state']);

    sim.reject(id);
    const early = await fineract.command(id, 'undoRejection', { ...reopen, reopenedDate: '21 November 2026' });
    expect(codes(early)).toEqual(['error.msg.client.reopenedDate.before.rejectedOnDate']);
    expect(sim.getClient(id)?.status).toBe('Rejected');
  });
});

describe('faults, request log, clock, shutdown', () => {
  it('injects a 5xx with a Fineract envelope, once', async () => {
    const id = await fineract.createClient();
    sim.injectFault({ method: 'GET', path: '/v1/clients/:clientId', status: 503 });
    const failed = await fineract.get(`/v1/clients/${id}`);
    expect(failed.status).toBe(503);
    expect(failed.json).toMatchObject({ httpStatusCode: '503', userMessageGlobalisationCode: 'error.msg.platform.service.unavailable' });
    expect((await fineract.get(`/v1/clients/${id}`)).status).toBe(200);
  });

  it('injects a 429 with Retry-After', async () => {
    const fault = sim.injectFault({ path: '/v1/clients', method: 'POST', status: 429, headers: { 'Retry-After': '2' }, times: 2 });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const reply = await fineract.post('/v1/clients', newClientBody());
      expect(reply.status).toBe(429);
      expect(reply.headers['retry-after']).toBe('2');
      expect(reply.json.userMessageGlobalisationCode).toBe('error.msg.too.many.requests');
    }
    expect(fault.hits).toBe(2);
    expect((await fineract.post('/v1/clients', newClientBody())).status).toBe(200);
    // A faulted create changed nothing.
    expect(sim.listClients()).toHaveLength(1);
  });

  it('has presets: injectRateLimit and injectServerError, on every path by default', async () => {
    sim.injectRateLimit({ retryAfterSeconds: 3 });
    const limited = await fineract.get('/v1/clients/101');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('3');
    expect(limited.json.httpStatusCode).toBe('429');

    sim.injectServerError({ method: 'POST', status: 503, times: 2 });
    expect((await fineract.get('/v1/clients')).status).toBe(200); // GET not targeted
    expect((await fineract.post('/v1/clients', newClientBody())).status).toBe(503);
    expect((await fineract.post('/v1/clients', newClientBody())).json.userMessageGlobalisationCode).toBe('error.msg.platform.service.unavailable');
    expect((await fineract.post('/v1/clients', newClientBody())).status).toBe(200);
    expect(() => sim.injectServerError({ status: 404 })).toThrow(RangeError);
  });

  it('loses a response after processing: the client exists and is found by externalId', async () => {
    sim.injectFaultAfterProcessing({ method: 'POST', path: '/v1/clients', status: 503 });
    const lost = await fineract.post('/v1/clients', newClientBody({ externalId: 'pouch-user-lost' }));
    expect(lost.status).toBe(503);
    const found = await fineract.get('/v1/clients?externalId=pouch-user-lost');
    expect(found.json.totalFilteredRecords).toBe(1);
    // The retry of the create is a duplicate: the caller adopts what it found.
    expect((await fineract.post('/v1/clients', newClientBody({ externalId: 'pouch-user-lost' }))).json.userMessageGlobalisationCode).toBe(
      'error.msg.client.duplicate.externalId',
    );

    // A slow answer after the change: the client exists while the caller is still waiting (and would time out).
    sim.injectFaultAfterProcessing({ method: 'POST', path: '/v1/clients', latencyMs: 250 });
    let answered = false;
    const slow = fineract.post('/v1/clients', newClientBody({ externalId: 'pouch-user-slow' })).then((reply) => {
      answered = true;
      return reply;
    });
    await expect.poll(() => sim.findClientByExternalId('pouch-user-slow')?.status, { interval: 10, timeout: 200 }).toBe('Pending');
    expect(answered).toBe(false);
    expect((await slow).status).toBe(200);
    expect(() => sim.injectFaultAfterProcessing({ path: '/v1/clients', reset: true })).toThrow(/reset/);
  });

  it('loses a response after processing with a reset, and narrows a fault to one ?command=', async () => {
    sim.injectFault({ method: 'POST', path: '/v1/clients', reset: true, afterProcessing: true });
    await expect(fineract.post('/v1/clients', newClientBody({ externalId: 'pouch-user-reset' }))).rejects.toThrow();
    expect(sim.findClientByExternalId('pouch-user-reset')?.status).toBe('Pending');

    const id = sim.findClientByExternalId('pouch-user-reset')!.id;
    const fault = sim.injectFault({ method: 'POST', path: '/v1/clients/:clientId', query: { command: 'activate' }, status: 503 });
    expect((await fineract.command(id, 'verify', { kycVerificationType: 'PARTIAL' })).status).toBe(403); // not the faulted command
    expect(fault.hits).toBe(0);
    expect((await fineract.command(id, 'activate', { activationDate: '22 November 2026', ...DATES })).status).toBe(503);
    expect(fault.hits).toBe(1);
  });

  it('injects latency and connection resets', async () => {
    sim.injectFault({ path: '/v1/clients', latencyMs: 150 });
    const started = performance.now();
    expect((await fineract.get('/v1/clients')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);

    sim.injectFault({ path: /^\/v1\/clients/, reset: true });
    await expect(fineract.get('/v1/clients')).rejects.toThrow();
    expect((await fineract.get('/v1/clients')).status).toBe(200);
  });

  it('records every request with headers, JSON and simulated time', async () => {
    await sim.clock.set('2026-12-01T08:00:00Z');
    const id = await fineract.createClient({ externalId: 'logged', submittedOnDate: undefined });
    await fineract.get(`/v1/clients/${id}`);
    const [create, read] = sim.requests();
    expect(create).toMatchObject({ server: 'api', method: 'POST', path: '/v1/clients', json: expect.objectContaining({ externalId: 'logged' }), at: new Date('2026-12-01T08:00:00Z') });
    expect(create?.headers['fineract-platform-tenantid']).toBe('default');
    expect(read).toMatchObject({ method: 'GET', path: `/v1/clients/${id}` });
    expect(sim.findRequest((entry) => entry.method === 'GET')?.id).toBe(read?.id);
    expect(sim.getClient(id)?.timeline.submittedOnDate).toEqual([2026, 12, 1]);
    sim.clearRequests();
    expect(sim.requests()).toEqual([]);
  });

  it('uses the tenant time zone for "today"', async () => {
    const tokyo = await createClientsCommandSimulator({ now: '2026-11-22T20:00:00Z', timeZone: 'Asia/Tokyo' });
    try {
      expect(tokyo.today()).toEqual([2026, 11, 23]);
      const ok = await api(tokyo).post('/v1/clients', newClientBody({ submittedOnDate: '23 November 2026' }));
      expect(ok.status).toBe(200);
    } finally {
      await tokyo.close();
    }
    await expect(createClientsCommandSimulator({ timeZone: 'Mars/Olympus' })).rejects.toThrow(/time zone/);
  });

  it('reset() forgets clients and restarts ids', async () => {
    await fineract.createClient();
    sim.reset();
    expect(sim.listClients()).toEqual([]);
    expect(await fineract.createClient()).toBe(101);
  });

  it('close() stops the server, without waiting for injected delays', async () => {
    const other = await createClientsCommandSimulator();
    other.injectFaultAfterProcessing({ path: '/v1/clients', latencyMs: 10_000 });
    const pending = request(`${other.url}/v1/clients`, { headers: other.authHeaders() });
    await expect.poll(() => other.requests().length, { interval: 5 }).toBe(1);
    const started = performance.now();
    await other.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(pending).rejects.toThrow();
    await expect(request(`${other.url}/v1/clients`)).rejects.toThrow();
  });
});

describe('exactly the contract (clients-command.md): anything else is a 404 and a recorded violation', () => {
  it('a whole onboarding through documented calls records no violation', async () => {
    const id = await fineract.createClient();
    await fineract.get(`/v1/clients?externalId=${encodeURIComponent(sim.getClient(id)!.externalId!)}`);
    await completeKyc(id);
    await fineract.get(`/v1/clients/${id}/identifiers`);
    expect((await fineract.command(id, 'verify', { kycVerificationType: 'FULL' })).status).toBe(200);
    expect((await fineract.command(id, 'activate', { activationDate: '22 November 2026', ...DATES })).status).toBe(200);
    expect(sim.contractViolations()).toEqual([]);
  });

  it.each([
    ['GET', '/v1/clients/{id}/addresses', 'GET /v1/clients/{clientId}/addresses', 'the contract documents only POST on this path'],
    ['GET', '/v1/clients/{id}/identifiers/7', 'GET /v1/clients/{clientId}/identifiers/{identifierId}', 'the contract documents no such path'],
    ['GET', '/v1/clients/{id}/identifiers/7/documents', 'GET /v1/clients/{clientId}/identifiers/{identifierId}/documents', 'the contract documents only POST on this path'],
    ['DELETE', '/v1/clients/{id}', 'DELETE /v1/clients/{clientId}', 'the contract documents only GET, PUT, POST on this path'],
    ['PUT', '/v1/clients/{id}/addresses/1', 'PUT /v1/clients/{clientId}/addresses/1', 'the contract documents no such path'],
    ['GET', '/v1/loans', 'GET /v1/loans', 'the contract documents no such path'],
  ])('%s %s answers 404 and is recorded as %s', async (method, path, route, reason) => {
    const id = await fineract.createClient();
    const reply = await fineract.send(method, path.replace('{id}', String(id)));
    expect(reply.status).toBe(404);
    expect(reply.json).toMatchObject({ httpStatusCode: '404', userMessageGlobalisationCode: 'error.msg.resource.not.found' });
    expect(sim.contractViolations()).toEqual([
      { requestId: 2, server: 'api', method, path: path.replace('{id}', String(id)), route, reason },
    ]);
  });

  it('an undocumented command is refused and recorded; back-office commands are served but recorded', async () => {
    const id = await fineract.createClient();
    expect((await fineract.command(id, 'withdraw', { withdrawalDate: '22 November 2026', withdrawalReasonId: 91, ...DATES })).status).toBe(400);
    expect((await fineract.command(id, 'reject', { rejectionDate: '22 November 2026', rejectionReasonId: 73, ...DATES })).status).toBe(200);
    expect(sim.contractViolations().map(({ route, reason }) => ({ route, reason }))).toEqual([
      { route: `POST /v1/clients/{clientId}?command=withdraw`, reason: 'the contract documents only command=verify|activate|undoRejection|reject|close here' },
      { route: `POST /v1/clients/{clientId}?command=reject`, reason: "documented for the provider's back office only: a platform never calls it" },
    ]);
  });

  it('records a violation even when a fault answers instead of the handler, and clearRequests() forgets it', async () => {
    const id = await fineract.createClient();
    sim.injectFault({ method: 'GET', path: /\/addresses$/, status: 200, body: [] });
    expect((await fineract.get(`/v1/clients/${id}/addresses`)).status).toBe(200);
    expect(sim.contractViolations().map((violation) => violation.route)).toEqual(['GET /v1/clients/{clientId}/addresses']);
    sim.clearRequests();
    expect(sim.contractViolations()).toEqual([]);
  });

  it('records a violation without credentials too (answered 401 like every path)', async () => {
    const reply = await request(`${sim.url}/v1/clients/1/addresses`);
    expect(reply.statusCode).toBe(401);
    await reply.body.dump();
    expect(sim.contractViolations()).toEqual([expect.objectContaining({ route: 'GET /v1/clients/{clientId}/addresses' })]);
  });
});
