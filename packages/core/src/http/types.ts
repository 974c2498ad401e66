/** Shapes shared by the HTTP toolkit's files. */

export type HttpMethod = 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Response headers: names lower-cased, repeated headers joined with `, `. */
export type HttpHeaders = Readonly<Record<string, string>>;

/** What an adapter's error parser sees of a response outside `expectStatus`. */
export interface ErrorResponse {
  /** The HTTP status. */
  status: number;
  /** Response headers, names lower-cased. */
  headers: HttpHeaders;
  /** The body, read up to a size cap (64 KiB). */
  body: Buffer;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
}

/**
 * What the adapter's envelope parser extracts from an error response. Both
 * fields end up in the error message, so they must be safe to show operators:
 * the provider's code and its own generic message, never echoed submitted values.
 */
export interface ProviderErrorInfo {
  /** The provider's error code, e.g. `customer_reference_taken`, `error.msg.client.id.invalid`. */
  providerCode?: string | undefined;
  /** A short, safe explanation (query strings are stripped from it anyway). */
  message?: string | undefined;
}

/** Parses a provider's error envelope. Returning nothing (or throwing) falls back to a generic message. */
export type MapError = (response: ErrorResponse) => ProviderErrorInfo | undefined | null | void;
