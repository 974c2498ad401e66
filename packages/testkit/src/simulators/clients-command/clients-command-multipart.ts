/**
 * A small, strict `multipart/form-data` parser (RFC 7578 / RFC 2046) working on
 * the raw body bytes, so binary file content survives untouched.
 *
 * body      := [preamble CRLF] "--" boundary transport-padding CRLF part
 *              *( CRLF "--" boundary transport-padding CRLF part )
 *              CRLF "--" boundary "--" [epilogue]
 * part      := *( header CRLF ) CRLF content
 */

export interface MultipartPart {
  /** `name` from `Content-Disposition: form-data; name="…"`. */
  readonly name: string;
  /** `filename` (or RFC 5987 `filename*`) when the part is a file. */
  readonly filename?: string;
  /** The part's `Content-Type` as sent (absent when the part has none). */
  readonly contentType?: string;
  /** Part headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly data: Buffer;
}

export class MultipartParseError extends Error {
  override readonly name = 'MultipartParseError';
}

export interface ParseMultipartOptions {
  /** Refuse bodies with more parts than this (default 100). */
  readonly maxParts?: number;
  /** Refuse a part whose header block is longer than this many bytes (default 16 KiB). */
  readonly maxHeaderBytes?: number;
}

const CRLF = Buffer.from('\r\n', 'latin1');
const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');

/** Extracts the boundary from a `multipart/form-data` Content-Type; `undefined` if it is not one or has none. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const [type = '', ...parameters] = splitHeaderParameters(contentType);
  if (type.trim().toLowerCase() !== 'multipart/form-data') return undefined;
  for (const parameter of parameters) {
    const parsed = parseParameter(parameter);
    if (parsed && parsed.name === 'boundary') {
      const boundary = parsed.value;
      // RFC 2046: 1-70 characters, not ending in a space.
      if (boundary.length === 0 || boundary.length > 70 || boundary.endsWith(' ')) return undefined;
      return boundary;
    }
  }
  return undefined;
}

/** Parses the body into its parts, in order. Throws `MultipartParseError` on malformed input. */
export function parseMultipart(body: Buffer, boundary: string, options: ParseMultipartOptions = {}): MultipartPart[] {
  const maxParts = options.maxParts ?? 100;
  const maxHeaderBytes = options.maxHeaderBytes ?? 16 * 1024;
  const dashBoundary = Buffer.from(`--${boundary}`, 'latin1');
  const delimiter = Buffer.concat([CRLF, dashBoundary]);

  // The first boundary may start the body or follow a preamble ending in CRLF.
  let position: number;
  if (body.subarray(0, dashBoundary.length).equals(dashBoundary)) {
    position = dashBoundary.length;
  } else {
    const found = findDelimiter(body, delimiter, 0);
    if (found < 0) throw new MultipartParseError('no opening boundary');
    position = found + delimiter.length;
  }

  const parts: MultipartPart[] = [];
  for (;;) {
    // After a boundary: "--" closes the body; otherwise optional padding then CRLF.
    if (body[position] === 0x2d && body[position + 1] === 0x2d) return parts;
    while (body[position] === 0x20 || body[position] === 0x09) position += 1;
    if (body[position] !== 0x0d || body[position + 1] !== 0x0a) throw new MultipartParseError('boundary not followed by CRLF');
    position += 2;

    if (parts.length >= maxParts) throw new MultipartParseError(`more than ${maxParts} parts`);

    let headers: Record<string, string>;
    if (body[position] === 0x0d && body[position + 1] === 0x0a) {
      headers = {}; // a part without headers
      position += 2;
    } else {
      const headerEnd = body.indexOf(HEADER_END, position);
      if (headerEnd < 0) throw new MultipartParseError('unterminated part headers');
      if (headerEnd - position > maxHeaderBytes) throw new MultipartParseError('part headers too large');
      headers = parseHeaderBlock(body.toString('utf8', position, headerEnd));
      position = headerEnd + HEADER_END.length;
    }

    const end = findDelimiter(body, delimiter, position);
    if (end < 0) throw new MultipartParseError('missing closing boundary');
    parts.push(toPart(headers, body.subarray(position, end)));
    position = end + delimiter.length;
  }
}

/**
 * Next `CRLF--boundary` that really is a delimiter (followed by `--`, or by
 * optional padding and CRLF); a look-alike inside content is skipped.
 */
function findDelimiter(body: Buffer, delimiter: Buffer, from: number): number {
  let candidate = body.indexOf(delimiter, from);
  while (candidate >= 0) {
    let after = candidate + delimiter.length;
    if (body[after] === 0x2d && body[after + 1] === 0x2d) return candidate;
    while (body[after] === 0x20 || body[after] === 0x09) after += 1;
    if (body[after] === 0x0d && body[after + 1] === 0x0a) return candidate;
    candidate = body.indexOf(delimiter, candidate + 1);
  }
  return -1;
}

function toPart(headers: Record<string, string>, data: Buffer): MultipartPart {
  const disposition = headers['content-disposition'];
  if (disposition === undefined) throw new MultipartParseError('part without Content-Disposition');
  const [type = '', ...parameters] = splitHeaderParameters(disposition);
  if (type.trim().toLowerCase() !== 'form-data') throw new MultipartParseError(`unexpected disposition ${type}`);

  let name: string | undefined;
  let filename: string | undefined;
  let extendedFilename: string | undefined;
  for (const parameter of parameters) {
    const parsed = parseParameter(parameter);
    if (!parsed) throw new MultipartParseError(`malformed Content-Disposition parameter: ${parameter}`);
    if (parsed.name === 'name') name = decodeFormDataEscapes(parsed.value);
    else if (parsed.name === 'filename') filename = decodeFormDataEscapes(parsed.value);
    else if (parsed.name === 'filename*') extendedFilename = decodeExtendedValue(parsed.value);
  }
  if (name === undefined) throw new MultipartParseError('part without a name');
  const resolvedFilename = extendedFilename ?? filename;
  const contentType = headers['content-type'];
  return {
    name,
    ...(resolvedFilename === undefined ? {} : { filename: resolvedFilename }),
    ...(contentType === undefined ? {} : { contentType }),
    headers,
    // Copy so the part does not pin the whole request body.
    data: Buffer.from(data),
  };
}

function parseHeaderBlock(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  // Obsolete line folding (CRLF + whitespace) continues the previous header.
  const lines = block.split('\r\n').reduce<string[]>((merged, line) => {
    if (/^[ \t]/.test(line) && merged.length > 0) merged[merged.length - 1] += ` ${line.trim()}`;
    else merged.push(line);
    return merged;
  }, []);
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MultipartParseError(`malformed part header: ${line}`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Splits `type; a=1; b="x;y"` at semicolons outside quotes. */
function splitHeaderParameters(value: string): string[] {
  const pieces: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < value.length; index += 1) {
    const char = value[index];
    if (char === '"') {
      quoted = !quoted;
      current += char;
    } else if (char === ';' && !quoted) {
      pieces.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (quoted) throw new MultipartParseError(`unterminated quoted string in: ${value}`);
  pieces.push(current);
  return pieces.filter((piece, index) => index === 0 || piece.trim() !== '');
}

/** `name="value"` / `name=token` → lower-case name and unquoted value. */
function parseParameter(parameter: string): { name: string; value: string } | undefined {
  const equals = parameter.indexOf('=');
  if (equals <= 0) return undefined;
  const name = parameter.slice(0, equals).trim().toLowerCase();
  const rawValue = parameter.slice(equals + 1).trim();
  if (rawValue.startsWith('"')) {
    if (rawValue.length < 2 || !rawValue.endsWith('"')) return undefined;
    return { name, value: rawValue.slice(1, -1) };
  }
  return { name, value: rawValue };
}

/**
 * Browsers and undici (WHATWG FormData) escape `"`, CR and LF in names and
 * filenames as `%22`, `%0D`, `%0A` and nothing else — in particular a
 * backslash is sent as is (`C:\x.pdf`), so quoted strings are not
 * backslash-unescaped. Decode exactly those three.
 */
function decodeFormDataEscapes(value: string): string {
  return value.replace(/%22/gi, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n');
}

/** RFC 5987 `UTF-8''na%C3%AFve.pdf`. */
function decodeExtendedValue(value: string): string {
  const match = /^([A-Za-z0-9!#$%&+^_`{}~-]+)'[^']*'(.*)$/.exec(value);
  if (!match) throw new MultipartParseError(`malformed extended parameter: ${value}`);
  const [, charset = '', encoded = ''] = match;
  try {
    if (charset.toLowerCase() === 'utf-8') return decodeURIComponent(encoded);
    if (charset.toLowerCase() === 'iso-8859-1') return Buffer.from(unescapeBytes(encoded)).toString('latin1');
  } catch {
    throw new MultipartParseError(`malformed extended parameter: ${value}`);
  }
  throw new MultipartParseError(`unsupported charset ${charset}`);
}

function unescapeBytes(encoded: string): number[] {
  const bytes: number[] = [];
  for (let index = 0; index < encoded.length; index += 1) {
    if (encoded[index] === '%') {
      const byte = Number.parseInt(encoded.slice(index + 1, index + 3), 16);
      if (Number.isNaN(byte)) throw new MultipartParseError('bad percent escape');
      bytes.push(byte);
      index += 2;
    } else {
      bytes.push(encoded.charCodeAt(index));
    }
  }
  return bytes;
}
