import type { Application } from '@openkyc/core';
import { Agent, request } from 'undici';

/**
 * The floor for the Technest figures: the same HTTP calls the adapter makes,
 * hand-written with `undici.request` and nothing else — no validation, no
 * schemas, no retries, no timeouts, no store. It reads JSON where the answer
 * is needed and only checks status codes otherwise.
 */

/** The pool the adapter's HTTP toolkit creates (core/src/http/http-client.ts), so keep-alive is the same on both sides. */
export function rawAgent(): Agent {
  return new Agent({
    connections: 16,
    pipelining: 1,
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 60_000,
    connect: { timeout: 10_000 },
  });
}

export interface RawTechnest {
  token(): Promise<string>;
  createCustomer(reference: string, token: string): Promise<string>;
  submit(customerId: string, token: string): Promise<void>;
  getCustomer(customerId: string, token: string): Promise<{ id: string; status: string }>;
}

interface Slot {
  readonly slot: string;
  readonly category: string;
  readonly filename: string;
  readonly contentType: string;
  readonly content: Uint8Array;
}

export function rawTechnest(options: {
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly dispatcher: Agent;
  readonly application: Application;
}): RawTechnest {
  const { baseUrl, dispatcher, application } = options;
  const { person, address } = application;
  // The same PATCH body and the same slots as the adapter (see map-application.ts).
  const patchBody = JSON.stringify({
    email: person.email,
    first_name: person.firstName,
    last_name: person.lastName,
    date_of_birth: person.dateOfBirth,
    phone: person.phone,
    country: address.country,
    address: {
      line1: address.line1,
      line2: address.line2 ?? null,
      city: address.city,
      state: address.stateCode ?? address.state ?? null,
      postal_code: address.postalCode,
      country: address.country,
    },
  });
  const slotOf: Record<string, [string, string]> = {
    passport: ['id_file', 'id_document'],
    proof_of_address: ['proof_of_address_file', 'proof_of_address'],
    selfie: ['liveness_check_file', 'liveness_check'],
  };
  const slots: Slot[] = application.documents.map((document) => {
    const [slot, category] = slotOf[document.type]!;
    return { slot, category, filename: document.front.filename, contentType: document.front.contentType, content: document.front.content };
  });

  async function call(method: 'GET' | 'POST' | 'PATCH', path: string, token: string, body?: string): Promise<any> {
    const response = await request(`${baseUrl}${path}`, {
      dispatcher,
      method,
      headers: body === undefined ? { authorization: `Bearer ${token}` } : { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
    if (response.statusCode >= 300) throw new Error(`${method} ${path}: HTTP ${response.statusCode} ${await response.body.text()}`);
    return response.body.json();
  }

  async function callIgnoringBody(method: 'POST' | 'PATCH', path: string, token: string, body: string): Promise<void> {
    const response = await request(`${baseUrl}${path}`, {
      dispatcher,
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
    if (response.statusCode >= 300) throw new Error(`${method} ${path}: HTTP ${response.statusCode} ${await response.body.text()}`);
    await response.body.dump();
  }

  return {
    async token() {
      const response = await request(`${baseUrl}/oauth/token`, {
        dispatcher,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: options.clientId,
          client_secret: options.clientSecret,
          scope: 'customer:write',
        }).toString(),
      });
      if (response.statusCode !== 200) throw new Error(`token: HTTP ${response.statusCode}`);
      return ((await response.body.json()) as { access_token: string }).access_token;
    },
    async createCustomer(reference, token) {
      const customer = (await call(
        'POST',
        '/v1/customers',
        token,
        JSON.stringify({ type: 'individual', customer_reference: reference, email: person.email, first_name: person.firstName, last_name: person.lastName }),
      )) as { id: string };
      return customer.id;
    },
    async submit(customerId, token) {
      const path = `/v1/customers/${encodeURIComponent(customerId)}`;
      const current = (await call('GET', path, token)) as { status: string };
      if (current.status !== 'created') throw new Error(`customer ${customerId} is ${current.status}`);
      await callIgnoringBody('PATCH', path, token, patchBody);
      const attach: Record<string, string> = {};
      for (const slot of slots) {
        const intent = (await call(
          'POST',
          `${path}/files`,
          token,
          JSON.stringify({ file_category: slot.category, filename: slot.filename, content_type: slot.contentType }),
        )) as { file_id: string; upload_url: string; required_headers: Record<string, string> };
        const put = await request(intent.upload_url, { dispatcher, method: 'PUT', headers: intent.required_headers, body: slot.content });
        if (put.statusCode !== 200) throw new Error(`PUT upload: HTTP ${put.statusCode}`);
        await put.body.dump();
        attach[slot.slot] = intent.file_id;
      }
      await callIgnoringBody('POST', `${path}/files/attach`, token, JSON.stringify(attach));
      const acknowledged = (await call('POST', `${path}/kyc`, token, '{}')) as { status: string };
      if (acknowledged.status !== 'pending') throw new Error(`customer ${customerId} is ${acknowledged.status} after submit`);
    },
    async getCustomer(customerId, token) {
      return (await call('GET', `/v1/customers/${encodeURIComponent(customerId)}`, token)) as { id: string; status: string };
    },
  };
}
