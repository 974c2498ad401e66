import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  clientsCommandEchoFault,
  createClientsCommandSimulator,
  createPatchStyleSimulator,
  createTechnestSimulator,
  echoedValues,
  echoForms,
  patchStyleEchoFault,
  technestEchoFault,
} from '../../src/index.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const SENT = { first_name: 'Zelphine', date_of_birth: '1990-05-15', documents: [{ number: 'PZ8K4Q7M3' }], age: 36 };

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.statusCode, json: (await response.body.json()) as Record<string, unknown> };
}

describe('value-echoing error faults', () => {
  it('echoedValues reads JSON leaves, form fields, multipart texts and file names, and query values', () => {
    const base = { searchParams: new URLSearchParams('externalId=ext-1') };
    expect(echoedValues({ ...base, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(SENT)) })).toEqual([
      'Zelphine',
      '1990-05-15',
      'PZ8K4Q7M3',
      '36',
      'ext-1',
    ]);
    expect(echoedValues({ searchParams: new URLSearchParams(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from('a=1&b=Zoë') })).toEqual(['1', 'Zoë']);
    const multipart = Buffer.from(
      '--b1\r\nContent-Disposition: form-data; name="name"\r\n\r\nPZ8K4Q7M3\r\n--b1\r\nContent-Disposition: form-data; name="file"; filename="zel.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff\r\n--b1--\r\n',
      'latin1',
    );
    expect(echoedValues({ searchParams: new URLSearchParams(), headers: { 'content-type': 'multipart/form-data; boundary=b1' }, body: multipart })).toEqual([
      'PZ8K4Q7M3',
      'zel.jpg',
    ]);
  });

  it('echoForms writes dates the ways providers do', () => {
    expect(echoForms('1990-05-15')).toEqual(
      expect.arrayContaining(['15 May 1990', 'May 15, 1990', '15/05/1990', '05/15/1990', 'the fifteenth of May 1990', 'May fifteenth']),
    );
    expect(echoForms('15 May 1990')).toContain('1990-05-15');
  });

  it('technestEchoFault puts what was sent into message, code and param', async () => {
    const sim = await createTechnestSimulator();
    cleanup.push(() => sim.close());
    sim.injectFault(technestEchoFault({ status: 422, path: '/v1/customers' }));
    const { status, json } = await post(`${sim.url}/v1/customers`, SENT);
    expect(status).toBe(422);
    const error = json.error as Record<string, string>;
    expect(error.message).toContain('the fifteenth of May 1990');
    expect(error.code).toContain('PZ8K4Q7M3');
    expect(error.param).toContain('Zelphine');
  });

  it('a documented code can be kept while the message echoes', async () => {
    const sim = await createTechnestSimulator();
    cleanup.push(() => sim.close());
    sim.injectFault(technestEchoFault({ status: 400, code: 'validation_failed' }));
    const { json } = await post(`${sim.url}/v1/customers`, SENT);
    expect((json.error as Record<string, string>).code).toBe('validation_failed');
    expect((json.error as Record<string, string>).type).toBe('invalid_request_error');
  });

  it('patchStyleEchoFault and clientsCommandEchoFault echo in their providers’ envelopes', async () => {
    const patch = await createPatchStyleSimulator();
    cleanup.push(() => patch.close());
    patch.injectFault(patchStyleEchoFault({ status: 400, code: 'BAD_REQUEST' }));
    const patched = await post(`${patch.url}/api/v1/customers`, SENT);
    expect(patched.json).toMatchObject({ error: 'BAD_REQUEST', statusCode: 400 });
    expect(patched.json.message).toMatch(/^Validation failed: Zelphine .*; 1990\.05\.15 .*May 15, 1990/);

    const fineract = await createClientsCommandSimulator();
    cleanup.push(() => fineract.close());
    fineract.injectFault(clientsCommandEchoFault({ status: 403 }));
    const refused = await post(`${fineract.url}/v1/clients`, SENT);
    expect(refused.json.httpStatusCode).toBe('403');
    expect(refused.json.userMessageGlobalisationCode).toBe('error.msg.client.Zelphine.1990.05.15.PZ8K4Q7M3.36');
    expect(refused.json.errors).toContainEqual(expect.objectContaining({ parameterName: 'PZ8K4Q7M3', value: 'PZ8K4Q7M3' }));
  });
});
