import { ConfigurationError } from '../errors.js';

/** Query parameters; `undefined` and `null` values are left out, arrays repeat the key. */
export type QueryParams = Readonly<
  Record<string, string | number | boolean | null | undefined | readonly (string | number | boolean)[]>
>;

export interface RequestTarget {
  /** `scheme://host:port` of the request. */
  origin: string;
  /** Path and query as sent on the request line. */
  pathAndQuery: string;
  /** True when the target is on the base URL's origin (default headers go only there). */
  sameOrigin: boolean;
  /** What messages and logs show: the path for the API host, origin + path for any other host. No query. */
  display: string;
  /** The path alone, for logs. */
  pathname: string;
}

/** Validates and normalises a base URL: http(s), no query, no trailing slash. */
export function parseBaseUrl(baseUrl: string | URL): URL {
  let url: URL;
  try {
    url = new URL(String(baseUrl));
  } catch {
    throw new ConfigurationError('baseUrl must be an absolute http(s) URL, e.g. https://api.example.com');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(`baseUrl must use http or https, not ${url.protocol.replace(/:$/, '')}`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ConfigurationError('baseUrl must not carry a query string or fragment');
  }
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

export function encodeQuery(query: QueryParams): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value as readonly (string | number | boolean)[]) params.append(key, String(item));
    } else {
      params.append(key, String(value));
    }
  }
  return params.toString();
}

/**
 * Where a request goes. `path` is appended to the base URL's path (so a base
 * of `https://host/fineract-provider/api` keeps its prefix); `url` is taken
 * as is — its existing query (a pre-signed signature, say) is never
 * re-encoded, extra `query` parameters are appended after it.
 */
export function resolveTarget(
  base: URL,
  target: { path?: string | undefined; url?: string | URL | undefined; query?: QueryParams | undefined },
): RequestTarget {
  if (target.url === undefined && target.path !== undefined && SIMPLE_PATH.test(target.path)) {
    return simpleTarget(base, target.path, target.query);
  }
  let href: string;
  if (target.url !== undefined) {
    if (target.path !== undefined) throw new ConfigurationError('Pass either path or url to request(), not both');
    href = String(target.url);
  } else if (target.path !== undefined) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target.path)) {
      throw new ConfigurationError('request() path must be relative to baseUrl; pass absolute URLs as url');
    }
    const basePath = base.pathname === '/' ? '' : base.pathname;
    href = `${base.origin}${basePath}/${target.path.replace(/^\/+/, '')}`;
  } else {
    throw new ConfigurationError('request() needs a path (relative to baseUrl) or an absolute url');
  }

  let url: URL;
  try {
    url = new URL(href);
  } catch {
    throw new ConfigurationError('request() url must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(`request() url must use http or https, not ${url.protocol.replace(/:$/, '')}`);
  }

  // Keep the caller's query bytes exactly (signed URLs): take them from the
  // parsed href, which only normalises what was not valid to begin with.
  let pathAndQuery = `${url.pathname}${url.search}`;
  const extra = target.query === undefined ? '' : encodeQuery(target.query);
  if (extra !== '') pathAndQuery += `${url.search === '' ? '?' : '&'}${extra}`;

  const sameOrigin = url.origin === base.origin;
  return {
    origin: url.origin,
    pathAndQuery,
    sameOrigin,
    display: sameOrigin ? url.pathname : `${url.origin}${url.pathname}`,
    pathname: url.pathname,
  };
}

/**
 * A path the URL parser would leave exactly as it is: unreserved and sub-delim
 * characters, `:`, `@`, dots and single slashes; no percent-escapes, no empty
 * segments, no segment starting with a dot (so no `.` or `..`). Linear: no nested
 * quantifiers. Adapters' paths (`/v1/customers/ckcust_123/files`) are like
 * this; for them the target is put together without parsing a URL per request.
 */
const SIMPLE_PATH = /^\/?[A-Za-z0-9_~!$&'()*+,;=:@-][A-Za-z0-9_~!$&'()*+,;=:@.-]*(?:\/[A-Za-z0-9_~!$&'()*+,;=:@-][A-Za-z0-9_~!$&'()*+,;=:@.-]*)*$/;

/** `resolveTarget` for a simple path (see `SIMPLE_PATH`): the same result, without `new URL`. */
function simpleTarget(base: URL, path: string, query: QueryParams | undefined): RequestTarget {
  const basePath = base.pathname === '/' ? '' : base.pathname;
  const pathname = `${basePath}/${path.charCodeAt(0) === 47 ? path.slice(1) : path}`;
  const extra = query === undefined ? '' : encodeQuery(query);
  return {
    origin: base.origin,
    pathAndQuery: extra === '' ? pathname : `${pathname}?${extra}`,
    sameOrigin: true,
    display: pathname,
    pathname,
  };
}
