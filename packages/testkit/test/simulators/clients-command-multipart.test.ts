import fc from 'fast-check';
import { FormData, Response } from 'undici';
import { describe, expect, it } from 'vitest';
import { MultipartParseError, multipartBoundary, parseMultipart } from '../../src/simulators/clients-command/clients-command-multipart.js';

/** Encodes a FormData exactly as undici sends it, returning the raw body and its Content-Type. */
async function encode(form: FormData): Promise<{ body: Buffer; contentType: string }> {
  const response = new Response(form);
  const contentType = response.headers.get('content-type') ?? '';
  return { body: Buffer.from(await response.arrayBuffer()), contentType };
}

function handMade(boundary: string, parts: string[], { preamble = '', epilogue = '' } = {}): Buffer {
  return Buffer.from(`${preamble}${parts.map((part) => `--${boundary}\r\n${part}\r\n`).join('')}--${boundary}--${epilogue}`, 'latin1');
}

describe('multipart/form-data parser', () => {
  it('extracts the boundary, quoted or not', () => {
    expect(multipartBoundary('multipart/form-data; boundary=abc123')).toBe('abc123');
    expect(multipartBoundary('Multipart/Form-Data; charset=utf-8; boundary="a b;c"')).toBe('a b;c');
    expect(multipartBoundary('multipart/form-data')).toBeUndefined();
    expect(multipartBoundary('application/json; boundary=x')).toBeUndefined();
    expect(multipartBoundary(undefined)).toBeUndefined();
    expect(multipartBoundary(`multipart/form-data; boundary=${'x'.repeat(71)}`)).toBeUndefined();
  });

  it('parses what undici FormData sends, text fields and a binary file', async () => {
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x0d, 0x0a, 0x2d, 0x2d, 0x0d, 0x0a, 0x0d, 0x0a, 0xfe]);
    const form = new FormData();
    form.set('name', 'Passport front');
    form.set('description', 'Scan, page 2 — ünïcode');
    form.set('file', new Blob([bytes], { type: 'image/jpeg' }), 'passport "front".jpg');
    const { body, contentType } = await encode(form);

    const parts = parseMultipart(body, multipartBoundary(contentType) ?? '');
    expect(parts.map((part) => part.name)).toEqual(['name', 'description', 'file']);
    expect(parts[0]?.data.toString('utf8')).toBe('Passport front');
    expect(parts[0]?.filename).toBeUndefined();
    expect(parts[1]?.data.toString('utf8')).toBe('Scan, page 2 — ünïcode');
    expect(parts[2]?.filename).toBe('passport "front".jpg');
    expect(parts[2]?.contentType).toBe('image/jpeg');
    expect(parts[2]?.data.equals(bytes)).toBe(true);
  });

  it('keeps arbitrary binary content byte for byte (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(Buffer.from('\r\n'), Buffer.from('--'), Buffer.from('\r\n--'))), { maxLength: 12 }),
        // Any filename, unicode, quotes and line breaks included; only a literal "%22"-style
        // sequence is ambiguous under the WHATWG encoding, so `%` is left out.
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((name) => !name.includes('%')),
        async (chunks, filename) => {
          const bytes = Buffer.concat(chunks.map((chunk) => Buffer.from(chunk)));
          const form = new FormData();
          form.set('file', new Blob([bytes], { type: 'application/pdf' }), filename);
          const { body, contentType } = await encode(form);
          const [part] = parseMultipart(body, multipartBoundary(contentType) ?? '');
          expect(part?.filename).toBe(filename);
          expect(part?.data.equals(bytes)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('ignores preamble and epilogue and accepts transport padding after a boundary', () => {
    const body = handMade(
      'XyZ',
      ['Content-Disposition: form-data; name="a"\r\n\r\none', 'content-disposition: form-data; name=b\r\nContent-Type: text/plain\r\n\r\ntwo'],
      { preamble: 'This is the preamble.\r\n', epilogue: '\r\nepilogue' },
    );
    const parts = parseMultipart(body, 'XyZ');
    expect(parts.map((part) => [part.name, part.data.toString()])).toEqual([
      ['a', 'one'],
      ['b', 'two'],
    ]);
    expect(parts[1]?.headers['content-type']).toBe('text/plain');

    const padded = Buffer.from('--B  \r\nContent-Disposition: form-data; name="x"\r\n\r\nv\r\n--B--', 'latin1');
    expect(parseMultipart(padded, 'B')[0]?.data.toString()).toBe('v');
  });

  it('skips a boundary look-alike inside content', () => {
    const body = handMade('B', ['Content-Disposition: form-data; name="x"\r\n\r\nline\r\n--Bogus\r\nmore']);
    expect(parseMultipart(body, 'B')[0]?.data.toString()).toBe('line\r\n--Bogus\r\nmore');
  });

  it('decodes RFC 5987 filename* in preference to filename', () => {
    const body = handMade('B', [`Content-Disposition: form-data; name="file"; filename="x.pdf"; filename*=UTF-8''na%C3%AFve.pdf\r\nContent-Type: application/pdf\r\n\r\n%PDF`]);
    expect(parseMultipart(body, 'B')[0]?.filename).toBe('naïve.pdf');
  });

  it('handles an empty field and a body with no parts', () => {
    expect(parseMultipart(handMade('B', ['Content-Disposition: form-data; name="e"\r\n\r\n']), 'B')[0]?.data.length).toBe(0);
    expect(parseMultipart(Buffer.from('--B--'), 'B')).toEqual([]);
  });

  it.each([
    ['no opening boundary', Buffer.from('hello')],
    ['missing closing boundary', Buffer.from('--B\r\nContent-Disposition: form-data; name="x"\r\n\r\nvalue')],
    ['unterminated headers', Buffer.from('--B\r\nContent-Disposition: form-data; name="x"')],
    ['no Content-Disposition', handMade('B', ['Content-Type: text/plain\r\n\r\nx'])],
    ['a part without any header', handMade('B', ['\r\nx'])],
    ['no name', handMade('B', ['Content-Disposition: form-data; filename="a.pdf"\r\n\r\nx'])],
    ['not form-data', handMade('B', ['Content-Disposition: attachment; name="x"\r\n\r\nx'])],
    ['malformed header line', handMade('B', ['Content-Disposition form-data\r\n\r\nx'])],
    ['unterminated quote', handMade('B', ['Content-Disposition: form-data; name="x\r\n\r\nx'])],
    ['boundary not followed by CRLF', Buffer.from('--BContent-Disposition: form-data; name="x"\r\n\r\nv\r\n--B--')],
  ])('throws MultipartParseError: %s', (_label, body) => {
    expect(() => parseMultipart(body, 'B')).toThrow(MultipartParseError);
  });

  it('limits the number of parts', () => {
    const body = handMade('B', Array.from({ length: 3 }, (_, index) => `Content-Disposition: form-data; name="p${index}"\r\n\r\nx`));
    expect(() => parseMultipart(body, 'B', { maxParts: 2 })).toThrow(MultipartParseError);
    expect(parseMultipart(body, 'B', { maxParts: 3 })).toHaveLength(3);
  });
});
