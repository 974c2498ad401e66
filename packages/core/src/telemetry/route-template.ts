/**
 * A request path with its identifiers replaced by `{id}`, for `url.template` and
 * span names: `/v1/customers/8f3c…/documents` → `/v1/customers/{id}/documents`.
 * Only word-like segments survive (letters and `-`, at most a trailing digit such
 * as `v1`); anything with an `_` (`ckcust_…`, `file_…`), more digits, an `@`, a
 * dot or encoded bytes is taken for an id, a reference or a value, and spans
 * never carry those.
 */
export function routeTemplate(pathname: string): string {
  // A scan by character codes (every provider HTTP attempt computes one): no split, no regex.
  let out = '';
  let start = 0;
  const length = pathname.length;
  while (start <= length) {
    let end = pathname.indexOf('/', start);
    if (end === -1) end = length;
    if (end > start) out += isWord(pathname, start, end) ? `/${pathname.slice(start, end)}` : '/{id}';
    start = end + 1;
  }
  return out === '' ? '/' : out;
}

/** `^[A-Za-z][A-Za-z-]{0,31}[0-9]?$` on `pathname[start, end)`. */
function isWord(pathname: string, start: number, end: number): boolean {
  let last = end;
  const final = pathname.charCodeAt(end - 1);
  if (final >= 48 && final <= 57) last = end - 1; // a trailing digit (`v1`)
  const letters = last - start;
  if (letters < 1 || letters > 32 || !isLetter(pathname.charCodeAt(start))) return false;
  for (let i = start + 1; i < last; i++) {
    const code = pathname.charCodeAt(i);
    if (code !== 45 && !isLetter(code)) return false; // 45: '-'
  }
  return true;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}
