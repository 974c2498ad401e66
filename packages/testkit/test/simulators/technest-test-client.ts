import { request } from 'undici';
import { sampleDocument } from '../../src/fixtures/sample-document.js';
import type { TechnestSimulator } from '../../src/simulators/technest/technest-simulator.js';
import { signTechnestWebhook } from '../../src/simulators/technest/technest-webhooks.js';

/** Minimal raw HTTP client for the simulator tests: no retries, no token caching, bodies always consumed. */
export interface HttpResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /**
   * Parsed JSON, or undefined when the body is not JSON. `any` on purpose (test-only): responses are
   * checked with toMatchObject/toEqual, which is the real type assertion here.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: any;
}

export interface CallOptions {
  readonly token?: string;
  readonly json?: unknown;
  readonly body?: string | Uint8Array;
  readonly headers?: Record<string, string>;
}

export async function call(url: string, method: string, options: CallOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | Uint8Array | undefined = options.body;
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await request(url, { method: method as 'GET', headers, body });
  const text = await response.body.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: response.headers, text, json };
}

export function api(sim: TechnestSimulator, token: string) {
  return {
    get: (path: string) => call(`${sim.url}${path}`, 'GET', { token }),
    post: (path: string, json: unknown = {}) => call(`${sim.url}${path}`, 'POST', { token, json }),
    patch: (path: string, json: unknown) => call(`${sim.url}${path}`, 'PATCH', { token, json }),
  };
}

export async function fetchToken(sim: TechnestSimulator, overrides: Record<string, string> = {}): Promise<HttpResult> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: sim.clientId,
    client_secret: sim.clientSecret,
    scope: 'customer:write',
    ...overrides,
  });
  return call(`${sim.url}/oauth/token`, 'POST', {
    body: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

export async function getToken(sim: TechnestSimulator): Promise<string> {
  const response = await fetchToken(sim);
  if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${response.text}`);
  return response.json.access_token as string;
}

let referenceCounter = 0;
export function uniqueReference(prefix = 'user'): string {
  referenceCounter += 1;
  return `${prefix}-${process.pid}-${referenceCounter}`;
}

export const FULL_DETAILS = {
  date_of_birth: '1990-05-15',
  phone: '+14155551234',
  country: 'GB',
  address: { line1: '1 High St', line2: null, city: 'London', state: null, postal_code: 'N1 9GU', country: 'GB' },
};

export async function createCustomer(
  sim: TechnestSimulator,
  token: string,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; reference: string; response: HttpResult }> {
  const reference = (overrides.customer_reference as string | undefined) ?? uniqueReference();
  const response = await api(sim, token).post('/v1/customers', {
    type: 'individual',
    customer_reference: reference,
    email: 'jane@example.com',
    first_name: 'Jane',
    last_name: 'Smith',
    ...FULL_DETAILS,
    ...overrides,
  });
  return { id: response.json?.id as string, reference, response };
}

/** POST /files then PUT the bytes; returns the file id. */
export async function uploadFile(
  sim: TechnestSimulator,
  token: string,
  customerId: string,
  category = 'id_document',
  contentType: 'image/jpeg' | 'image/png' | 'application/pdf' = 'image/jpeg',
): Promise<string> {
  const document = sampleDocument('passport', contentType);
  const intent = await api(sim, token).post(`/v1/customers/${customerId}/files`, {
    file_category: category,
    filename: document.filename,
    content_type: contentType,
  });
  if (intent.status !== 201) throw new Error(`intent failed: ${intent.status} ${intent.text}`);
  const put = await call(intent.json.upload_url, 'PUT', { body: document.content, headers: intent.json.required_headers });
  if (put.status !== 200) throw new Error(`upload failed: ${put.status} ${put.text}`);
  return intent.json.file_id as string;
}

/** Create → upload id → attach id_file: the customer is pending afterwards. */
export async function submittedCustomer(sim: TechnestSimulator, token: string, overrides: Record<string, unknown> = {}) {
  const customer = await createCustomer(sim, token, overrides);
  const fileId = await uploadFile(sim, token, customer.id);
  const attach = await api(sim, token).post(`/v1/customers/${customer.id}/files/attach`, { id_file: fileId });
  if (attach.status !== 200) throw new Error(`attach failed: ${attach.status} ${attach.text}`);
  return { ...customer, fileId };
}

/** Checks a Technest-Signature header against a secret the way a platform would. */
export function signatureMatches(header: string | undefined, rawBody: string, secret: string): boolean {
  if (!header) return false;
  const parts = header.split(',');
  const t = Number(parts.find((part) => part.startsWith('t='))?.slice(2));
  const expected = signTechnestWebhook(secret, rawBody, t).split(',')[1];
  return parts.some((part) => part === expected);
}

export function signatureTimestamp(header: string | undefined): number {
  return Number(header?.split(',').find((part) => part.startsWith('t='))?.slice(2));
}
