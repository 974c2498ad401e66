/** The file types every provider accepts: JPEG, PNG and PDF. */
export const FILE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
/** One of {@link FILE_CONTENT_TYPES}. */
export type FileContentType = (typeof FILE_CONTENT_TYPES)[number];

/**
 * Recognizes the file types the application accepts from their first bytes
 * ("magic numbers"), so a declared `contentType` can be checked against the
 * content. Never throws; anything unrecognized yields `undefined`.
 *
 * - JPEG: `FF D8 FF`
 * - PNG: `89 50 4E 47 0D 0A 1A 0A`
 * - PDF: `%PDF-` (`25 50 44 46 2D`)
 */
const SIGNATURES: readonly (readonly [FileContentType, readonly number[]])[] = [
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]],
];

export function detectFileType(bytes: Uint8Array): FileContentType | undefined {
  if (!isUint8Array(bytes)) return undefined;
  for (const [type, signature] of SIGNATURES) {
    if (startsWith(bytes, signature)) return type;
  }
  return undefined;
}

/**
 * True for a `Uint8Array` (a Node `Buffer` is one), including one made in another
 * realm (vm context, jsdom, worker), where `instanceof` answers false.
 */
export function isUint8Array(value: unknown): value is Uint8Array {
  return (
    value instanceof Uint8Array ||
    (ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Uint8Array]')
  );
}

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  if (bytes.length < signature.length) return false;
  for (let index = 0; index < signature.length; index += 1) {
    if (bytes[index] !== signature[index]) return false;
  }
  return true;
}

const FILE_TYPE_NAMES: Readonly<Record<FileContentType, string>> = {
  'image/jpeg': 'a JPEG image',
  'image/png': 'a PNG image',
  'application/pdf': 'a PDF document',
};

/** `'a PNG image'`, for messages. */
export function describeFileType(type: FileContentType): string {
  return FILE_TYPE_NAMES[type];
}
