import { Agent, request } from 'undici';

/**
 * The provider's side of "images are not uploaded, the platform hosts them":
 * during review every document URL is fetched over real HTTP. A URL passes
 * only with status 200, a `Content-Type` of JPEG / PNG / PDF, and a complete
 * body of 100 KB to 10 MB. Redirects are not followed (a 3xx is not a 200).
 */

export const PATCH_STYLE_DOCUMENT_CONTENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
/** 100 KB, read as 100 × 1024 bytes. */
export const PATCH_STYLE_MIN_DOCUMENT_BYTES = 100 * 1024;
/** 10 MB, read as 10 × 1024 × 1024 bytes. */
export const PATCH_STYLE_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export type PatchStyleDocumentCheckProblem = 'unreachable' | 'status' | 'content_type' | 'too_small' | 'too_large';

/** One URL fetched during one review. */
export interface PatchStyleDocumentCheck {
  readonly customerId: string;
  readonly documentType: string;
  readonly side: 'front' | 'back';
  readonly url: string;
  readonly ok: boolean;
  /** Why it failed; absent when ok. */
  readonly problem?: PatchStyleDocumentCheckProblem;
  /** Human-readable detail (`status 404`, `content-type text/html`, `23 bytes`, a network error). */
  readonly detail?: string;
  readonly status?: number;
  readonly contentType?: string;
  /** Bytes received (stops counting just past the maximum). */
  readonly bytes?: number;
  /** Simulator-clock time of the review. */
  readonly at: Date;
}

export interface PatchStyleDocumentFetcher {
  fetch(url: string): Promise<Omit<PatchStyleDocumentCheck, 'customerId' | 'documentType' | 'side' | 'url' | 'at'>>;
  close(): Promise<void>;
}

/** One undici Agent per simulator, without keep-alive, so nothing lingers after a test. */
export function createDocumentFetcher(options: { readonly timeoutMs: number }): PatchStyleDocumentFetcher {
  const agent = new Agent({
    pipelining: 0,
    connect: { timeout: options.timeoutMs },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });

  return {
    async fetch(url) {
      let response: Awaited<ReturnType<typeof request>>;
      try {
        response = await request(url, { method: 'GET', dispatcher: agent, signal: AbortSignal.timeout(options.timeoutMs) });
      } catch (error) {
        return { ok: false, problem: 'unreachable', detail: errorMessage(error) };
      }
      const status = response.statusCode;
      const rawContentType = response.headers['content-type'];
      const contentType = (Array.isArray(rawContentType) ? rawContentType[0] : rawContentType) ?? '';
      const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
      if (status !== 200) {
        await response.body.dump().catch(() => undefined);
        return { ok: false, problem: 'status', detail: `status ${status}`, status, contentType };
      }
      if (!(PATCH_STYLE_DOCUMENT_CONTENT_TYPES as readonly string[]).includes(mediaType)) {
        await response.body.dump().catch(() => undefined);
        return { ok: false, problem: 'content_type', detail: `content-type ${contentType || '(none)'}`, status, contentType };
      }
      let bytes = 0;
      try {
        for await (const chunk of response.body) {
          bytes += (chunk as Buffer).length;
          if (bytes > PATCH_STYLE_MAX_DOCUMENT_BYTES) {
            response.body.destroy();
            break;
          }
        }
      } catch (error) {
        // A body cut short (Content-Length not reached, connection dropped) is as good as no document.
        return { ok: false, problem: 'unreachable', detail: `body incomplete after ${bytes} bytes: ${errorMessage(error)}`, status, contentType, bytes };
      }
      if (bytes > PATCH_STYLE_MAX_DOCUMENT_BYTES) return { ok: false, problem: 'too_large', detail: `more than ${PATCH_STYLE_MAX_DOCUMENT_BYTES} bytes`, status, contentType, bytes };
      if (bytes < PATCH_STYLE_MIN_DOCUMENT_BYTES) return { ok: false, problem: 'too_small', detail: `${bytes} bytes`, status, contentType, bytes };
      return { ok: true, status, contentType, bytes };
    },
    close: () => agent.destroy(),
  };
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
