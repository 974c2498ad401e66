/**
 * A request path with its identifiers replaced by `{id}`, for `url.template` and
 * span names: `/v1/customers/8f3c…/documents` → `/v1/customers/{id}/documents`.
 * Only word-like segments survive (letters and `-`, at most a trailing digit such
 * as `v1`); anything with an `_` (`ckcust_…`, `file_…`), more digits, an `@`, a
 * dot or encoded bytes is taken for an id, a reference or a value, and spans
 * never carry those.
 */
export function routeTemplate(pathname: string): string {
  let out = '';
  for (const segment of pathname.split('/')) {
    if (segment === '') continue;
    out += WORD.test(segment) ? `/${segment}` : '/{id}';
  }
  return out === '' ? '/' : out;
}

const WORD = /^[A-Za-z][A-Za-z-]{0,31}[0-9]?$/;
