import type { FormData } from 'undici';
import { ConfigurationError } from '../errors.js';
import { undici } from './lazy-undici.js';

/**
 * Request bodies. Every kind is serialised once, to bytes, before the first
 * attempt: retries resend the same bytes, and `Content-Length` is always known
 * (some storage hosts refuse chunked uploads).
 */

export type FormFields =
  | URLSearchParams
  | Readonly<Record<string, string | number | boolean | null | undefined | readonly (string | number | boolean)[]>>;

/** A multipart text field. */
export interface MultipartField {
  /** The field name. */
  name: string;
  /** The field value. */
  value: string;
}

/** A multipart file part, with its own filename and content type. */
export interface MultipartFile {
  /** The field name of the file part (e.g. `file`). */
  name: string;
  /** The file bytes. */
  content: Uint8Array;
  /** The part's `Content-Type`. */
  contentType: string;
  /** The part's file name. */
  filename: string;
}

/** One part of a multipart body: a text field or a file. */
export type MultipartPart = MultipartField | MultipartFile;

/**
 * Multipart parts in order, or a ready `FormData` (undici's or the global one;
 * its entries are copied).
 */
export type MultipartBody = readonly MultipartPart[] | FormDataLike;

/** The part of the FormData interface this toolkit reads. */
export interface FormDataLike {
  /** The form's fields, in order. */
  entries(): IterableIterator<[string, unknown]>;
}

/** The ways to give a request a body; at most one per request. */
export interface BodyInput {
  /** Serialised with `JSON.stringify`; `Content-Type: application/json`. */
  json?: unknown;
  /** `application/x-www-form-urlencoded` (e.g. an OAuth token request). */
  form?: FormFields | undefined;
  /** Raw bytes or text, sent as is; set `Content-Type` in `headers` (e.g. a pre-signed upload). */
  body?: Uint8Array | string | undefined;
  /** `multipart/form-data` with a generated boundary. */
  multipart?: MultipartBody | undefined;
}

export interface PreparedBody {
  bytes: Buffer | undefined;
  /** The content type this body needs, if the kind implies one. */
  contentType: string | undefined;
  /** True when the content type carries a boundary and must not be overridden. */
  contentTypeFixed: boolean;
}

/** The body as bytes: at once for every kind but multipart, whose encoder is asynchronous. */
export function prepareBody(input: BodyInput): PreparedBody | Promise<PreparedBody> {
  const given = (input.json !== undefined ? 1 : 0) + (input.form !== undefined ? 1 : 0) + (input.body !== undefined ? 1 : 0) + (input.multipart !== undefined ? 1 : 0);
  if (given > 1) {
    const kinds = (['json', 'form', 'body', 'multipart'] as const).filter((kind) => input[kind] !== undefined);
    throw new ConfigurationError(`request() takes one body at most; got ${kinds.join(' and ')}`);
  }
  if (input.json !== undefined) {
    const text = JSON.stringify(input.json);
    if (text === undefined) throw new ConfigurationError('request() json body is not serialisable to JSON');
    return { bytes: Buffer.from(text, 'utf8'), contentType: 'application/json', contentTypeFixed: false };
  }
  if (input.form !== undefined) {
    return {
      bytes: Buffer.from(encodeForm(input.form), 'utf8'),
      contentType: 'application/x-www-form-urlencoded',
      contentTypeFixed: false,
    };
  }
  if (input.body !== undefined) {
    const bytes =
      typeof input.body === 'string'
        ? Buffer.from(input.body, 'utf8')
        : Buffer.from(input.body.buffer, input.body.byteOffset, input.body.byteLength);
    return { bytes, contentType: undefined, contentTypeFixed: false };
  }
  if (input.multipart !== undefined) {
    return encodeMultipart(input.multipart);
  }
  return NO_BODY;
}

const NO_BODY: PreparedBody = Object.freeze({ bytes: undefined, contentType: undefined, contentTypeFixed: false });

export function encodeForm(form: FormFields): string {
  if (form instanceof URLSearchParams) return form.toString();
  if (isSearchParamsLike(form)) return new URLSearchParams(form).toString();
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value as readonly (string | number | boolean)[]) params.append(key, String(item));
    } else {
      params.append(key, String(value));
    }
  }
  return params.toString();
}

/** A URLSearchParams from another realm or polyfill: iterable pairs with `getAll`. */
function isSearchParamsLike(value: unknown): value is URLSearchParams {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as URLSearchParams).getAll === 'function' &&
    typeof (value as URLSearchParams)[Symbol.iterator] === 'function'
  );
}

function isMultipartFile(part: MultipartPart): part is MultipartFile {
  return (part as MultipartFile).content !== undefined;
}

function toFormData(body: MultipartBody): FormData {
  const { FormData } = undici();
  const form = new FormData();
  if (Array.isArray(body)) {
    for (const part of body as readonly MultipartPart[]) {
      if (isMultipartFile(part)) {
        if (!(part.content instanceof Uint8Array)) {
          throw new ConfigurationError(`multipart part '${part.name}' content must be a Uint8Array`);
        }
        form.append(part.name, new Blob([part.content], { type: part.contentType }), part.filename);
      } else {
        form.append(part.name, part.value);
      }
    }
    return form;
  }
  if (body instanceof FormData) return body;
  for (const [name, value] of (body as FormDataLike).entries()) {
    if (typeof value === 'string') {
      form.append(name, value);
    } else if (value instanceof Blob) {
      const filename = (value as { name?: unknown }).name;
      form.append(name, value, typeof filename === 'string' ? filename : 'blob');
    } else {
      throw new ConfigurationError(`multipart entry '${name}' must be a string or a Blob/File`);
    }
  }
  return form;
}

/** Serialises multipart with undici's own encoder (boundary included in the content type). */
export async function encodeMultipart(body: MultipartBody): Promise<PreparedBody> {
  const response = new (undici().Response)(toFormData(body));
  const contentType = response.headers.get('content-type') ?? undefined;
  const bytes = Buffer.from(await response.arrayBuffer());
  return { bytes, contentType, contentTypeFixed: true };
}
