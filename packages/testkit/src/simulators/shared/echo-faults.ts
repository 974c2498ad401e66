import type { SimulatorRequest } from './simulator-server.js';

/**
 * What value-echoing error bodies are made of: real providers put what they
 * were sent into their error messages, codes and params — verbatim, in another
 * case, or reformatted (a date of birth as `May 15, 1990` or `the fifteenth of
 * May`). The provider presets (`technestEchoFault`, `patchStyleEchoFault`,
 * `clientsCommandEchoFault`) build their envelopes from these, so an adapter's
 * redaction can be tested against exactly what it sent.
 */

/**
 * The text values of a request: string and number leaves of a JSON body,
 * form fields, multipart text fields and file names, and query values. Long
 * strings (file contents, base64) are left out.
 */
export function echoedValues(request: Pick<SimulatorRequest, 'headers' | 'body'> & { readonly searchParams?: URLSearchParams }): string[] {
  const values: string[] = [];
  const add = (value: unknown): void => {
    const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
    if (text !== '' && text.length <= MAX_VALUE_LENGTH && !values.includes(text)) values.push(text);
  };
  const contentType = request.headers['content-type'] ?? '';
  if (/json/i.test(contentType)) {
    collectLeaves(tryJson(request.body), add);
  } else if (/x-www-form-urlencoded/i.test(contentType)) {
    for (const [, value] of new URLSearchParams(request.body.toString('utf8'))) add(value);
  } else if (/multipart\/form-data/i.test(contentType)) {
    for (const value of multipartTexts(request.body, contentType)) add(value);
  }
  for (const [, value] of request.searchParams ?? []) add(value);
  return values;
}

/**
 * `value` as a provider may write it back: as sent, upper and lower case, and
 * for a date (`1990-05-15` or `15 May 1990`) the usual numeric and written forms.
 */
export function echoForms(value: string): string[] {
  const forms = new Set([value, value.toUpperCase(), value.toLowerCase()]);
  const date = parseDate(value);
  if (date !== undefined) {
    const { year, month, day } = date;
    const name = MONTH_NAMES[month - 1]!;
    const dd = String(day).padStart(2, '0');
    const mm = String(month).padStart(2, '0');
    for (const form of [
      `${year}-${mm}-${dd}`,
      `${day} ${name} ${year}`,
      `${name} ${day}, ${year}`,
      `${dd}/${mm}/${year}`,
      `${mm}/${dd}/${year}`,
      `the ${ORDINAL_WORDS[day - 1]!} of ${name} ${year}`,
      `${name} ${ORDINAL_WORDS[day - 1]!}`,
    ]) {
      forms.add(form);
    }
  }
  return [...forms];
}

/** Every echoed value in every form, joined for a message: `a, A, …; b, …`. */
export function echoSentence(values: readonly string[]): string {
  return values.map((value) => echoForms(value).join(', ')).join('; ');
}

/** `PZ8K4Q7M3`, `15 May 1990` → a code segment (`15.May.1990`): providers build codes from what they refuse. */
export function asCodeSegment(value: string): string {
  return value.replace(/[^A-Za-z0-9]+/g, '.').replace(/^\.+|\.+$/g, '') || 'value';
}

// ---------------------------------------------------------------------------

const MAX_VALUE_LENGTH = 200;

function collectLeaves(value: unknown, add: (value: unknown) => void, depth = 0): void {
  if (depth > 8) return;
  if (Array.isArray(value)) for (const item of value) collectLeaves(item, add, depth + 1);
  else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) collectLeaves(item, add, depth + 1);
  else add(value);
}

function tryJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** File names and short text parts of a multipart body (binary parts are skipped). */
function multipartTexts(body: Buffer, contentType: string): string[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (boundary === undefined) return [];
  const texts: string[] = [];
  for (const part of body.toString('latin1').split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split === -1) continue;
    const head = part.slice(0, split);
    const filename = /filename="([^"]*)"/i.exec(head)?.[1];
    if (filename !== undefined) {
      texts.push(Buffer.from(filename, 'latin1').toString('utf8'));
      continue;
    }
    const content = Buffer.from(part.slice(split + 4).replace(/\r\n$/, ''), 'latin1').toString('utf8');
    if (content.length <= MAX_VALUE_LENGTH && !content.includes('\uFFFD')) texts.push(content);
  }
  return texts;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const ORDINAL_WORDS = [
  'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth',
  'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth', 'twentieth',
  'twenty-first', 'twenty-second', 'twenty-third', 'twenty-fourth', 'twenty-fifth', 'twenty-sixth', 'twenty-seventh', 'twenty-eighth',
  'twenty-ninth', 'thirtieth', 'thirty-first',
];

/** `1990-05-15` or Fineract's `15 May 1990`. */
function parseDate(value: string): { year: number; month: number; day: number } | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (iso !== null) return valid(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const words = /^(\d{1,2}) ([A-Za-z]+) (\d{4})$/.exec(value);
  if (words === null) return undefined;
  const month = MONTH_NAMES.findIndex((name) => name.toLowerCase() === words[2]!.toLowerCase()) + 1;
  return valid(Number(words[3]), month, Number(words[1]));
}

function valid(year: number, month: number, day: number): { year: number; month: number; day: number } | undefined {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 ? { year, month, day } : undefined;
}
