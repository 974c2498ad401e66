import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WebhookVerificationError } from '../../src/errors.js';
import { normalizeHeaders, toRawBytes } from '../../src/webhooks/webhook-request.js';
import { expectVerificationError } from './helpers.js';

describe('normalizeHeaders', () => {
  it('lower-cases names and keeps values byte for byte', () => {
    expect(normalizeHeaders({ 'Webhook-ID': 'msg_1', 'Content-Type': 'application/json', 'X-Padded': '  a  ' })).toEqual({
      'webhook-id': 'msg_1',
      'content-type': 'application/json',
      'x-padded': '  a  ',
    });
  });

  it("joins multi-valued headers with ', ' and drops undefined ones", () => {
    expect(normalizeHeaders({ Accept: ['text/html', 'application/json'], 'X-Absent': undefined })).toEqual({
      accept: 'text/html, application/json',
    });
  });

  it('joins repeated signature headers with their scheme separator, keeping every entry intact', () => {
    const normalized = normalizeHeaders({
      'Webhook-Signature': ['v1,AAA=', 'v1,BBB= v1a,CCC='],
      'Technest-Signature': ['t=1,v1=aa', 't=1,v1=bb'],
    });
    expect(normalized['webhook-signature']).toBe('v1,AAA= v1,BBB= v1a,CCC=');
    expect(normalized['technest-signature']).toBe('t=1,v1=aa,t=1,v1=bb');
  });

  it('does not split a single signature header value on its commas', () => {
    expect(normalizeHeaders({ 'webhook-signature': 'v1,abc=' })['webhook-signature']).toBe('v1,abc=');
  });

  it('merges names that differ only in case', () => {
    expect(normalizeHeaders({ 'X-A': '1', 'x-a': '2' })).toEqual({ 'x-a': '1, 2' });
  });

  it('reads a fetch Headers object', () => {
    const headers = new Headers({ 'Webhook-Id': 'msg_1' });
    headers.append('Webhook-Signature', 'v1,AAA=');
    expect(normalizeHeaders(headers)).toEqual({ 'webhook-id': 'msg_1', 'webhook-signature': 'v1,AAA=' });
  });

  it('cannot be used to touch the prototype', () => {
    const input = JSON.parse('{"__proto__": "x", "constructor": "y"}') as Record<string, string>;
    const normalized = normalizeHeaders(input);
    expect(Object.getPrototypeOf(normalized)).toBe(Object.prototype);
    expect(Object.hasOwn(normalized, '__proto__')).toBe(true);
    expect(normalized['constructor']).toBe('y');
  });

  it("copies Node's already lower-cased record into a new object the caller's later changes do not reach", () => {
    const input: Record<string, string> = { host: 'example.com', 'technest-signature': 't=1,v1=aa' };
    const normalized = normalizeHeaders(input);
    expect(normalized).toEqual(input);
    expect(normalized).not.toBe(input);
    input['technest-signature'] = 't=2,v1=bb';
    expect(normalized['technest-signature']).toBe('t=1,v1=aa');
  });

  it('reads any record like the plain model: names lower-cased, repeated names joined in order', () => {
    const name = fc.oneof(
      fc.constantFrom('host', 'Host', 'HOST', 'x-a', 'X-A', 'content-type', 'Content-Type', '__proto__', 'constructor'),
      fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,10}$/).filter((n) => !n.toLowerCase().endsWith('signature')),
    );
    const value = fc.oneof(fc.string({ maxLength: 8 }), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }), fc.constant(undefined));
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 8 }), (entries) => {
        const record: Record<string, string | string[] | undefined> = {};
        for (const [key, entry] of entries) Object.defineProperty(record, key, { value: entry, enumerable: true, writable: true, configurable: true });
        const model = new Map<string, string[]>();
        for (const key of Object.keys(record)) {
          const entry = record[key];
          const values = typeof entry === 'string' ? [entry] : (entry ?? []);
          if (values.length === 0) continue;
          const lower = key.toLowerCase();
          model.set(lower, [...(model.get(lower) ?? []), ...values]);
        }
        const normalized = normalizeHeaders(record);
        expect(Object.keys(normalized).sort()).toEqual([...model.keys()].sort());
        for (const [lower, values] of model) expect(normalized[lower]).toBe(values.join(', '));
        expect(Object.getPrototypeOf(normalized)).toBe(Object.prototype);
      }),
    );
  });

  it('treats non-string junk from untyped callers as absent', () => {
    const junk = { a: 1, b: null, c: ['ok', 2], d: {} } as unknown as Record<string, string>;
    expect(normalizeHeaders(junk)).toEqual({ c: 'ok' });
    expect(normalizeHeaders(null as unknown as Record<string, string>)).toEqual({});
    expect(normalizeHeaders(new Map<unknown, unknown>([[1, 'x'], ['y', 2], ['Z', 'z']]) as unknown as Headers)).toEqual({
      z: 'z',
    });
  });
});

describe('toRawBytes', () => {
  it('encodes strings as UTF-8', () => {
    expect([...toRawBytes('é{}')]).toEqual([0xc3, 0xa9, 0x7b, 0x7d]);
  });

  it('returns Buffers and Uint8Arrays unchanged, respecting views', () => {
    const buffer = Buffer.from([1, 2, 3]);
    expect(toRawBytes(buffer)).toBe(buffer);
    const view = new Uint8Array([9, 1, 2, 9]).subarray(1, 3);
    expect([...toRawBytes(view)]).toEqual([1, 2]);
  });

  it('wraps an ArrayBuffer', () => {
    expect([...toRawBytes(new Uint8Array([0xff, 0x00]).buffer)]).toEqual([0xff, 0x00]);
  });

  it.each([
    ['a parsed JSON object', { secretField: 'PII-DO-NOT-LEAK' }],
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a Uint16Array', new Uint16Array([1])],
    ['a DataView', new DataView(new ArrayBuffer(2))],
    ['an array', ['PII-DO-NOT-LEAK']],
  ])('refuses %s with malformed_body, without echoing it', (_label, body) => {
    const error = expectVerificationError(() => toRawBytes(body as unknown as string), 'malformed_body');
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(error.message).not.toContain('PII-DO-NOT-LEAK');
  });
});
