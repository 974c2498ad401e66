import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WebhookVerificationError, decodeWebhookBody, parseWebhookJson } from '../../src/index.js';

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);
const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));

function reasonOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return WebhookVerificationError.isInstance(error) ? error.reason : 'not a WebhookVerificationError';
  }
  return undefined;
}

describe('strict webhook body decoding', () => {
  it('decodes UTF-8, multi-byte characters included', () => {
    expect(decodeWebhookBody(utf8('{"name":"Zoë 🙂"}'), 'p')).toBe('{"name":"Zoë 🙂"}');
  });

  it.each([
    ['a lone continuation byte', bytes(0x7b, 0x80, 0x7d)],
    ['a truncated sequence', bytes(0x7b, 0x22, 0xe2, 0x82, 0x22, 0x7d)],
    ['an overlong encoding', bytes(0xc0, 0xaf)],
    ['a UTF-16 surrogate', bytes(0xed, 0xa0, 0x80)],
    ['Latin-1 text', bytes(0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d)],
  ])('refuses %s as malformed_body (no replacement characters)', (_label, body) => {
    expect(reasonOf(() => decodeWebhookBody(body, 'p'))).toBe('malformed_body');
    expect(reasonOf(() => parseWebhookJson(body, 'p'))).toBe('malformed_body');
  });

  it('skips a leading byte order mark (RFC 8259 lets parsers ignore it), only one', () => {
    expect(parseWebhookJson(bytes(0xef, 0xbb, 0xbf, ...utf8('{"a":1}')), 'p')).toEqual({ a: 1 });
    expect(reasonOf(() => parseWebhookJson(bytes(0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, ...utf8('{}')), 'p'))).toBe('malformed_body');
  });

  it('refuses text that is not JSON as malformed_body, without quoting it', () => {
    let message = '';
    try {
      parseWebhookJson(utf8('PZ8K4Q7M3 not json'), 'technest');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('technest');
    expect(message).not.toContain('PZ8K4Q7M3');
  });

  it('any byte string is either the exact UTF-8 text or malformed_body', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (body) => {
        const fromNode = Buffer.from(body).toString('utf8');
        const isExact = Buffer.from(fromNode, 'utf8').equals(Buffer.from(body));
        const startsWithBom = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
        if (isExact) {
          expect(decodeWebhookBody(body, 'p')).toBe(startsWithBom ? fromNode.slice(1) : fromNode);
        } else {
          expect(reasonOf(() => decodeWebhookBody(body, 'p'))).toBe('malformed_body');
        }
      }),
    );
  });
});
