import { ProviderError, providerCodeVocabulary } from '@openkyc/core';
import type { ErrorResponse, ProviderErrorInfo } from '@openkyc/core/http';
import type { TechnestApi, UploadIntent } from './technest-api.js';
import type { TechnestCall } from './technest-call.js';
import type { TechnestClient } from './technest-client.js';
import type { SlotUpload } from './map-application.js';

/**
 * Pre-signed uploads, S3 style: ask Technest for an upload intent, then PUT
 * the bytes to its `upload_url` (another host) with exactly the
 * `required_headers` — and nothing else: no `Authorization`, no credentials
 * (the signed URL is the only credential, and the storage host refuses a
 * second one with 400 `InvalidArgument`).
 *
 * - 403 `AccessDenied` ("Request has expired") → a fresh intent and another
 *   PUT, at most `MAX_INTENTS` intents per file;
 * - 403 `SignatureDoesNotMatch`, 400 `EntityTooLarge`, 400 `InvalidArgument`
 *   → a non-retryable ProviderError carrying the storage code;
 * - 5xx and dropped connections are retried by the HTTP toolkit (a PUT of the
 *   same bytes is idempotent).
 * Messages never contain the URL's query string (its signature) or the bytes.
 */

/** One intent, plus up to two fresh ones after expiry. */
export const MAX_INTENTS = 3;

export interface UploadDependencies {
  readonly provider: string;
  readonly client: TechnestClient;
  readonly api: TechnestApi;
}

/** Uploads one file into one slot's category; resolves to the `file_id` to attach. */
export async function uploadSlotFile(
  deps: UploadDependencies,
  customerId: string,
  upload: SlotUpload,
  call: TechnestCall,
): Promise<string> {
  for (let intentNumber = 1; ; intentNumber += 1) {
    const intent = await deps.api.createUploadIntent(
      customerId,
      { file_category: upload.category, filename: upload.file.filename, content_type: upload.file.contentType },
      call,
    );
    try {
      await putFile(deps, intent, upload, call);
      return intent.file_id;
    } catch (error) {
      const code = storageErrorCode(error);
      if (code === 'AccessDenied' && intentNumber < MAX_INTENTS) {
        call.logger.info(
          { provider: deps.provider, slot: upload.slot, intent: intentNumber },
          'upload URL expired before the upload; requesting a fresh one',
        );
        continue;
      }
      throw storageError(deps.provider, upload, error, code, intentNumber);
    }
  }
}

/** Not `async`: the caller awaits the toolkit's promise itself (one promise layer less per upload). */
function putFile(deps: UploadDependencies, intent: UploadIntent, upload: SlotUpload, call: TechnestCall): Promise<unknown> {
  // The intent's headers are a fresh object of this call's own (see uploadIntentSchema): sent as they are.
  const headers = intent.required_headers;
  // Technest always returns the Content-Type to send; should it ever not, send the declared one.
  if (!hasContentType(headers)) headers['Content-Type'] = upload.file.contentType;
  return deps.client.send(
    {
      method: 'PUT',
      url: intent.upload_url,
      headers,
      body: upload.file.content,
      mapError: parseStorageError,
      providerCodes: STORAGE_CODES,
    },
    call,
  );
}

function hasContentType(headers: Readonly<Record<string, string>>): boolean {
  for (const name of Object.keys(headers)) {
    if (name.length === 12 && name.toLowerCase() === 'content-type') return true;
  }
  return false;
}

/** The `<Code>` of an S3-style XML error body. */
function parseStorageError(response: ErrorResponse): ProviderErrorInfo {
  const xml = response.body.toString('utf8', 0, Math.min(response.body.length, 4096));
  const code = /<Code>\s*([A-Za-z0-9_.-]{1,64})\s*<\/Code>/.exec(xml)?.[1];
  return { providerCode: code, message: code !== undefined && Object.hasOwn(STORAGE_DESCRIPTIONS, code) ? STORAGE_DESCRIPTIONS[code] : undefined };
}

function storageErrorCode(error: unknown): string | undefined {
  return ProviderError.isInstance(error) ? error.providerCode : undefined;
}

/** The storage host's documented `<Code>`s; any other code never reaches an error. */
const STORAGE_CODES = providerCodeVocabulary(['AccessDenied', 'SignatureDoesNotMatch', 'EntityTooLarge', 'InvalidArgument']);

const STORAGE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  AccessDenied: 'the upload URL expired',
  SignatureDoesNotMatch: 'the request does not match the signed upload URL',
  EntityTooLarge: 'the file is over the 10 MB limit',
  InvalidArgument: 'the storage host refused a second credential',
};

function storageError(provider: string, upload: SlotUpload, error: unknown, code: string | undefined, intents: number): unknown {
  if (!ProviderError.isInstance(error) || code === undefined) return error;
  const where = `${provider} storage refused the ${upload.slot} upload`;
  const details = { provider, status: error.status, providerCode: code, retryable: false, cause: error };
  switch (code) {
    case 'AccessDenied':
      return new ProviderError(
        `${where} (403 AccessDenied) ${intents} times in a row, each with a fresh upload URL: the URLs expire before the upload starts. Check this server's clock and the connection to the storage host.`,
        details,
      );
    case 'SignatureDoesNotMatch':
      return new ProviderError(
        `${where} (403 SignatureDoesNotMatch): the Content-Type sent differs from the signed one. A proxy or custom dispatcher may be rewriting request headers.`,
        details,
      );
    case 'EntityTooLarge':
      return new ProviderError(
        `${where} (400 EntityTooLarge): the file is over Technest's 10 MB limit; send a smaller or compressed file.`,
        details,
      );
    case 'InvalidArgument':
      return new ProviderError(
        `${where} (400 InvalidArgument): the request carried an Authorization header, but the signed URL must be the only credential. A proxy or custom dispatcher may be adding credentials.`,
        details,
      );
    default:
      return error;
  }
}
