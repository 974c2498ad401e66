import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { HeaderMismatchLog } from '../shared/header-mismatches.js';
import type { SimulatorClock } from '../shared/simulator-clock.js';
import { createRouter, route, type Route, type SimulatorHandler, type SimulatorRequest, type SimulatorResponse } from '../shared/simulator-server.js';
import { TECHNEST_MAX_FILE_BYTES, type TechnestFileRecord, type TechnestState } from './technest-state.js';

/**
 * The upload host: a second server that behaves like S3 pre-signed PUT URLs.
 * It knows nothing about bearer tokens — the signed query string is the only
 * credential — and answers errors in S3's XML format, without CORS headers.
 */
export interface TechnestStorageContext {
  readonly state: TechnestState;
  readonly clock: SimulatorClock;
  readonly signer: UploadUrlSigner;
  /** Where refusals over a header (a second credential, a Content-Type other than the signed one) are recorded. */
  readonly headerMismatches: HeaderMismatchLog;
}

/** The storage host's handler and its one documented route (`PUT <upload_url>`). */
export interface TechnestStorageHandler {
  /** Answers like S3 pre-signed storage. */
  readonly handler: SimulatorHandler;
  /** `PUT /uploads/:fileId`: anything else is recorded as a contract violation. */
  readonly routes: readonly Route[];
}

export function createTechnestStorageHandler(context: TechnestStorageContext): TechnestStorageHandler {
  const routes = [route('PUT', '/uploads/:fileId', (request) => handleUpload(context, request))];
  const handler = createRouter(routes, (request) => {
    if (!request.path.startsWith('/uploads/')) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    // Browsers preflight a cross-origin PUT; without CORS it fails, as the contract says.
    if (request.method === 'OPTIONS') return s3Error(403, 'AccessForbidden', 'CORSResponse: CORS is not enabled for this bucket.');
    // Any other method on a pre-signed PUT URL fails its signature check on real S3.
    return s3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  });
  return { handler, routes };
}

function handleUpload(context: TechnestStorageContext, request: SimulatorRequest): SimulatorResponse {
  // S3 refuses a second credential before looking at anything else.
  if (request.headers.authorization !== undefined) {
    context.headerMismatches.record(request, 'authorization', 'is present on a pre-signed upload, whose signed URL is the only credential');
    return s3Error(
      400,
      'InvalidArgument',
      'Only one auth mechanism allowed; only the X-Tn-Signature query parameter or the Authorization header should be specified',
    );
  }

  const file = context.state.files.get(request.params.fileId ?? '');
  if (!file || !context.signer.verify(file, request.query)) {
    return s3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  }
  if (context.clock.nowMs() >= file.expiresAt.getTime()) {
    return s3Error(403, 'AccessDenied', 'Request has expired');
  }
  // Content-Type is a signed header: any difference (case, parameters, absence) breaks the signature.
  if (request.headers['content-type'] !== file.contentType) {
    context.headerMismatches.record(request, 'content-type', "differs from the upload intent's required_headers (a signed header)");
    return s3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  }
  if (request.body.length > TECHNEST_MAX_FILE_BYTES) {
    return s3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
  }

  file.upload = { bytes: request.body, contentType: file.contentType, uploadedAt: context.clock.now() };
  return { status: 200, headers: { etag: `"${createHash('md5').update(request.body).digest('hex')}"` } };
}

// ---------------------------------------------------------------------------
// Pre-signed URLs

export interface UploadUrlSigner {
  /** `<storageUrl>/uploads/<file_id>?X-Tn-Expires=…&X-Tn-SignedHeaders=content-type&X-Tn-Signature=…` */
  urlFor(storageBaseUrl: string, file: Pick<TechnestFileRecord, 'id' | 'contentType' | 'expiresAt'>): string;
  verify(file: Pick<TechnestFileRecord, 'id' | 'contentType'>, query: Readonly<Record<string, string>>): boolean;
}

/** Signs URLs with a per-simulator random key so a tampered URL is refused like on S3. */
export function createUploadUrlSigner(key: Buffer = randomBytes(32)): UploadUrlSigner {
  const signatureFor = (fileId: string, contentType: string, expires: string): string =>
    createHmac('sha256', key).update(`PUT\n/uploads/${fileId}\n${contentType}\n${expires}`).digest('hex');

  return {
    urlFor(storageBaseUrl, file) {
      const expires = String(Math.ceil(file.expiresAt.getTime() / 1000));
      const query = new URLSearchParams({
        'X-Tn-Expires': expires,
        'X-Tn-SignedHeaders': 'content-type',
        'X-Tn-Signature': signatureFor(file.id, file.contentType, expires),
      });
      return `${storageBaseUrl}/uploads/${encodeURIComponent(file.id)}?${query.toString()}`;
    },
    verify(file, query) {
      const expires = query['X-Tn-Expires'];
      const given = query['X-Tn-Signature'];
      if (expires === undefined || given === undefined) return false;
      const expected = Buffer.from(signatureFor(file.id, file.contentType, expires), 'utf8');
      const actual = Buffer.from(given, 'utf8');
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
  };
}

function s3Error(status: number, code: string, message: string): SimulatorResponse {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  return {
    status,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`,
  };
}
