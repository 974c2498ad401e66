import { ConfigurationError, ProviderError, type ApplicationDocument, type DocumentFile } from '@openkyc/core';
import type { HostedDocumentUrls } from './map-application.js';
import type { PatchStyleHostDocument } from './patch-style-options.js';

/**
 * Stores every document side through the platform's `hostDocument` (the
 * provider takes URLs, not bytes) and returns the URLs in application order.
 * All sides are stored in parallel; nothing is sent to the provider until every
 * one has a URL, so a failure here leaves the provider untouched and `submit`
 * can simply be repeated.
 */
export async function hostDocuments(
  documents: readonly ApplicationDocument[],
  hostDocument: PatchStyleHostDocument,
  context: { readonly provider: string; readonly signal?: AbortSignal | undefined },
): Promise<HostedDocumentUrls[]> {
  return Promise.all(
    documents.map(async (document, index): Promise<HostedDocumentUrls> => {
      const front = await hostOne(document, document.front, 'front', index, hostDocument, context);
      const back = document.back === undefined ? undefined : await hostOne(document, document.back, 'back', index, hostDocument, context);
      return back === undefined ? { front } : { front, back };
    }),
  );
}

async function hostOne(
  document: ApplicationDocument,
  file: DocumentFile,
  side: 'front' | 'back',
  index: number,
  hostDocument: PatchStyleHostDocument,
  context: { readonly provider: string; readonly signal?: AbortSignal | undefined },
): Promise<string> {
  context.signal?.throwIfAborted();
  const where = `documents[${index}].${side} (${document.type})`;
  let url: unknown;
  try {
    url = await hostDocument({
      content: file.content,
      contentType: file.contentType,
      filename: file.filename,
      type: document.type,
      side,
    });
  } catch (cause) {
    // The platform's storage failed; its error may say anything, so it is kept as the cause only.
    throw new ProviderError(
      `${context.provider}: hostDocument failed to store ${where}; nothing was sent to the provider. Check the document storage and submit again.`,
      { provider: context.provider, retryable: true, cause },
    );
  }
  if (!isHttpUrl(url)) {
    throw new ConfigurationError(
      `${context.provider}: hostDocument must resolve to an absolute http(s) URL the provider can fetch; it did not for ${where}.`,
      [{ path: ['hostDocument'], code: 'invalid_url', message: 'must resolve to an absolute http(s) URL' }],
    );
  }
  return url;
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
