/**
 * A tiny KYC provider for core's own tests: a real HTTP server on 127.0.0.1 and
 * an adapter that talks to it with undici, signing webhooks with the
 * timestamped-HMAC scheme. Small on purpose: the real providers' quirks live in
 * the adapters and the testkit simulators.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { ProviderError } from '../../src/errors.js';
import type { CustomerStatus } from '../../src/models/customer-status.js';
import type { Rejection, Requirement } from '../../src/models/requirement.js';
import {
  KYC_PROVIDER_SPEC_VERSION,
  type KycProvider,
  type ProviderCapabilities,
  type ProviderReport,
} from '../../src/provider/kyc-provider.js';
import { verifyTimestampedHmac } from '../../src/webhooks/timestamped-hmac.js';

export interface TinyRecord {
  id: string;
  reference: string;
  status: CustomerStatus;
  requirements?: Requirement[];
  rejection?: Rejection;
  updatedAt: string;
  /** What the last submit carried (document numbers included: the server is the provider). */
  lastSubmission?: unknown;
}

export interface TinyServer {
  url: string;
  records: Map<string, TinyRecord>;
  requests: { method: string; path: string; body: string }[];
  /** Provider-side decision; returns a signed webhook delivery for it. */
  decide(id: string, status: CustomerStatus, extra?: Partial<TinyRecord> & { at?: Date }): TinyDelivery;
  /** A signed delivery for any payload (tests of stale and duplicate events). */
  delivery(payload: TinyWebhookPayload | string, options?: { secret?: string; timestamp?: number }): TinyDelivery;
  /** Next responses for a path answer with this status. */
  failNext(path: RegExp, status: number, times?: number): void;
  close(): Promise<void>;
}

export interface TinyWebhookPayload {
  id: string;
  customerId: string;
  status: CustomerStatus;
  occurredAt: string;
  requirements?: Requirement[];
  rejection?: Rejection;
}

export interface TinyDelivery {
  headers: Record<string, string>;
  body: string;
}

export const TINY_WEBHOOK_SECRET = 'tiny_whsec_3f9c';

export async function startTinyServer(clock: () => Date = () => new Date()): Promise<TinyServer> {
  const records = new Map<string, TinyRecord>();
  const requests: TinyServer['requests'] = [];
  const failures: { path: RegExp; status: number; times: number }[] = [];

  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', body });
      route(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function route(req: IncomingMessage, res: ServerResponse, body: string): void {
    const path = req.url ?? '/';
    const failure = failures.find((f) => f.path.test(path) && f.times > 0);
    if (failure !== undefined) {
      failure.times--;
      return json(res, failure.status, { error: 'injected' });
    }
    const at = clock().toISOString();
    if (req.method === 'POST' && path === '/customers') {
      const input = JSON.parse(body) as { reference: string };
      const existing = [...records.values()].find((r) => r.reference === input.reference);
      if (existing !== undefined) return json(res, 200, existing);
      const record: TinyRecord = { id: `tiny_${randomUUID().slice(0, 8)}`, reference: input.reference, status: 'created', updatedAt: at };
      records.set(record.id, record);
      return json(res, 201, record);
    }
    const match = /^\/customers\/([^/]+)(\/submit|\/activate)?$/.exec(path);
    const record = match === null ? undefined : records.get(match[1]!);
    if (record === undefined) return json(res, 404, { error: 'not_found' });
    if (req.method === 'GET') return json(res, 200, record);
    if (match![2] === '/submit') {
      if (record.status === 'pending') return json(res, 409, { error: 'in_review' });
      Object.assign(record, { status: 'pending', updatedAt: at, lastSubmission: JSON.parse(body), requirements: undefined });
      return json(res, 200, record);
    }
    if (match![2] === '/activate') {
      if (record.status !== 'verified') return json(res, 409, { error: 'not_verified' });
      Object.assign(record, { status: 'active', updatedAt: at });
      return json(res, 200, record);
    }
    return json(res, 405, { error: 'method' });
  }

  function delivery(payload: TinyWebhookPayload | string, options: { secret?: string; timestamp?: number } = {}): TinyDelivery {
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const t = options.timestamp ?? Math.floor(clock().getTime() / 1000);
    const signature = createHmac('sha256', options.secret ?? TINY_WEBHOOK_SECRET).update(`${t}.${body}`).digest('hex');
    return { headers: { 'content-type': 'application/json', 'tiny-signature': `t=${t},v1=${signature}` }, body };
  }

  return {
    url,
    records,
    requests,
    decide(id, status, extra = {}) {
      const record = records.get(id);
      if (record === undefined) throw new Error(`no record ${id}`);
      const occurredAt = (extra.at ?? clock()).toISOString();
      Object.assign(record, { ...extra, status, updatedAt: occurredAt });
      return delivery({
        id: `evt_${randomUUID()}`,
        customerId: id,
        status,
        occurredAt,
        ...(record.requirements === undefined ? {} : { requirements: record.requirements }),
        ...(record.rejection === undefined ? {} : { rejection: record.rejection }),
      });
    },
    delivery,
    failNext(path, status, times = 1) {
      failures.push({ path, status, times });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const tinyCapabilities: ProviderCapabilities = {
  documentTypes: ['passport', 'drivers_license', 'proof_of_address', 'selfie'],
  twoSidedDocuments: ['drivers_license'],
  identityDocumentTypes: ['passport', 'drivers_license'],
  requiredFields: [],
  files: { contentTypes: ['image/jpeg', 'image/png', 'application/pdf'], maxBytes: 10 * 1024 * 1024 },
  customerTypes: ['individual'],
  activation: 'explicit',
  retryAfterRejection: 'new-customer',
  webhooks: true,
  needsInfo: true,
  reviewTime: { synchronous: false, typicalMs: 10 * 60_000, escalateAfterMs: 2 * 60 * 60_000 },
};

/** The adapter for the tiny server. */
export function tinyProvider(
  server: { url: string },
  options: { id?: string; capabilities?: Partial<ProviderCapabilities> } = {},
): KycProvider {
  const id = options.id ?? 'tiny';
  const agent = new Agent({ connections: 8 });

  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<TinyRecord> {
    const response = await request(`${server.url}${path}`, {
      method,
      dispatcher: agent,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.body.text();
    if (response.statusCode >= 400) {
      throw new ProviderError(`tiny answered ${response.statusCode}`, {
        provider: id,
        status: response.statusCode,
        retryable: response.statusCode >= 500,
      });
    }
    return JSON.parse(text) as TinyRecord;
  }

  return {
    specificationVersion: KYC_PROVIDER_SPEC_VERSION,
    id,
    capabilities: { ...tinyCapabilities, ...options.capabilities },
    async createCustomer(input) {
      return toReport(await call('POST', '/customers', { reference: input.providerReference }));
    },
    async submit(input) {
      const documents = input.application.documents.map((d) => ({ type: d.type, number: d.number, bytes: d.front.content.length }));
      return toReport(await call('POST', `/customers/${input.providerCustomerId}/submit`, { documents }));
    },
    async fetch(input) {
      return toReport(await call('GET', `/customers/${input.providerCustomerId}`));
    },
    async activate(input) {
      return toReport(await call('POST', `/customers/${input.providerCustomerId}/activate`));
    },
    async retry(input) {
      const record = await call('POST', '/customers', { reference: `${input.reference}-r${input.attempt}` });
      return { ...toReport(record), providerReference: record.reference };
    },
    webhooks: {
      verify(request) {
        verifyTimestampedHmac({
          header: request.headers['tiny-signature'],
          rawBody: request.rawBody,
          secrets: [TINY_WEBHOOK_SECRET],
          toleranceSeconds: 300,
          now: request.now,
        });
      },
      parse(request) {
        const payload = JSON.parse(Buffer.from(request.rawBody).toString('utf8')) as TinyWebhookPayload;
        return {
          kind: 'report',
          dedupeKey: payload.id,
          report: {
            providerCustomerId: payload.customerId,
            status: payload.status,
            rawStatus: payload.status,
            occurredAt: payload.occurredAt,
            ...(payload.requirements === undefined ? {} : { requirements: payload.requirements }),
            ...(payload.rejection === undefined ? {} : { rejection: payload.rejection }),
          },
        };
      },
    },
    async close() {
      await agent.close();
    },
  };
}

function toReport(record: TinyRecord): ProviderReport {
  return {
    providerCustomerId: record.id,
    status: record.status,
    rawStatus: record.status,
    occurredAt: record.updatedAt,
    ...(record.requirements === undefined ? {} : { requirements: record.requirements }),
    ...(record.rejection === undefined ? {} : { rejection: record.rejection }),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
