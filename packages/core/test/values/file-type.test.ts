import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeFileType, detectFileType, isUint8Array } from '../../src/values/file-type.js';
import { jpegBytes, pdfBytes, pngBytes } from '../application/helpers.js';

const SIGNATURES = {
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d],
} as const;

describe('detectFileType', () => {
  it('detects the helper-built files', () => {
    expect(detectFileType(jpegBytes())).toBe('image/jpeg');
    expect(detectFileType(pngBytes())).toBe('image/png');
    expect(detectFileType(pdfBytes())).toBe('application/pdf');
    expect(detectFileType(jpegBytes(50_000))).toBe('image/jpeg');
    expect(detectFileType(pngBytes(50_000))).toBe('image/png');
    expect(detectFileType(pdfBytes(50_000))).toBe('application/pdf');
  });

  it('pads the helper files to the requested size', () => {
    for (const make of [jpegBytes, pngBytes, pdfBytes]) {
      expect(make(100_000).length).toBeGreaterThanOrEqual(100_000);
      expect(make(100_000).length).toBeLessThan(100_100);
    }
  });

  it('detects a Buffer', () => {
    expect(detectFileType(Buffer.from(pngBytes()))).toBe('image/png');
  });

  it.each([
    ['empty', []],
    ['truncated JPEG', [0xff, 0xd8]],
    ['truncated PNG', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a]],
    ['PDF without dash', [0x25, 0x50, 0x44, 0x46]],
    ['GIF', [0x47, 0x49, 0x46, 0x38, 0x39, 0x61]],
    ['text', [0x68, 0x65, 0x6c, 0x6c, 0x6f]],
    ['base64 of a JPEG', [0x2f, 0x39, 0x6a, 0x2f, 0x34]],
    ['signature not at the start', [0x00, 0xff, 0xd8, 0xff]],
  ])('returns undefined for %s', (_name, bytes) => {
    expect(detectFileType(new Uint8Array(bytes))).toBeUndefined();
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const detected = detectFileType(bytes);
        expect([undefined, 'image/jpeg', 'image/png', 'application/pdf']).toContain(detected);
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws on values that are not bytes', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(detectFileType(value as Uint8Array)).toBeUndefined();
      }),
    );
  });

  it('detects generated headers followed by arbitrary bytes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(SIGNATURES) as (keyof typeof SIGNATURES)[])),
        fc.uint8Array({ maxLength: 256 }),
        (type, tail) => {
          const bytes = new Uint8Array([...SIGNATURES[type], ...tail]);
          expect(detectFileType(bytes)).toBe(type);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('answers only for arrays that start with a signature', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 16 }), (bytes) => {
        const detected = detectFileType(bytes);
        const expected = (Object.keys(SIGNATURES) as (keyof typeof SIGNATURES)[]).find((type) =>
          SIGNATURES[type].every((byte, index) => bytes[index] === byte),
        );
        expect(detected).toBe(expected);
      }),
      { numRuns: 5000 },
    );
  });

  it('names the types', () => {
    expect(describeFileType('image/png')).toBe('a PNG image');
    expect(describeFileType('image/jpeg')).toBe('a JPEG image');
    expect(describeFileType('application/pdf')).toBe('a PDF document');
  });
});

describe('isUint8Array', () => {
  it('accepts Uint8Array and Buffer, refuses the rest', () => {
    expect(isUint8Array(new Uint8Array(1))).toBe(true);
    expect(isUint8Array(Buffer.from('x'))).toBe(true);
    expect(isUint8Array(new Uint16Array(1))).toBe(false);
    expect(isUint8Array(new ArrayBuffer(1))).toBe(false);
    expect(isUint8Array([0xff, 0xd8, 0xff])).toBe(false);
    expect(isUint8Array('ÿØÿ')).toBe(false);
  });
});
