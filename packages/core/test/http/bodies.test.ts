import { FormData, Response } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigurationError, ProviderError } from '../../src/errors.js';
import { createHttpClient, type HttpClient } from '../../src/http/index.js';
import { caught, sendJson, startServer, technestErrors, type TestServer } from './helpers.js';

const servers: TestServer[] = [];
const clients: HttpClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function echoServer(): Promise<TestServer> {
  const started = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
  servers.push(started);
  return started;
}

function client(baseUrl: string): HttpClient {
  const created = createHttpClient({ provider: 'clients-command', baseUrl, mapError: technestErrors });
  clients.push(created);
  return created;
}

async function parseMultipart(body: Buffer, contentType: string): Promise<FormData> {
  return new Response(body, { headers: { 'content-type': contentType } }).formData();
}

describe('request bodies', () => {
  it('sends JSON with its content type', async () => {
    const srv = await echoServer();
    await client(srv.url).request({ method: 'PATCH', path: '/api/v1/customers/c1', json: { kycData: { firstName: 'Jane' } } });
    const request = srv.requests[0]!;
    expect(request.method).toBe('PATCH');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body.toString())).toEqual({ kycData: { firstName: 'Jane' } });
  });

  it('lets the caller override the JSON content type', async () => {
    const srv = await echoServer();
    await client(srv.url).request({
      method: 'PATCH',
      path: '/x',
      json: { a: 1 },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(srv.requests[0]?.headers['content-type']).toBe('application/merge-patch+json');
  });

  it('sends an OAuth client-credentials form', async () => {
    const srv = await echoServer();
    await client(srv.url).request({
      method: 'POST',
      path: '/oauth/token',
      form: { grant_type: 'client_credentials', client_id: 'id 1', client_secret: 's&cret=', scope: 'customer:write' },
    });
    const request = srv.requests[0]!;
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const params = new URLSearchParams(request.body.toString());
    expect(Object.fromEntries(params)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'id 1',
      client_secret: 's&cret=',
      scope: 'customer:write',
    });
  });

  it('sends multipart fields and a file part with its own filename and type', async () => {
    const srv = await echoServer();
    const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
    await client(srv.url).request({
      method: 'POST',
      path: '/v1/clients/42/identifiers/7/documents',
      multipart: [
        { name: 'name', value: 'passport' },
        { name: 'description', value: 'front side' },
        { name: 'file', content: bytes, contentType: 'image/png', filename: 'passport.png' },
      ],
    });
    const request = srv.requests[0]!;
    const contentType = request.headers['content-type']!;
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(Number(request.headers['content-length'])).toBe(request.body.length);
    const form = await parseMultipart(request.body, contentType);
    expect(form.get('name')).toBe('passport');
    expect(form.get('description')).toBe('front side');
    const file = form.get('file') as File;
    expect(file.name).toBe('passport.png');
    expect(file.type).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
  });

  it('accepts a ready FormData and keeps its boundary content type', async () => {
    const srv = await echoServer();
    const form = new FormData();
    form.append('name', 'bill');
    form.append('file', new Blob([Buffer.from('%PDF-1.4')], { type: 'application/pdf' }), 'bill.pdf');
    await client(srv.url).request({
      method: 'POST',
      path: '/docs',
      multipart: form,
      headers: { 'content-type': 'application/json' }, // ignored: the boundary must match the body
    });
    const request = srv.requests[0]!;
    const parsed = await parseMultipart(request.body, request.headers['content-type']!);
    expect(parsed.get('name')).toBe('bill');
    expect((parsed.get('file') as File).name).toBe('bill.pdf');
  });

  it('sends raw bytes as given', async () => {
    const srv = await echoServer();
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 1, 2]);
    await client(srv.url).request({ method: 'PUT', path: '/upload', body: bytes, headers: { 'content-type': 'image/jpeg' } });
    expect(srv.requests[0]?.body.equals(bytes)).toBe(true);
    expect(srv.requests[0]?.headers['content-type']).toBe('image/jpeg');
  });

  it('refuses two bodies at once', async () => {
    const http = client('http://127.0.0.1:1');
    const request = { method: 'POST', path: '/x', json: {}, form: { a: '1' } } as unknown as Parameters<HttpClient['request']>[0];
    const error = await caught(() => http.request(request));
    expect(ConfigurationError.isInstance(error)).toBe(true);
  });
});

describe('responses', () => {
  it('parses JSON against a zod schema', async () => {
    const srv = await startServer((_req, res) => sendJson(res, 200, { id: 'ckcust_1', status: 'pending', extra: 1 }));
    servers.push(srv);
    const response = await client(srv.url).request({ method: 'GET', path: '/v1/customers/ckcust_1' });
    const customer = response.json(z.object({ id: z.string(), status: z.enum(['created', 'pending']) }));
    expect(customer).toEqual({ id: 'ckcust_1', status: 'pending' });
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.text()).toContain('ckcust_1');
  });

  it('a body of the wrong shape is a non-retryable ProviderError naming paths, not values', async () => {
    const srv = await startServer((_req, res) => sendJson(res, 200, { id: 42, status: 'SECRET-VALUE' }));
    servers.push(srv);
    const response = await client(srv.url).request({ method: 'GET', path: '/v1/customers/c' });
    let error: unknown;
    try {
      response.json(z.object({ id: z.string(), status: z.enum(['created', 'pending']) }));
    } catch (thrown) {
      error = thrown;
    }
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).retryable).toBe(false);
    expect((error as Error).message).toMatch(/id: invalid_type/);
    expect((error as Error).message).toMatch(/status: invalid_value/);
    expect((error as Error).message).not.toContain('SECRET-VALUE');
  });

  it('invalid JSON is a ProviderError', async () => {
    const srv = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>');
    });
    servers.push(srv);
    const response = await client(srv.url).request({ method: 'GET', path: '/x' });
    expect(() => response.json()).toThrow(/not valid JSON/);
  });

  it('expectStatus accepts a listed non-2xx status and refuses an unlisted 2xx', async () => {
    const srv = await startServer((req, res) => sendJson(res, req.url === '/a' ? 404 : 202, {}));
    servers.push(srv);
    const http = client(srv.url);
    const notFound = await http.request({ method: 'GET', path: '/a', expectStatus: [200, 404] });
    expect(notFound.status).toBe(404);
    await expect(http.request({ method: 'GET', path: '/b', expectStatus: [200] })).rejects.toMatchObject({ status: 202, retryable: false });
  });
});
