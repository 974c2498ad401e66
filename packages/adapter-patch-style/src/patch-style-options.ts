import { parseAdapterOptions, parseStandardWebhookSecret, type DocumentType, type FileContentType, type KycLogger, lazySchema } from '@openkyc/core';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';

/** The provider id an instance gets unless configured otherwise. */
export const PATCH_STYLE_PROVIDER_ID = 'patch-style';
/** Standard Webhooks' recommended tolerance, and the contract's. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

/** One side of one document, handed to `hostDocument` to store. */
export interface PatchStyleDocumentFile {
  /** The file bytes. */
  readonly content: Uint8Array;
  /** `image/jpeg`, `image/png` or `application/pdf`; serve the file with it. */
  readonly contentType: FileContentType;
  /** The application's file name. */
  readonly filename: string;
  /** The application's document type (`passport`, `proof_of_address`, …). */
  readonly type: DocumentType;
  /** Which side of the document this file is. */
  readonly side: 'front' | 'back';
}

/**
 * Stores a document where the provider can GET it during review (S3,
 * Cloudinary…) and resolves to its absolute http(s) URL. The URL must keep
 * answering 200 with the bytes for the whole review (up to 7 business days).
 */
export type PatchStyleHostDocument = (file: PatchStyleDocumentFile) => Promise<string>;

/** Called once when the provider answers 401; resolves to the new API key or JWT. The request is then repeated once. */
export type PatchStyleRefreshApiKey = () => Promise<string>;

/** Validates `patchStyle()` options: a ConfigurationError names the bad key, never its value. */
export function parsePatchStyleOptions(options: unknown): ResolvedPatchStyleOptions {
  const providerId =
    typeof options === 'object' && options !== null && typeof (options as { id?: unknown }).id === 'string'
      ? (options as { id: string }).id
      : PATCH_STYLE_PROVIDER_ID;
  return parseAdapterOptions(providerId, patchStyleOptionsSchema(), options);
}

const isFunction = (value: unknown): boolean => typeof value === 'function';

const webhookSecretSchema = lazySchema((z) =>
  z.string().refine(
    (secret) => {
      try {
        parseStandardWebhookSecret(secret);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be a Standard Webhooks secret: whsec_ followed by base64 (copy it again from the provider dashboard)' },
  ),
);

const baseUrlSchema = lazySchema((z) =>
  z.union([z.string(), z.custom<URL>((value) => value instanceof URL)]).refine(
    (value) => {
      try {
        const url = new URL(String(value));
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '';
      } catch {
        return false;
      }
    },
    { message: 'must be an absolute http(s) URL without query string, e.g. https://api.example.com or https://api.sandbox.example.com/api/v1' },
  ),
);

/**
 * Options of `patchStyle()`. Checked with `parseAdapterOptions`, so a bad value
 * names its key and never echoes the value (the API key and webhook secret
 * are secrets). Unknown keys are refused, so a typo does not go unnoticed.
 */
export const patchStyleOptionsSchema = lazySchema((z) =>
  z.strictObject({
    /** Provider id (default `'patch-style'`), as used in `defaultProvider`, `handleWebhook` and events. */
    id: z.string().trim().min(1, { message: 'must be a non-empty string' }).default(PATCH_STYLE_PROVIDER_ID),
    /** The API origin (`https://api.example.com`) or the API base including `/api/v1`; both documented forms work. */
    baseUrl: baseUrlSchema(),
    /** API key or JWT, sent as `Authorization: Bearer …`. */
    apiKey: z.string().min(1, { message: 'must be a non-empty string' }),
    /** `whsec_…`; a list during rotation (old and new). */
    webhookSecret: z.union([webhookSecretSchema(), z.array(webhookSecretSchema()).min(1, { message: 'must list at least one secret' })], {
      error: 'must be the whsec_… signing secret, or a list of them during rotation',
    }),
    /**
     * Stores a document where the provider can GET it and returns its URL (see {@link PatchStyleHostDocument}).
     */
    hostDocument: z.custom<PatchStyleHostDocument>(isFunction, {
      message: 'must be a function (file) => Promise<url> that stores a document and returns its URL',
    }),
    /**
     * Called once on a 401; the request is then repeated once with the new key (see
     * `PatchStyleRefreshApiKey`).
     */
    refreshApiKey: z
      .custom<PatchStyleRefreshApiKey>(isFunction, { message: 'must be a function () => Promise<string> returning a new API key' })
      .optional(),
    /** An undici dispatcher (proxy, mTLS, tests); never closed by the adapter. */
    dispatcher: z
      .custom<Dispatcher>(
        (value) => typeof value === 'object' && value !== null && typeof (value as { dispatch?: unknown }).dispatch === 'function',
        { message: 'must be an undici Dispatcher (Agent, Pool, ProxyAgent…)' },
      )
      .optional(),
    /** Per HTTP attempt (default 10 s). */
    timeoutMs: z.number().int().positive().max(300_000).optional(),
    /** Accepted distance between `webhook-timestamp` and now, in seconds (default 300). */
    webhookToleranceSeconds: z.number().positive().max(86_400).default(DEFAULT_WEBHOOK_TOLERANCE_SECONDS),
    /** Receives the adapter's HTTP log lines (redacted: no headers, bodies or query strings). */
    logger: z
      .custom<KycLogger>(
        (value) =>
          typeof value === 'object' &&
          value !== null &&
          ['debug', 'info', 'warn', 'error'].every((level) => typeof (value as Record<string, unknown>)[level] === 'function'),
        { message: 'must be a pino-compatible logger (debug, info, warn, error)' },
      )
      .optional(),
  }),
);

/** What `patchStyle()` takes. */
export type PatchStyleOptions = z.input<ReturnType<typeof patchStyleOptionsSchema>>;
/** The options after defaults were applied. */
export type ResolvedPatchStyleOptions = z.output<ReturnType<typeof patchStyleOptionsSchema>>;
